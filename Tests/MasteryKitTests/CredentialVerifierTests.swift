import Foundation
import Testing

@testable import MasteryKit

/// A VC-JWT with `payload` as it is, signed by `key`: what a forger holding the key, or a buggy
/// issuer, could make.
private func signed(_ payload: [String: Any], with key: IssuerKey, alg: String = "EdDSA") throws -> String {
  let header = try JSONSerialization.data(withJSONObject: ["alg": alg, "kid": key.kid, "typ": "JWT"])
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

  @Test func onlyEdDSAIsAccepted() throws {
    let token = try signed(minimal(key), with: key, alg: "none")
    #expect(verifier.verify(token).failures == [.unsupportedAlgorithm("none")])
  }

  @Test func aKeyDocumentWithARotatedKeyGivesTheKeyTheCredentialNames() throws {
    let old = try IssuerKey.generate(issuerID: "https://pd.example.org")
    func method(_ issuerKey: IssuerKey) -> [String: Any] {
      [
        "id": issuerKey.kid, "type": "JsonWebKey2020", "controller": issuerKey.issuerID,
        "publicKeyJwk": issuerKey.publicJWK,
      ]
    }
    let document: [String: Any] = ["id": key.issuerID, "verificationMethod": [method(old), method(key)]]
    let path = FileManager.default.temporaryDirectory.path + "/keys-\(UUID().uuidString).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
    let token = try signed(minimal(key), with: key)
    #expect(CredentialVerifier.kid(of: token) == key.kid)
    let chosen = try IssuerKey.read(path, kid: CredentialVerifier.kid(of: token))
    #expect(chosen.kid == key.kid)
    #expect(CredentialVerifier(key: chosen, now: verifier.now).verify(token).failures.isEmpty)
    #expect(try IssuerKey.read(path).kid == old.kid, "without a kid, the first")
  }

  @Test func aKeyFileMustHoldAMatchingPair() throws {
    let folder = FileManager.default.temporaryDirectory.path + "/keys-\(UUID().uuidString)"
    let paths = try key.write(to: folder)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(try IssuerKey.read(paths.privateKey).canSign)
    #expect(try !IssuerKey.read(paths.publicKey).canSign)
    #expect(try IssuerKey.read(paths.keyDocument).kid == key.kid)
    // A private part from another key is refused.
    var jwk =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths.privateKey)))
      as? [String: String] ?? [:]
    jwk["d"] = Base64URL.encode(Data(repeating: 7, count: 32))
    try JSONSerialization.data(withJSONObject: jwk).write(to: URL(fileURLWithPath: paths.privateKey))
    #expect(throws: IssuerKey.KeyError.self) { try IssuerKey.read(paths.privateKey) }
  }
}
