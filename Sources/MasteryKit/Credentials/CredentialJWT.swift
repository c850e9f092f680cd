import Foundation

/// An Open Badges 3.0 credential signed as a VC-JWT (Open Badges 3.0 section 8):
/// a compact JWS whose header is `alg` (the key's: `RS256`, `ES256` or `EdDSA`), `typ` `JWT` and `kid`, and
/// whose payload is the credential with the JWT claims `iss` (the issuer id),
/// `jti` (the credential id), `nbf` (`validFrom`), `sub` (the subject id) and,
/// when the credential expires, `exp` (`validUntil`).
public enum CredentialJWT {
  /// Signs `credential` with `key`.
  ///
  /// - Returns: the compact JWS (`header.payload.signature`).
  /// - Throws: `IssuerKey.KeyError.noPrivateKey` for a public key.
  public static func sign(_ credential: OpenBadgeCredential, with key: IssuerKey) throws -> String {
    guard key.canSign else { throw IssuerKey.KeyError.noPrivateKey(path: "the key given") }
    guard var payload = try JSONSerialization.jsonObject(with: credential.json()) as? [String: Any] else {
      throw IssuerKey.KeyError.notAKey(path: "(credential)", reason: "the credential is not a JSON object")
    }
    payload["iss"] = key.issuerID
    payload["jti"] = credential.id
    if let subject = credential.credentialSubject.id { payload["sub"] = subject }
    payload["nbf"] = seconds(credential.validFrom)
    if let validUntil = credential.validUntil { payload["exp"] = seconds(validUntil) }
    return try sign(payload: payload, with: key)
  }

  /// Signs a payload as it is (the JWT claims already in it).
  static func sign(payload: [String: Any], with key: IssuerKey) throws -> String {
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
    let header = try JSONSerialization.data(
      withJSONObject: ["alg": key.algorithm.rawValue, "typ": "JWT", "kid": key.kid], options: options)
    let input =
      Base64URL.encode(header) + "."
      + Base64URL.encode(try JSONSerialization.data(withJSONObject: payload, options: options))
    return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
  }

  /// Seconds since 1970 of an ISO 8601 time, as JWT NumericDate.
  static func seconds(_ iso: String) -> Int? {
    date(iso).map { Int($0.timeIntervalSince1970) }
  }

  /// An RFC 3339 date-time (`T` and `Z` in either case, as RFC 3339 allows), or nil for anything
  /// else: trailing text, a date alone, a time without an offset.
  static func date(_ iso: String) -> Date? {
    let iso = iso.uppercased()
    let formatter = ISO8601DateFormatter()
    if let date = formatter.date(from: iso) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: iso)
  }
}
