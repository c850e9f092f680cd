import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

/// Credentials an issuer's key could sign but no verifier should accept: each check fails closed.
/// The payload is the documented example credential's, re-signed with a new key of the same issuer.
@Suite("Credential checks that must fail closed")
struct CredentialChecksTests {
  let key: IssuerKey
  let payload: [String: Any]
  let verifier: CredentialVerifier

  init() throws {
    key = try IssuerKey.generate(issuerID: "https://pd.riverside.example.org")
    let token = try String(contentsOfFile: TestPaths.repository("docs/examples/maria-lopez.jwt"), encoding: .utf8)
    let part = try #require(token.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").dropFirst().first)
    let data = try #require(Base64URL.decode(part))
    payload = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    verifier = CredentialVerifier(key: key, now: Date(timeIntervalSince1970: 1_800_000_000))
  }

  func sign(_ payload: [String: Any], header: [String: Any]? = nil) throws -> String {
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
    let head = header ?? ["alg": key.algorithm.rawValue, "typ": "JWT", "kid": key.kid]
    let input =
      Base64URL.encode(try JSONSerialization.data(withJSONObject: head, options: options)) + "."
      + Base64URL.encode(try JSONSerialization.data(withJSONObject: payload, options: options))
    return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
  }

  func failures(_ token: String) -> [String] { verifier.verify(token).failures.map(\.description) }

  @Test func theUntouchedPayloadVerifies() throws {
    #expect(failures(try sign(payload)) == [])
  }

  @Test func anExpiryThatIsNotADateFailsRatherThanSkippingTheCheck() throws {
    var changed = payload
    changed["validUntil"] = "2020-01-01 garbage"
    #expect(failures(try sign(changed)).contains { $0.contains("validUntil '2020-01-01 garbage' is not a date-time") })
  }

  @Test func lowerCaseTAndZAreReadAsRFC3339AllowsAndTheExpiryApplies() throws {
    var changed = payload
    changed["validUntil"] = "2020-01-01t00:00:00z"
    changed["exp"] = 1_577_836_800
    #expect(failures(try sign(changed)) == ["expired: it was valid until 2020-01-01t00:00:00z"])
  }

  @Test func expWithoutValidUntilIsTheExpiry() throws {
    var expired = payload
    expired["exp"] = 1_700_000_000
    #expect(failures(try sign(expired)) == ["expired: it was valid until 2023-11-14T22:13:20Z"])
    var later = payload
    later["exp"] = 1_900_000_000
    #expect(failures(try sign(later)) == [], "exp alone, still to come, is valid (Open Badges 3.0 section 8.2)")
  }

  @Test(arguments: [
    (#"{"crit": ["b64"]}"#, "the header has 'crit', naming extensions this verifier does not understand"),
    (#"{"jku": "https://evil.example/jwks.json"}"#, "the header has 'jku'"),
    (#"{"jwk": {"kty": "OKP"}}"#, "the header has 'jwk'"),
    (#"{"x5u": "https://evil.example/cert.pem"}"#, "the header has 'x5u'"),
  ])
  func headersThatNameExtensionsOrKeysAreRefused(extraJSON: String, message: String) throws {
    let extra = try #require(try JSONSerialization.jsonObject(with: Data(extraJSON.utf8)) as? [String: Any])
    var header: [String: Any] = ["alg": key.algorithm.rawValue, "typ": "JWT", "kid": key.kid]
    header.merge(extra) { $1 }
    let found = failures(try sign(payload, header: header))
    #expect(found.count == 1 && found[0].contains(message), "\(found)")
  }

  @Test func aSignatureHasOneSpelling() throws {
    let token = try sign(payload)
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    let last = try #require(token.last)
    let index = try #require(alphabet.firstIndex(of: last))
    // 64 bytes in 86 characters leave the last character's 4 low bits unused: flip one.
    let respelled = String(token.dropLast()) + String(alphabet[index ^ 1])
    #expect(failures(respelled) == ["not a signed credential: the signature is not base64url"])
  }

  @Test func aLevelBelowTheRequiredLevelIsRefused() throws {
    var changed = payload
    var subject = try #require(changed["credentialSubject"] as? [String: Any])
    var results = try #require(subject["result"] as? [[String: Any]])
    let described = try #require(results[0]["resultDescription"] as? String)
    results[0]["achievedLevel"] = described + "-level-developing"
    subject["result"] = results
    changed["credentialSubject"] = subject
    let found = failures(try sign(changed))
    #expect(found.count == 1 && found[0].contains("achieved \(described)-level-developing, below the required"), "\(found)")
  }

  @Test func aDidKeyIssuerIsItsOwnKey() throws {
    let made = try IssuerKey.generate(issuerID: "did:key", algorithm: .eddsa)
    #expect(made.issuerID.hasPrefix("did:key:z6Mk"), "an Ed25519 did:key: \(made.issuerID)")
    #expect(try IssuerKey.generate(issuerID: "did:key", algorithm: .es256).issuerID.hasPrefix("did:key:zDn"))
    #expect(made.kid == made.issuerID + "#" + made.issuerID.dropFirst("did:key:".count))
    #expect(made.issuerID == made.publicKey.didKey)
    #expect(throws: IssuerKey.KeyError.self) { try IssuerKey.generate(issuerID: "did:key:z6MkBOGUS") }
    // A key file whose did:key names another key is refused.
    let folder = try TestPaths.temporaryFolder()
    let paths = try made.write(to: folder)
    let other = try IssuerKey.generate(issuerID: "did:key")
    let text = try String(contentsOfFile: paths.privateKey, encoding: .utf8)
      .replacingOccurrences(of: made.issuerID, with: other.issuerID)
    try text.write(toFile: folder + "/swapped.jwk", atomically: true, encoding: .utf8)
    #expect(throws: IssuerKey.KeyError.self) { try IssuerKey.read(folder + "/swapped.jwk") }
    #expect(throws: IssuerKey.KeyError.self) { try KeySet.read(folder + "/swapped.jwk") }
    #expect(try IssuerKey.read(paths.privateKey).issuerID == made.issuerID)
    // Its did:key resolves offline to the key, bound to the DID; a fragment of another key is refused.
    let resolved = try KeySet.resolve(didKey: made.kid)
    #expect(resolved.entries.map(\.issuer) == [made.issuerID] && resolved.entries.map(\.kid) == [made.kid])
    #expect(throws: VerificationKey.Unreadable.self) {
      try KeySet.resolve(didKey: made.issuerID + "#" + other.issuerID.dropFirst("did:key:".count))
    }
  }

  @Test func anIdentityHashIsTheOneOpenBadgesDefines() {
    // The example of the Open Badges 3.0 IdentityHash: 'a@example.com' salted with 'Kosher'.
    let identity = OpenBadgeCredential.Identity.hashed("a@example.com", type: "emailAddress", salt: "Kosher")
    #expect(identity.identityHash == "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
    #expect(identity.hashed && identity.salt == "Kosher")
  }

  @Test func theBadgeIsAnAccessibleSVGWithTheTitle() throws {
    let path = try RubricFactory.write(
      RubricFactory.rubric(evaluator: #"      <evaluator kind="reviewer"/>"#)
        .replacingOccurrences(of: "<title>Example</title>", with: "<title>Reading &amp; Writing Across the Content Areas in Middle School</title>"))
    let rubric = try #require(try RubricLoader().load(path).rubric)
    let svg = BadgeImage.svg(for: rubric)
    #expect(svg.contains(#"role="img""#))
    #expect(svg.contains("<title id=\"title\">Reading &amp; Writing Across the Content Areas in Middle School, a microcredential from Example PD</title>"))
    #expect(BadgeImage.wrap("Reading & Writing Across the Content Areas in Middle School", width: 18, lines: 4)
      == ["Reading & Writing", "Across the Content", "Areas in Middle", "School"])
    #expect(BadgeImage.wrap("one two three four five six seven eight nine ten", width: 9, lines: 2) == ["one two", "three…"])
    // WCAG contrast of white text on each colour: at least 7:1 (AAA).
    for colour in BadgeImage.colours {
      let channels = stride(from: 1, to: 7, by: 2).map { index -> Double in
        let start = colour.index(colour.startIndex, offsetBy: index)
        let value = Double(Int(colour[start..<colour.index(start, offsetBy: 2)], radix: 16) ?? 0) / 255
        return value <= 0.03928 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
      }
      let luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
      #expect(1.05 / (luminance + 0.05) >= 7, "\(colour)")
    }
  }

  @Test func base58MatchesTheBitcoinAlphabetAndLeadingZeros() {
    // "Hello World!" and a leading zero byte, as every base58btc implementation writes them.
    #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
    #expect(Base58.encode([0, 0, 1]) == "112")
    #expect(Base58.decode("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
    #expect(Base58.decode("112") == [0, 0, 1])
    #expect(Base58.decode("0OIl") == nil, "not in the alphabet")
  }
}
