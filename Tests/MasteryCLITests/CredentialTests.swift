import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A folder with a new key pair, a ledger, and a copy of the digital-literacy examples graded into it.
private struct Issuing {
  let folder: String
  let ledger: String
  let cohort: String
  var signingKey: String { folder + "/keys/signing-key.jwk" }
  var publicKey: String { folder + "/keys/public-key.jwk" }
  var maria: String { cohort + "/maria-lopez" }

  init(environment: [String: String] = [:]) throws {
    folder = try TestPaths.temporaryFolder()
    ledger = folder + "/ledger.sqlite"
    cohort = folder + "/digital-literacy"
    try FileManager.default.copyItem(atPath: TestPaths.repository("submissions/digital-literacy"), toPath: cohort)
    let keys = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "https://pd.riverside.example.org", "--out", folder + "/keys",
    ])
    #expect(keys.status == 0, "\(keys.stderr)")
    _ = try run(["grade", cohort], environment: environment)
  }

  func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    try CommandRunner.mastery(arguments + ["--ledger", ledger], environment: environment)
  }

  /// Issues Maria Lopez's credential: the JWT's path and the unsigned JSON's path.
  func issueMaria(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (jwt: String, json: String) {
    let jwt = folder + "/maria-\(UUID().uuidString).jwt"
    let json = jwt + ".json"
    let result = try run(
      ["issue", maria, "--key", signingKey, "--out", jwt, "--json", json] + extra, environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    return (jwt, json)
  }

  func verify(_ jwt: String, key: String? = nil, evidence: String? = nil) throws -> CommandResult {
    try CommandRunner.mastery(
      ["verify", jwt, "--key", key ?? publicKey] + (evidence.map { ["--evidence", $0] } ?? []))
  }
}

/// Runs Python (Debian's, with jsonschema, PyJWT and cryptography) on a script.
private func python(_ script: String, _ arguments: [String]) throws -> CommandResult {
  try CommandRunner.run("/usr/bin/python3", ["-c", script] + arguments)
}

@Suite("Open Badges 3.0 credentials: keys, issue, verify")
struct CredentialTests {
  @Test func recipientsAreHashedAndTheBadgeAndSchemaAreThere() throws {
    // What the conformance test checks with the official schema (skipped without it), checked here too.
    let issuing = try Issuing()
    let (_, json) = try issuing.issueMaria()
    let text = try String(contentsOfFile: json, encoding: .utf8)
    let credential = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(!text.contains("rusd-t-0142") && !text.contains("mlopez@"), "the id and e-mail never travel in clear")
    let subject = try #require(credential["credentialSubject"] as? [String: Any])
    #expect(subject["id"] == nil, "no subject id without a DID")
    let identities = try #require(subject["identifier"] as? [[String: Any]])
    for (kind, value) in [("identifier", "rusd-t-0142"), ("emailAddress", "mlopez@riverside.example.org")] {
      let identity = try #require(identities.first { $0["identityType"] as? String == kind }, "\(kind)")
      let salt = try #require(identity["salt"] as? String)
      #expect(identity["hashed"] as? Bool == true)
      #expect(identity["identityHash"] as? String == "sha256$" + EvidenceResolver.sha256(of: Data((value + salt).utf8)))
    }
    let achievement = try #require(subject["achievement"] as? [String: Any])
    let image = try #require(achievement["image"] as? [String: Any])
    let uri = try #require(image["id"] as? String)
    #expect(uri.hasPrefix("data:image/svg+xml;base64,"))
    let svg = String(decoding: Data(base64Encoded: String(uri.dropFirst("data:image/svg+xml;base64,".count))) ?? Data(), as: UTF8.self)
    #expect(svg.contains("<title id=\"title\">Digital Literacy: Evaluating Online Sources, a microcredential from"))
    let schemas = try #require(credential["credentialSchema"] as? [[String: Any]])
    #expect(schemas.first?["type"] as? String == "1EdTechJsonSchemaValidator2019")
  }

  @Test func theNameIsLeftOutOnRequestAndACandidatesDIDIsTheSubject() throws {
    let issuing = try Issuing()
    let (_, json) = try issuing.issueMaria(["--omit-name"])
    let text = try String(contentsOfFile: json, encoding: .utf8)
    #expect(!text.contains("Maria Lopez"), "the name is left out")
    #expect(text.contains("\"identityType\" : \"emailAddress\"") || text.contains("\"identityType\":\"emailAddress\""))
    // A candidate who gives a DID for their wallet is the credential's subject, and its sub.
    let manifest = issuing.maria + "/submission.xml"
    let original = try String(contentsOfFile: manifest, encoding: .utf8)
    try original.replacingOccurrences(
      of: #"<candidate id="rusd-t-0142""#, with: #"<candidate did="did:example:maria" id="rusd-t-0142""#
    ).write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(try issuing.run(["grade", issuing.maria]).status == 0)
    let (jwt, withDID) = try issuing.issueMaria()
    #expect(try String(contentsOfFile: withDID, encoding: .utf8).contains("\"id\" : \"did:example:maria\""))
    let verified = try issuing.verify(jwt)
    #expect(verified.stdout.contains("earned by did:example:maria, Maria Lopez, hashed identifier and e-mail address"))
  }

  @Test func aDidKeyIssuerGetsItsKeysOwnDidAndABogusOneIsRefused() throws {
    let folder = try TestPaths.temporaryFolder()
    let made = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "did:key", "--alg", "EdDSA", "--out", folder + "/keys",
    ])
    #expect(made.status == 0, "\(made.stderr)")
    let shown = try CommandRunner.mastery(["keys", "show", "--key", folder + "/keys/public-key.jwk"]).stdout
    let issuer = shown.split(separator: "\n").first { $0.hasPrefix("issuer did:key:z6Mk") }.map { $0.dropFirst(7) }
    #expect(issuer != nil, "\(shown)")
    #expect(shown.contains("kid \(issuer ?? "")#\(issuer?.dropFirst(8) ?? "")"), "\(shown)")
    let bogus = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "did:key:z6MkBOGUS", "--out", folder + "/bogus",
    ])
    #expect(bogus.status != 0)
    #expect(bogus.stderr.contains("a full did:key names a key already"), "\(bogus.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/bogus/signing-key.jwk"))
  }

  @Test func keysAreWrittenSafelyAndShownWithoutTheirSecret() throws {
    let issuing = try Issuing()
    let attributes = try FileManager.default.attributesOfItem(atPath: issuing.signingKey)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let show = try CommandRunner.mastery(["keys", "show", "--key", issuing.signingKey])
    #expect(show.status == 0)
    #expect(show.stdout.contains("kid https://pd.riverside.example.org/keys/"))
    #expect(show.stdout.contains("alg RS256") && show.stdout.contains("-----BEGIN PUBLIC KEY-----"))
    #expect(show.stdout.contains("signs: yes"))
    let secret = try #require(
      (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: issuing.signingKey)))
        as? [String: String])?["d"])
    #expect(!show.stdout.contains(secret), "the private key is never printed")
    #expect(!show.stdout.contains("\"d\""))
    let again = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "https://pd.riverside.example.org", "--out", issuing.folder + "/keys",
    ])
    #expect(again.status == 3)
    #expect(again.stderr.contains("a key is never overwritten"))
    let bad = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "pd.example.org", "--out", issuing.folder + "/k2",
    ])
    #expect(bad.status == 3)
    #expect(bad.stderr.contains("is not an issuer id"))
  }

  @Test func issueThenVerifyRoundTrips() throws {
    let issuing = try Issuing()
    let (jwt, _) = try issuing.issueMaria(["--valid-until", "2099-06-30"])
    let verified = try issuing.verify(jwt, evidence: issuing.maria)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(
      verified.stdout.contains(
        "valid\n  Digital Literacy: Evaluating Online Sources, earned by Maria Lopez, hashed identifier and e-mail address"
      ), "\(verified.stdout)")
    #expect(verified.stdout.contains("until 2099-06-30T00:00:00Z"))
    #expect(verified.stdout.contains("5 evidence files match their SHA-256"))
    // Whom it was issued to, as an HR system asks: the hashed e-mail address (in either case) and local id match.
    for (who, match) in [
      ("mlopez@riverside.example.org", "its hashed e-mail address"), ("MLopez@Riverside.Example.org", "its hashed e-mail address"),
      ("rusd-t-0142", "its hashed local id"), ("Maria Lopez", "its name, in clear"),
    ] {
      let asked = try CommandRunner.mastery(["verify", jwt, "--key", issuing.publicKey, "--recipient", who])
      #expect(asked.status == 0 && asked.stdout.contains("issued to \(who): \(match)"), "\(who): \(asked.stdout)\(asked.stderr)")
    }
    let stranger = try CommandRunner.mastery(["verify", jwt, "--key", issuing.publicKey, "--recipient", "mallory@example.org"])
    #expect(stranger.status == 3 && stranger.stderr.contains("mallory@example.org is not its recipient"), "\(stranger.stderr)")
  }

  @Test(ConformanceSchemas.required(ConformanceSchemas.openBadgesCredential))
  func aSecondImplementationAndTheOfficialSchemaAgree() throws {
    let issuing = try Issuing()
    let (jwt, json) = try issuing.issueMaria(["--valid-until", "2099-06-30"])
    // The official JSON schema, on the unsigned credential and on the JWT payload; PyJWT checks the signature.
    let schema = ConformanceSchemas.path(ConformanceSchemas.openBadgesCredential)
    let script = """
      import json, sys, jsonschema, jwt
      schema = json.load(open(sys.argv[1]))
      validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
      credential = json.load(open(sys.argv[2]))
      errors = [e.message for e in validator.iter_errors(credential)]
      token = open(sys.argv[3]).read().strip()
      jwk = json.load(open(sys.argv[4]))
      payload = jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=["RS256"])
      header = jwt.get_unverified_header(token)
      claims = {k: payload.pop(k, None) for k in ("iss", "jti", "sub", "nbf", "exp")}
      errors += [e.message for e in validator.iter_errors(payload)]
      assert header["alg"] == "RS256" and header["kid"] == jwk["kid"], header
      assert header["kid"].startswith("https://pd.riverside.example.org/keys/"), header
      assert claims["iss"] == payload["issuer"]["id"] and claims["jti"] == payload["id"], claims
      assert claims["sub"] == payload["credentialSubject"].get("id"), claims
      # The local id and the e-mail address are hashed as Open Badges defines (sha256$ of identity + salt).
      import hashlib
      hashed = {i["identityType"]: i for i in payload["credentialSubject"]["identifier"] if i["hashed"]}
      for kind, value in (("identifier", "rusd-t-0142"), ("emailAddress", "mlopez@riverside.example.org")):
          item = hashed[kind]
          assert item["identityHash"] == "sha256$" + hashlib.sha256((value + item["salt"]).encode()).hexdigest(), item
      assert "rusd-t-0142" not in json.dumps(payload) and "mlopez@" not in json.dumps(payload)
      achievement = payload["credentialSubject"]["achievement"]
      assert payload["credentialSubject"]["narrative"] == "Earned on attempt 2.", payload["credentialSubject"]
      import base64
      image = payload["credentialSubject"]["achievement"]["image"]
      assert image["id"].startswith("data:image/svg+xml;base64,") and image["type"] == "Image", image
      svg = base64.b64decode(image["id"].split(",", 1)[1]).decode()
      import xml.etree.ElementTree as ET
      assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
      assert '<title id="title">Digital Literacy: Evaluating Online Sources, a microcredential from' in svg, svg
      assert payload["credentialSchema"] == [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}]
      assert achievement["achievementType"] == "MicroCredential"
      levels = {r["resultDescription"]: r["achievedLevel"] for r in payload["credentialSubject"]["result"]}
      for description in achievement["resultDescription"]:
          assert description["resultType"] == "RubricCriterionLevel"
          assert levels[description["id"]] in [l["id"] for l in description["rubricCriterionLevel"]]
      print("errors:", errors)
      """
    let checked = try python(script, [schema, json, jwt, issuing.publicKey])
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stdout == "errors: []\n", "\(checked.stdout)")
  }

  /// Every algorithm, both ways, with a second implementation (PyJWT and cryptography): what we
  /// sign it verifies, and what it signs, for an issuer that is not ours and key ids of its own, we
  /// verify from every key form a verifier may be given.
  @Test func everyAlgorithmIsCheckedBothWaysByASecondImplementation() throws {
    let issuing = try Issuing()
    let theirs = """
      import datetime, json, sys, jwt
      from cryptography.hazmat.primitives.asymmetric import rsa, ec, ed25519
      from cryptography.hazmat.primitives import serialization as s
      folder, alg, credential = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
      alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
      def base58(data):
          n, out = int.from_bytes(data, "big"), ""
          while n:
              n, r = divmod(n, 58)
              out = alphabet[r] + out
          return "1" * (len(data) - len(data.lstrip(b"\\0"))) + out
      if alg == "RS256":
          key = rsa.generate_private_key(65537, 2048)
          codec = b"\\x85\\x24" + key.public_key().public_bytes(s.Encoding.DER, s.PublicFormat.PKCS1)
      elif alg == "ES256":
          key = ec.generate_private_key(ec.SECP256R1())
          codec = b"\\x80\\x24" + key.public_key().public_bytes(s.Encoding.X962, s.PublicFormat.CompressedPoint)
      else:
          key = ed25519.Ed25519PrivateKey.generate()
          codec = b"\\xed\\x01" + key.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
      public = key.public_key()
      jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(public))
      multikey = "z" + base58(codec)
      def sign(issuer, kid):
          body = dict(credential, issuer=dict(credential["issuer"], id=issuer), iss=issuer, jti=credential["id"])
          body["nbf"] = int(datetime.datetime.fromisoformat(body["validFrom"].replace("Z", "+00:00")).timestamp())
          return jwt.encode(body, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})
      did = "did:web:badges.other.example"
      open(folder + "/web.jwt", "w").write(sign(did, did + "#key-1"))
      open(folder + "/didkey.jwt", "w").write(sign("did:key:" + multikey, "did:key:" + multikey + "#" + multikey))
      open(folder + "/key.pem", "wb").write(public.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))
      open(folder + "/key.jwk", "w").write(json.dumps(jwk))
      open(folder + "/jwks.json", "w").write(json.dumps({"keys": [dict(jwk, kid="enc-1", use="enc"), dict(jwk, kid=did + "#key-1")]}))
      def document(method):
          return json.dumps({"@context": ["https://www.w3.org/ns/did/v1"], "id": did, "verificationMethod": [method], "assertionMethod": ["#key-1"]})
      open(folder + "/did.json", "w").write(document({"id": "#key-1", "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}))
      open(folder + "/multikey.json", "w").write(document({"id": did + "#key-1", "type": "Multikey", "controller": did, "publicKeyMultibase": multikey}))
      """
    let ours = """
      import json, sys, jwt
      token, jwk = open(sys.argv[1]).read().strip(), json.load(open(sys.argv[2]))
      payload = jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=[sys.argv[3]])
      header = jwt.get_unverified_header(token)
      assert header == {"alg": sys.argv[3], "kid": jwk["kid"], "typ": "JWT"}, header
      assert payload["iss"] == payload["issuer"]["id"] == jwk["kid"].split("/keys/")[0], payload["iss"]
      print("verified")
      """
    for alg in ["RS256", "ES256", "EdDSA"] {
      let keys = issuing.folder + "/keys-\(alg)"
      let made = try CommandRunner.mastery([
        "keys", "generate", "--issuer-id", "https://pd.riverside.example.org", "--alg", alg, "--out", keys,
      ])
      #expect(made.status == 0, "\(made.stderr)")
      let jwt = issuing.folder + "/\(alg).jwt"
      let issued = try issuing.run(
        ["issue", issuing.maria, "--key", keys + "/signing-key.jwk", "--out", jwt, "--json", jwt + ".json"])
      #expect(issued.status == 0, "\(issued.stderr)")
      let checked = try python(ours, [jwt, keys + "/public-key.jwk", alg])
      #expect(checked.stdout == "verified\n", "\(alg): \(checked.stderr)")

      let folder = issuing.folder + "/theirs-\(alg)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let signed = try python(theirs, [folder, alg, jwt + ".json"])
      #expect(signed.status == 0, "\(alg): \(signed.stderr)")
      for form in ["key.pem", "key.jwk", "jwks.json", "did.json", "multikey.json"] {
        let verified = try issuing.verify(folder + "/web.jwt", key: folder + "/" + form)
        #expect(verified.status == 0, "\(alg) \(form): \(verified.stderr)")
        #expect(verified.stdout.contains("signed with did:web:badges.other.example#key-1"), "\(verified.stdout)")
      }
      // The did:key one with no key given: resolved offline from its DID.
      let resolved = try CommandRunner.mastery(["verify", folder + "/didkey.jwt"])
      #expect(resolved.status == 0, "\(alg) did:key: \(resolved.stderr)")
      // Our key is not theirs: each form tells which key signed.
      let wrong = try issuing.verify(folder + "/web.jwt", key: keys + "/public-key.jwk")
      #expect(wrong.status == 3 && wrong.stderr.contains("signed with another key"), "\(wrong.stderr)")
    }
  }

  @Test func publishedKeysAreWhereTheirKeyIdsSayAndVerifyEveryCredential() throws {
    let issuing = try Issuing()
    let rotated = issuing.folder + "/rotated"
    #expect(
      try CommandRunner.mastery([
        "keys", "generate", "--issuer-id", "https://pd.riverside.example.org", "--alg", "ES256", "--out", rotated,
      ]).status == 0)
    let site = issuing.folder + "/site"
    let published = try CommandRunner.mastery([
      "keys", "publish", site, "--key", issuing.signingKey, "--key", rotated + "/signing-key.jwk",
      "--name", "Riverside PD", "--email", "pd@riverside.example.org",
    ])
    #expect(published.status == 0, "\(published.stderr)")
    #expect(published.stdout.contains("serve at https://pd.riverside.example.org/.well-known/jwks.json"))
    for key in [issuing.signingKey, rotated + "/signing-key.jwk"] {
      let (jwt, _) = try issuing.issueMaria(["--key", key])
      let kid = try #require(CredentialVerifier.kid(of: try String(contentsOfFile: jwt, encoding: .utf8)))
      // The key id is a URL of the issuer's site, and the file served there is the key.
      let path = try #require(URL(string: kid)?.path)
      #expect(kid.hasPrefix("https://pd.riverside.example.org/keys/") && published.stdout.contains("serve at \(kid)"))
      for given in [site + path, site + "/.well-known/jwks.json"] {
        let verified = try issuing.verify(jwt, key: given)
        #expect(verified.status == 0, "\(given): \(verified.stderr)")
        #expect(verified.stdout.contains("signed with \(kid)\n"), "\(verified.stdout)")
      }
    }
    let profile = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: site + "/index.json")))
    let fields = try #require(profile as? [String: Any])
    #expect(fields["id"] as? String == "https://pd.riverside.example.org" && fields["name"] as? String == "Riverside PD")
    #expect(fields["type"] as? [String] == ["Profile"] && fields["email"] as? String == "pd@riverside.example.org")
    // No private member anywhere in what is published.
    let secret = try #require(
      (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: issuing.signingKey)))
        as? [String: String])?["d"])
    let written = try FileManager.default.subpathsOfDirectory(atPath: site).filter { $0.hasSuffix(".json") }
    #expect(written.count == 4, "\(written)")
    for file in written {
      let text = try String(contentsOfFile: site + "/" + file, encoding: .utf8)
      #expect(!text.contains(secret) && !text.contains("\"d\""), "\(file)")
    }

    // A did:web issuer with a path: its DID document where did:web resolves it.
    let web = issuing.folder + "/web"
    #expect(
      try CommandRunner.mastery([
        "keys", "generate", "--issuer-id", "did:web:pd.riverside.example.org:programs:literacy", "--out", web,
      ]).status == 0)
    let webSite = issuing.folder + "/web-site"
    let webPublished = try CommandRunner.mastery(["keys", "publish", webSite, "--key", web + "/signing-key.jwk"])
    #expect(webPublished.stdout.contains("serve at https://pd.riverside.example.org/programs/literacy/did.json"))
    let (webJWT, _) = try issuing.issueMaria(["--key", web + "/signing-key.jwk"])
    let webVerified = try issuing.verify(webJWT, key: webSite + "/programs/literacy/did.json")
    #expect(webVerified.status == 0, "\(webVerified.stderr)")

    // Keys of two issuers are not published together; a did:key issuer has nothing to publish.
    let mixed = try CommandRunner.mastery([
      "keys", "publish", issuing.folder + "/mixed", "--key", issuing.signingKey, "--key", web + "/signing-key.jwk",
    ])
    #expect(mixed.status == 3 && mixed.stderr.contains("the keys are of different issuers"), "\(mixed.stderr)")
    let own = issuing.folder + "/own"
    #expect(try CommandRunner.mastery(["keys", "generate", "--issuer-id", "did:key", "--out", own]).status == 0)
    let nothing = try CommandRunner.mastery(["keys", "publish", issuing.folder + "/none", "--key", own + "/signing-key.jwk"])
    #expect(nothing.status == 0 && nothing.stdout.contains("nothing to publish"), "\(nothing.stdout)")
    // A did:key credential verifies with no key given; another kind without one is a usage error.
    let (ownJWT, _) = try issuing.issueMaria(["--key", own + "/signing-key.jwk"])
    #expect(try CommandRunner.mastery(["verify", ownJWT]).status == 0)
    let noKey = try CommandRunner.mastery(["verify", webJWT])
    #expect(noKey.status == 64 && noKey.stderr.contains("keys are never fetched"), "\(noKey.stderr)")
  }

  /// Issue, publish, revoke, publish again: a verifier given the published list learns it; the list
  /// is what a second implementation reads (PyJWT verifies its signature, Python unpacks the bits),
  /// and a list the second implementation writes is what we read.
  @Test func aRevokedCredentialFailsOnceTheListIsPublished() throws {
    let issuing = try Issuing()
    let (jwt, json) = try issuing.issueMaria()
    let credential = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    let status = try #require(credential["credentialStatus"] as? [String: String])
    let list = try #require(status["statusListCredential"])
    #expect(status["type"] == "BitstringStatusListEntry" && status["statusPurpose"] == "revocation")
    #expect(list.hasPrefix("https://pd.riverside.example.org/status/") && status["id"] == list + "#" + (status["statusListIndex"] ?? ""))
    let site = issuing.folder + "/site"
    func verify() throws -> CommandResult {
      try CommandRunner.mastery(["verify", jwt, "--key", issuing.publicKey, "--status-list", site])
    }
    func publish() throws {
      let published = try issuing.run(["keys", "publish", site, "--key", issuing.signingKey])
      #expect(published.status == 0 && published.stdout.contains("serve at \(list)"), "\(published.stdout)\(published.stderr)")
    }
    let unpublished = try verify()
    #expect(unpublished.status == 3 && unpublished.stderr.contains("cannot read the status list"), "\(unpublished.stderr)")
    try publish()
    let active = try verify()
    #expect(active.status == 0 && active.stdout.contains("not revoked (status list \(list))"), "\(active.stdout)")
    let unchecked = try issuing.verify(jwt)
    #expect(unchecked.stdout.contains("revocation not checked: its status list is \(list) (give it with --status-list)"))

    let revoked = try issuing.run(["revoke", jwt, "--reason", "the reflection was not the candidate's own"])
    #expect(revoked.status == 0 && revoked.stdout.contains("publish the list again"), "\(revoked.stderr)")
    #expect(try verify().status == 0, "not revoked to verifiers until the list is published again")
    try publish()
    let refused = try verify()
    #expect(refused.status == 3, "\(refused.stdout)")
    #expect(refused.stderr.contains("invalid: revoked by its issuer (status list \(list), entry \(status["statusListIndex"] ?? ""))"))
    let again = try issuing.run(["revoke", try #require(credential["id"] as? String), "--reason", "twice"])
    #expect(again.status == 0 && again.stdout.contains("was revoked already"), "\(again.stdout)")
    let unknown = try issuing.run(["revoke", "urn:uuid:00000000-0000-0000-0000-000000000000", "--reason", "x"])
    #expect(unknown.status == 3 && unknown.stderr.contains("was not issued with the ledger"))

    // The second implementation reads our list, and writes one (bit cleared) that we read.
    let path = site + (URL(string: list)?.path ?? "")
    let script = """
      import base64, gzip, json, sys, jwt
      token, jwk, index = open(sys.argv[1]).read().strip(), json.load(open(sys.argv[2])), int(sys.argv[3])
      payload = jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=[jwk["alg"]])
      assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"], payload["type"]
      subject = payload["credentialSubject"]
      assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
      encoded = subject["encodedList"]
      assert encoded[0] == "u"
      bits = bytearray(gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))))
      assert len(bits) == 16384
      set_bits = [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))]
      assert set_bits == [index], set_bits
      bits[index // 8] &= ~(0x80 >> (index % 8)) & 0xff
      payload["credentialSubject"]["encodedList"] = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
      private = json.load(open(sys.argv[4]))
      print(jwt.encode(payload, jwt.PyJWK(private).key, algorithm=private["alg"], headers={"kid": private["kid"]}))
      """
    let checked = try python(script, [path, issuing.publicKey, status["statusListIndex"] ?? "", issuing.signingKey])
    #expect(checked.status == 0, "\(checked.stderr)")
    try checked.stdout.write(toFile: issuing.folder + "/their-list.jwt", atomically: true, encoding: .utf8)
    let theirs = try CommandRunner.mastery([
      "verify", jwt, "--key", issuing.publicKey, "--status-list", issuing.folder + "/their-list.jwt",
    ])
    #expect(theirs.status == 0 && theirs.stdout.contains("not revoked"), "\(theirs.stdout)\(theirs.stderr)")

    // A list signed by another issuer's key is not believed.
    let other = issuing.folder + "/other"
    _ = try CommandRunner.mastery(["keys", "generate", "--issuer-id", "https://elsewhere.example.org", "--out", other])
    let forged = try python(script.replacingOccurrences(of: "assert set_bits == [index], set_bits\n", with: ""), [
      path, issuing.publicKey, status["statusListIndex"] ?? "", other + "/signing-key.jwk",
    ])
    try forged.stdout.write(toFile: issuing.folder + "/forged-list.jwt", atomically: true, encoding: .utf8)
    let notBelieved = try CommandRunner.mastery([
      "verify", jwt, "--key", issuing.publicKey, "--status-list", issuing.folder + "/forged-list.jwt",
    ])
    #expect(notBelieved.status == 3 && notBelieved.stderr.contains("whether it was revoked cannot be checked"), "\(notBelieved.stderr)")
  }

  /// The author's badge and the issuer's logo travel in the credential, and the badge can carry
  /// the credential itself: baked into an SVG or a PNG that a second implementation reads, and we
  /// read the PNG it bakes.
  @Test func theAuthorsBadgeIsTheCredentialsAndCanBeBakedWithIt() throws {
    let folder = try TestPaths.temporaryFolder()
    try FileManager.default.copyItem(atPath: TestPaths.repository("rubrics/data-literacy"), toPath: folder + "/rubrics")
    try FileManager.default.copyItem(
      atPath: TestPaths.repository("submissions/data-literacy/elena-garcia"), toPath: folder + "/elena")
    let ledger = folder + "/ledger.sqlite"
    func mastery(_ arguments: [String]) throws -> CommandResult {
      try CommandRunner.mastery(arguments + ["--rubrics", folder + "/rubrics", "--ledger", ledger])
    }
    #expect(
      try CommandRunner.mastery(["keys", "generate", "--issuer-id", "https://pd.riverside.example.org", "--out", folder + "/keys"]).status == 0)
    #expect(try mastery(["grade", folder + "/elena"]).status == 0)
    let issued = try mastery([
      "issue", folder + "/elena", "--key", folder + "/keys/signing-key.jwk", "--out", folder + "/elena.jwt",
      "--json", folder + "/elena.json", "--baked", folder + "/elena.svg",
    ])
    #expect(issued.status == 0, "\(issued.stderr)")
    let credential = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/elena.json"))) as? [String: Any])
    let subject = try #require(credential["credentialSubject"] as? [String: Any])
    let image = try #require((subject["achievement"] as? [String: Any])?["image"] as? [String: String])
    let badge = try Data(contentsOf: URL(fileURLWithPath: folder + "/rubrics/badge.svg"))
    #expect(image["id"] == "data:image/svg+xml;base64," + badge.base64EncodedString())
    #expect(image["caption"] == "Badge: a bar chart of class data")
    let logo = try #require((credential["issuer"] as? [String: Any])?["image"] as? [String: String])
    #expect(logo["id"]?.hasPrefix("data:image/svg+xml;base64,") == true && logo["type"] == "Image")
    let jwt = try String(contentsOfFile: folder + "/elena.jwt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let svg = try String(contentsOfFile: folder + "/elena.svg", encoding: .utf8)
    #expect(svg.contains("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""))
    #expect(svg.contains("<openbadges:credential>\(jwt)</openbadges:credential>"))
    let fromSVG = try CommandRunner.mastery(["verify", folder + "/elena.svg", "--key", folder + "/keys/public-key.jwk"])
    #expect(fromSVG.status == 0, "\(fromSVG.stderr)")

    // A PNG badge: made by Python, named by the rubric, baked by us, read by Python; baked by Python, read by us.
    let png = """
      import struct, sys, zlib
      def chunk(kind, data):
          return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
      raw = b"".join(b"\\0" + b"\\x1d\\x3b\\x5c" * 4 for _ in range(4))
      image = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
      if sys.argv[1] == "make":
          open(sys.argv[2], "wb").write(image)
      elif sys.argv[1] == "read":
          data, offset, found = open(sys.argv[2], "rb").read(), 8, []
          while offset < len(data):
              length, kind = struct.unpack(">I4s", data[offset:offset + 8])
              body = data[offset + 8:offset + 8 + length]
              assert struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])[0] == zlib.crc32(kind + body), kind
              if kind == b"iTXt" and body.startswith(b"openbadgecredential\\0"):
                  keyword, rest = body.split(b"\\0", 1)
                  assert rest[0:2] == b"\\0\\0", rest[:4]
                  language, translated, text = rest[2:].split(b"\\0", 2)
                  found.append(text.decode())
              offset += 12 + length
          assert kind == b"IEND"
          print(found[0])
      else:
          text = b"openbadgecredential\\0\\0\\0\\0\\0" + open(sys.argv[3]).read().strip().encode()
          open(sys.argv[2], "wb").write(image[:-12] + chunk(b"iTXt", text) + image[-12:])
      """
    #expect(try python(png, ["make", folder + "/rubrics/badge.png"]).status == 0)
    let rubric = folder + "/rubrics/rubric.xml"
    try (try String(contentsOfFile: rubric, encoding: .utf8)).replacingOccurrences(of: "src=\"badge.svg\"", with: "src=\"badge.png\"")
      .write(toFile: rubric, atomically: true, encoding: .utf8)
    #expect(try mastery(["grade", folder + "/elena"]).status == 0)
    let wrongName = try mastery([
      "issue", folder + "/elena", "--key", folder + "/keys/signing-key.jwk", "--out", folder + "/png.jwt",
      "--baked", folder + "/elena-png.svg",
    ])
    #expect(wrongName.status == 3 && wrongName.stderr.contains("the badge is PNG; name the file .png"), "\(wrongName.stderr)")
    #expect(
      try mastery([
        "issue", folder + "/elena", "--key", folder + "/keys/signing-key.jwk", "--out", folder + "/png.jwt",
        "--baked", folder + "/elena.png",
      ]).status == 0)
    let read = try python(png, ["read", folder + "/elena.png"])
    let pngJWT = try String(contentsOfFile: folder + "/png.jwt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(read.status == 0 && read.stdout == pngJWT + "\n", "\(read.stderr)")
    #expect(try CommandRunner.mastery(["verify", folder + "/elena.png", "--key", folder + "/keys/public-key.jwk"]).status == 0)
    #expect(try python(png, ["bake", folder + "/theirs.png", folder + "/png.jwt"]).status == 0)
    let theirs = try CommandRunner.mastery(["verify", folder + "/theirs.png", "--key", folder + "/keys/public-key.jwk"])
    #expect(theirs.status == 0, "\(theirs.stderr)")
    // A picture with nothing baked in is not a credential.
    let plain = try CommandRunner.mastery(["verify", folder + "/rubrics/badge.png", "--key", folder + "/keys/public-key.jwk"])
    #expect(plain.status == 3 && plain.stderr.contains("a badge image with no credential baked in"), "\(plain.stderr)")
  }

  @Test func aCredentialOfAnEarlierReleaseStillVerifies() throws {
    // EdDSA, its key id the issuer and a thumbprint, its key file with an issuer member.
    let verified = try CommandRunner.mastery([
      "verify", TestPaths.fixture("credentials/earlier-release.jwt"), "--key",
      TestPaths.fixture("credentials/earlier-release-public-key.jwk"),
    ])
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("signed with https://pd.riverside.example.org#ONjCXAfRJ1RFqMyNXFG-5SPQHJ_fzFO1dKCuMvuhvNI\n"))
  }

  @Test func eachKindOfTamperingGetsItsOwnMessage() throws {
    let issuing = try Issuing()
    let (jwt, _) = try issuing.issueMaria()
    let token = try String(contentsOfFile: jwt, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let parts = token.split(separator: ".").map(String.init)

    // A payload changed after signing (a level raised), the signature kept.
    func base64url(_ data: Data) -> String {
      data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
    }
    var padded = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while padded.count % 4 != 0 { padded += "=" }
    let payload = try #require(Data(base64Encoded: padded))
    let forged = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "Maria Lopez", with: "Mallory Lopez")
    let tampered = issuing.folder + "/tampered.jwt"
    try [parts[0], base64url(Data(forged.utf8)), parts[2]].joined(separator: ".").write(
      toFile: tampered, atomically: true, encoding: .utf8)
    let changed = try issuing.verify(tampered)
    #expect(changed.status == 3)
    #expect(changed.stderr.contains("the credential was changed after it was signed"))

    // Another issuer's key.
    let other = try CommandRunner.mastery([
      "keys", "generate", "--issuer-id", "https://elsewhere.example.org", "--out", issuing.folder + "/other",
    ])
    #expect(other.status == 0)
    let wrongKey = try issuing.verify(jwt, key: issuing.folder + "/other/public-key.jwk")
    #expect(wrongKey.status == 3)
    #expect(wrongKey.stderr.contains("signed with another key"))

    // An expired credential: issued in 2020, valid until 2021.
    let (old, _) = try issuing.issueMaria(
      ["--valid-until", "2021-01-01"], environment: ["SOURCE_DATE_EPOCH": "1577836800"])
    let expired = try issuing.verify(old)
    #expect(expired.status == 3)
    #expect(expired.stderr.contains("expired: it was valid until 2021-01-01T00:00:00Z"))

    // A swapped evidence file.
    let reflection = issuing.maria + "/reflection.md"
    try (String(contentsOfFile: reflection, encoding: .utf8) + "\nAdded later.\n").write(
      toFile: reflection, atomically: true, encoding: .utf8)
    let swapped = try issuing.verify(jwt, evidence: issuing.maria)
    #expect(swapped.status == 3)
    #expect(swapped.stderr.contains("evidence file reflection.md is not the file judged"))
    #expect(!swapped.stderr.contains("changed after it was signed"))

    // A named pipe where an evidence file was: never opened, reported as missing.
    try FileManager.default.removeItem(atPath: reflection)
    #expect(mkfifo(reflection, 0o644) == 0)
    let piped = try issuing.verify(jwt, evidence: issuing.maria)
    #expect(piped.status == 3)
    #expect(piped.stderr.contains("evidence file reflection.md is not in the submission"))

    // Not a credential at all.
    try "hello".write(toFile: issuing.folder + "/junk.jwt", atomically: true, encoding: .utf8)
    let junk = try issuing.verify(issuing.folder + "/junk.jwt")
    #expect(junk.status == 3)
    #expect(junk.stderr.contains("not a signed credential"))
  }

  @Test func issuingIsRefusedForAnythingButAStandingEarnedDecision() throws {
    let issuing = try Issuing()
    let notYet = try issuing.run(["issue", issuing.cohort + "/priya-raman", "--key", issuing.signingKey])
    #expect(notYet.status == 1)
    #expect(notYet.stderr.contains("is not yet, not earned: no credential is issued"))
    #expect(notYet.stdout.isEmpty)

    let fresh = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let never = try CommandRunner.mastery(["issue", issuing.maria, "--key", issuing.signingKey, "--ledger", fresh])
    #expect(never.status == 3)
    #expect(never.stderr.contains("has no recorded decision: grade it first"))

    let publicOnly = try issuing.run(["issue", issuing.maria, "--key", issuing.publicKey])
    #expect(publicOnly.status == 3)
    #expect(publicOnly.stderr.contains("holds a public key only"))

    let past = try issuing.run(["issue", issuing.maria, "--key", issuing.signingKey, "--valid-until", "2020-01-01"])
    #expect(past.status == 64, "an already-expired credential is never issued")
    #expect(past.stderr.contains("--valid-until 2020-01-01 is not after now"), "\(past.stderr)")
    let noKey = try issuing.run(["issue", issuing.maria])
    #expect(noKey.status == 64)
    #expect(noKey.stderr.contains("Missing expected argument '--key <key>'"))

    let reflection = issuing.maria + "/reflection.md"
    try (String(contentsOfFile: reflection, encoding: .utf8) + "\nOne more line.\n").write(
      toFile: reflection, atomically: true, encoding: .utf8)
    let changed = try issuing.run(["issue", issuing.maria, "--key", issuing.signingKey])
    #expect(changed.status == 3)
    #expect(changed.stderr.contains("and since then reflection.md changed: grade it again"))
  }

  @Test func batchIssuesACredentialForEveryEarnedDecision() throws {
    let issuing = try Issuing()
    let folder = issuing.folder + "/credentials"
    let result = try issuing.run([
      "batch", issuing.cohort, "--issue", "--key", issuing.signingKey, "--credentials", folder, "--no-progress",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.contains("1 credential issued in \(folder)"))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(files == ["digital-literacy-rusd-t-0142-2.jwt"], "credential, candidate, attempt")
    let verified = try issuing.verify(folder + "/" + files[0], evidence: issuing.maria)
    #expect(verified.status == 0, "\(verified.stderr)")
    let keyless = try issuing.run(["batch", issuing.cohort, "--issue"])
    #expect(keyless.status == 64)
  }

  /// Issue 12: an earned page named `mastery verify CREDENTIAL` before any credential existed.
  ///
  /// It names the file and the command only when batch issued one with the page.
  @Test func aFeedbackPageNamesOnlyACredentialThatWasIssued() throws {
    let issuing = try Issuing()
    let pages = issuing.folder + "/pages"
    let result = try issuing.run([
      "batch", issuing.cohort, "--issue", "--key", issuing.signingKey, "--credentials", issuing.folder + "/credentials",
      "--html", pages, "--no-progress",
    ])
    #expect(result.status == 1, "\(result.stderr)")
    let issued = try String(contentsOfFile: pages + "/digital-literacy-rusd-t-0142-2.html", encoding: .utf8)
    #expect(issued.contains("Your credential is the file <code>digital-literacy-rusd-t-0142-2.jwt</code>"))
    #expect(
      issued.contains(
        "<code>mastery verify digital-literacy-rusd-t-0142-2.jwt --key ISSUER-PUBLIC-KEY --evidence YOUR-SUBMISSION-FOLDER</code>"
      ))
    let plain = try issuing.run(["batch", issuing.cohort, "--html", pages + "-plain", "--no-progress"])
    #expect(plain.status == 1, "\(plain.stderr)")
    let earned = try String(contentsOfFile: pages + "-plain/digital-literacy-rusd-t-0142-2.html", encoding: .utf8)
    #expect(earned.contains("<h3>Your credential</h3>"))
    #expect(!earned.contains("mastery verify"))
    #expect(!earned.contains(".jwt"))
    #expect(earned.contains("What you receive next is the credential itself, from the issuer"))
    let graded = try issuing.run(["grade", issuing.maria, "--format", "html"])
    #expect(!graded.stdout.contains("mastery verify"))
  }
}
