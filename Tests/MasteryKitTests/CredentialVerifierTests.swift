import Foundation
import Testing
import _CryptoExtras

@testable import MasteryKit

/// A VC-JWT with `payload` as it is, signed by `key`: what a forger holding the key, or a buggy
/// issuer, could make.
private func signed(_ payload: [String: Any], with key: IssuerKey, alg: String? = nil) throws -> String {
  let header = try JSONSerialization.data(withJSONObject: ["alg": alg ?? key.algorithm.rawValue, "kid": key.kid, "typ": "JWT"])
  let body = try JSONSerialization.data(withJSONObject: payload)
  let input = Base64URL.encode(header) + "." + Base64URL.encode(body)
  return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
}

private func minimal(_ key: IssuerKey) -> [String: Any] {
  [
    "@context": OpenBadgeCredential.contexts, "id": "urn:uuid:1",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": ["id": key.issuerID, "type": ["Profile"], "name": "PD"], "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": [
      "id": "urn:mastery:candidate:t-1", "type": ["AchievementSubject"],
      "achievement": [
        "id": "urn:mastery:achievement:x:1.0.0", "type": ["Achievement"], "name": "X", "description": "D",
        "criteria": ["narrative": "N"],
      ] as [String: Any],
    ] as [String: Any],
    "iss": key.issuerID, "jti": "urn:uuid:1", "sub": "urn:mastery:candidate:t-1", "nbf": 1_767_225_600,
  ]
}

@Suite("Credential verification")
struct CredentialVerifierTests {
  let key: IssuerKey
  let verifier: CredentialVerifier

  init() throws {
    key = try IssuerKey.generate(issuerID: "https://pd.example.org")
    verifier = CredentialVerifier(key: key, now: Date(timeIntervalSince1970: 1_790_000_000))
  }

  @Test func aMinimalCredentialIsValid() throws {
    let result = verifier.verify(try signed(minimal(key), with: key))
    #expect(result.failures.isEmpty, "\(result.failures)")
  }

  @Test func claimsThatDisagreeWithTheCredentialAreNamed() throws {
    var payload = minimal(key)
    payload["jti"] = "urn:uuid:2"
    payload["sub"] = "urn:mastery:candidate:someone-else"
    let failures = verifier.verify(try signed(payload, with: key)).failures
    #expect(failures.contains(.claimMismatch(claim: "jti", expected: "urn:uuid:1", found: "urn:uuid:2")))
    #expect(failures.contains { if case .claimMismatch("sub", _, _) = $0 { true } else { false } })
  }

  @Test func datesAreChecked() throws {
    var payload = minimal(key)
    payload["validFrom"] = "2030-01-01T00:00:00Z"
    payload["nbf"] = 1_893_456_000
    #expect(
      verifier.verify(try signed(payload, with: key)).failures == [.notYetValid(validFrom: "2030-01-01T00:00:00Z")])
  }

  @Test func missingRequiredFieldsAreStructureFailures() throws {
    var payload = minimal(key)
    payload["type"] = ["VerifiableCredential"]
    var subject = payload["credentialSubject"] as? [String: Any] ?? [:]
    var achievement = subject["achievement"] as? [String: Any] ?? [:]
    achievement.removeValue(forKey: "criteria")
    subject["achievement"] = achievement
    payload["credentialSubject"] = subject
    let failures = verifier.verify(try signed(payload, with: key)).failures.map(\.description)
    #expect(
      failures.contains { $0.contains("credential.type must include VerifiableCredential and OpenBadgeCredential") })
    #expect(failures.contains { $0.contains("achievement.criteria is missing") })
  }

  @Test func onlyRS256ES256AndEdDSAAreAcceptedEachWithItsOwnKind() throws {
    for alg in ["none", "HS256", "RS512", "ES384"] {
      #expect(verifier.verify(try signed(minimal(key), with: key, alg: alg)).failures == [.unsupportedAlgorithm(alg)])
    }
    for algorithm in SigningAlgorithm.allCases {
      let made = try IssuerKey.generate(issuerID: "https://pd.example.org", algorithm: algorithm)
      let check = CredentialVerifier(key: made, now: verifier.now)
      #expect(check.verify(try signed(minimal(made), with: made)).failures == [], "\(algorithm)")
      // A header naming another algorithm than the key's is refused before any signature check.
      for other in SigningAlgorithm.allCases where other != algorithm {
        let token = try signed(minimal(made), with: made, alg: other.rawValue)
        #expect(
          check.verify(token).failures == [.algorithmMismatch(alg: other.rawValue, given: algorithm.rawValue)])
      }
    }
  }

  @Test func everyKeyFormRoundTripsToTheSameKey() throws {
    for algorithm in SigningAlgorithm.allCases {
      let made = try IssuerKey.generate(issuerID: "did:key", algorithm: algorithm)
      let thumbprint = made.publicKey.thumbprint
      #expect(try VerificationKey(pem: made.publicKey.pem).thumbprint == thumbprint, "\(algorithm) PEM")
      #expect(try VerificationKey(jwk: made.publicJWK).thumbprint == thumbprint, "\(algorithm) JWK")
      #expect(try VerificationKey(multikey: made.publicKey.multikey).thumbprint == thumbprint, "\(algorithm) Multikey")
      #expect(try VerificationKey(didKey: made.kid).thumbprint == thumbprint, "\(algorithm) did:key")
      // A JWK whose alg is not its key's is refused.
      var wrong = made.publicJWK
      wrong["alg"] = algorithm == .rs256 ? "ES256" : "RS256"
      #expect(throws: VerificationKey.Unreadable.self) { try VerificationKey(jwk: wrong) }
    }
    // An endless file given as a key is refused after 1 MiB, never read whole.
    let endless = #expect(throws: IssuerKey.KeyError.self) { try KeySet.read("/dev/zero") }
    #expect("\(endless.map { "\($0)" } ?? "")".contains("/dev/zero: not a mastery issuer key: larger than 1 MiB"))
    // The multicodec prefixes the did:key method names: z6Mk (Ed25519), zDn (P-256), z4MX (RSA 2048).
    #expect(try IssuerKey.generate(issuerID: "did:key", algorithm: .rs256).issuerID.hasPrefix("did:key:z4MX"))
    // An RSA key under 2048 bits is refused, in every form.
    let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey
    for form in [
      { () throws -> VerificationKey in try VerificationKey(pem: small.pemRepresentation) },
      { try VerificationKey(jwk: ["kty": "RSA", "n": Base64URL.encode(VerificationKey.primitives(small).n), "e": "AQAB"]) },
      { try VerificationKey(multikey: "z" + Base58.encode([0x85, 0x24] + Array(small.pkcs1DERRepresentation))) },
    ] {
      let error = #expect(throws: VerificationKey.Unreadable.self) { try form() }
      #expect(error?.reason.contains("fewer than 2048 are refused") == true, "\(String(describing: error))")
    }
  }

  @Test func aDocumentWithARotatedKeyVerifiesByTheKidAndOnlyItsAssertionMethods() throws {
    let old = try IssuerKey.generate(issuerID: "did:web:pd.example.org", algorithm: .es256)
    let current = try IssuerKey.generate(issuerID: "did:web:pd.example.org", algorithm: .eddsa)
    func method(_ issuerKey: IssuerKey) -> [String: Any] {
      [
        "id": issuerKey.kid, "type": "JsonWebKey2020", "controller": issuerKey.issuerID,
        "publicKeyJwk": issuerKey.publicJWK,
      ]
    }
    var document: [String: Any] = [
      "id": current.issuerID, "verificationMethod": [method(old), method(current)],
      "assertionMethod": [old.kid, current.kid],
    ]
    let path = FileManager.default.temporaryDirectory.path + "/keys-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
    let keys = try KeySet.read(path)
    for signer in [old, current] {
      let token = try signed(minimal(signer), with: signer)
      let result = CredentialVerifier(keys: keys, now: verifier.now).verify(token)
      #expect(result.failures.isEmpty, "\(result.failures)")
      #expect(result.summary?.signedWith == signer.kid && result.summary?.keyNamesIssuer == true)
    }
    // A key the document lists but does not allow to assert credentials is not used.
    document["assertionMethod"] = [current.kid]
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
    let restricted = CredentialVerifier(keys: try KeySet.read(path), now: verifier.now)
    #expect(restricted.verify(try signed(minimal(old), with: old)).failures.map(\.description).first?.contains("is for EdDSA") == true)
    document.removeValue(forKey: "assertionMethod")
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
    #expect(throws: IssuerKey.KeyError.self) { try KeySet.read(path) }
  }

  @Test func aKeyOfAnotherIssuerIsRefusedEvenWhenItSigned() throws {
    // A did:key holder signs a credential that claims a district's did:web as its issuer.
    let forger = try IssuerKey.generate(issuerID: "did:key", algorithm: .eddsa)
    var payload = minimal(forger)
    payload["issuer"] = ["id": "did:web:district.example.org", "type": ["Profile"], "name": "District"]
    payload["iss"] = "did:web:district.example.org"
    let token = try signed(payload, with: forger)
    let failures = CredentialVerifier(keys: try KeySet.resolve(didKey: forger.kid), now: verifier.now)
      .verify(token).failures
    #expect(failures.contains(.notIssuersKey(kid: forger.kid, issuer: "did:web:district.example.org")))
    #expect(failures.contains(.anotherIssuersKey(keyIssuer: forger.issuerID, issuer: "did:web:district.example.org")))
    // The same key given as a plain JWK (no issuer named) still cannot claim the district: its kid says whose it is.
    let plain = CredentialVerifier(keys: KeySet(entries: [.init(key: forger.publicKey, kid: nil, issuer: nil)]), now: verifier.now)
    #expect(plain.verify(token).failures == [.notIssuersKey(kid: forger.kid, issuer: "did:web:district.example.org")])
    // An https issuer's key id on another site.
    #expect(!CredentialVerifier.kid("https://evil.example.net/keys/1.json", belongsTo: "https://pd.example.org"))
    #expect(CredentialVerifier.kid("https://pd.example.org/keys/1.json", belongsTo: "https://pd.example.org/badges"))
    #expect(CredentialVerifier.kid("key-1", belongsTo: "https://pd.example.org"))
  }

  @Test func aKeyFileMustHoldAMatchingPair() throws {
    for algorithm in SigningAlgorithm.allCases {
      let made = try IssuerKey.generate(issuerID: "https://pd.example.org", algorithm: algorithm)
      let folder = FileManager.default.temporaryDirectory.path + "/keys-\(UUID().uuidString)"
      let paths = try made.write(to: folder)
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let read = try IssuerKey.read(paths.privateKey)
      #expect(read.canSign && read.kid == made.kid && read.publicKey.thumbprint == made.publicKey.thumbprint)
      // What it signs, the written public key verifies.
      let token = try signed(minimal(read), with: read)
      #expect(CredentialVerifier(keys: try KeySet.read(paths.publicKey), now: verifier.now).verify(token).failures == [])
      #expect(throws: IssuerKey.KeyError.noPrivateKey(path: paths.publicKey)) { try IssuerKey.read(paths.publicKey) }
      // A private part from another key is refused.
      var jwk =
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths.privateKey)))
        as? [String: String] ?? [:]
      let other = try IssuerKey.generate(issuerID: "https://pd.example.org", algorithm: algorithm)
      for (name, value) in try other.privateKey?.jwkMembers() ?? [:] { jwk[name] = value }
      try JSONSerialization.data(withJSONObject: jwk).write(to: URL(fileURLWithPath: paths.privateKey))
      #expect(throws: IssuerKey.KeyError.self) { try IssuerKey.read(paths.privateKey) }
    }
  }
}
