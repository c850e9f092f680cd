import Crypto
import Foundation

/// An issuer's Ed25519 key: the public part anyone may hold, and, on the
/// issuer's machine only, the private part that signs credentials.
///
/// Stored as JSON Web Keys (RFC 8037, `kty` `OKP`, `crv` `Ed25519`) with the
/// issuer's id and a key id (`kid`: the issuer id, `#`, the key's RFC 7638
/// thumbprint), so a credential's header says which key signed it.
public struct IssuerKey: Sendable {
  /// The issuer's id: an https URL or a DID, as credentials name it.
  public let issuerID: String
  /// The raw 32-byte public key.
  let publicKeyBytes: Data
  /// The raw 32-byte private key: only on the issuer's machine; never printed, never given to a sandbox.
  let privateKeyBytes: Data?

  var publicKey: Curve25519.Signing.PublicKey? { try? Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes) }
  var privateKey: Curve25519.Signing.PrivateKey? {
    privateKeyBytes.flatMap { try? Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
  }

  /// Why a key cannot be made, read or used.
  public enum KeyError: Error, Equatable, CustomStringConvertible {
    case badIssuerID(String)
    case unreadable(path: String, reason: String)
    case notAKey(path: String, reason: String)
    case noPrivateKey(path: String)

    public var description: String {
      switch self {
      case .badIssuerID(let id):
        return
          "'\(id)' is not an issuer id: use the https URL of the issuer's page (https://pd.example.org), a DID (did:web:pd.example.org), or did:key for an issuer that is its key (a full did:key names a key already, and a new key cannot be it)"
      case .unreadable(let path, let reason): return "\(path): cannot read the key: \(reason)"
      case .notAKey(let path, let reason): return "\(path): not a mastery issuer key: \(reason)"
      case .noPrivateKey(let path):
        return
          "\(path) holds a public key only; signing needs the private key file (signing-key.jwk from `mastery keys generate`)"
      }
    }
  }

  /// A new key for `issuerID`; `did:key` alone for an issuer that is the key itself (its
  /// `did:key` is made from the new key).
  ///
  /// - Throws: `KeyError.badIssuerID` for anything else that is not an issuer id, and for a full
  ///   `did:key:...`: it names one key already, which a new key cannot be.
  public static func generate(issuerID: String) throws -> IssuerKey {
    let key = Curve25519.Signing.PrivateKey()
    if issuerID == "did:key" {
      return IssuerKey(
        issuerID: didKey(key.publicKey.rawRepresentation), publicKey: key.publicKey, privateKey: key)
    }
    guard isIssuerID(issuerID), !issuerID.hasPrefix("did:key:") else { throw KeyError.badIssuerID(issuerID) }
    return IssuerKey(issuerID: issuerID, publicKey: key.publicKey, privateKey: key)
  }

  /// The `did:key` of an Ed25519 public key: `did:key:z` and the base58btc of the multicodec
  /// prefix 0xed 0x01 and the key's 32 bytes.
  public static func didKey(_ publicKey: Data) -> String {
    "did:key:z" + base58([0xed, 0x01] + Array(publicKey))
  }

  /// Base58 with the Bitcoin alphabet, as multibase `z` writes it.
  static func base58(_ bytes: [UInt8]) -> String {
    let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    var digits: [Int] = []
    for byte in bytes {
      var carry = Int(byte)
      for index in digits.indices {
        carry += digits[index] << 8
        digits[index] = carry % 58
        carry /= 58
      }
      while carry > 0 {
        digits.append(carry % 58)
        carry /= 58
      }
    }
    let zeros = bytes.prefix { $0 == 0 }.count
    return String(repeating: "1", count: zeros) + String(digits.reversed().map { alphabet[$0] })
  }

  /// An https URL or a DID.
  public static func isIssuerID(_ text: String) -> Bool {
    if text.hasPrefix("did:") { return text.split(separator: ":").count >= 3 && !text.contains(where: \.isWhitespace) }
    guard let url = URL(string: text), url.scheme == "https", let host = url.host, !host.isEmpty else { return false }
    return url.query == nil && url.fragment == nil
  }

  init(issuerID: String, publicKey: Curve25519.Signing.PublicKey, privateKey: Curve25519.Signing.PrivateKey?) {
    self.issuerID = issuerID
    publicKeyBytes = publicKey.rawRepresentation
    privateKeyBytes = privateKey?.rawRepresentation
  }

  public var canSign: Bool { privateKeyBytes != nil }

  /// The public key's `x`, base64url.
  var x: String { Base64URL.encode(publicKeyBytes) }

  /// The RFC 7638 thumbprint: SHA-256 of the required members in lexical order, base64url.
  public var thumbprint: String {
    let canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"\(x)\"}"
    return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
  }

  /// The key id credentials carry in their header: for a `did:key` issuer its one verification
  /// method (`did:key:z...#z...`), else the issuer id and the key's thumbprint.
  public var kid: String {
    issuerID.hasPrefix("did:key:") ? "\(issuerID)#\(issuerID.dropFirst("did:key:".count))" : "\(issuerID)#\(thumbprint)"
  }

  /// The public JWK.
  public var publicJWK: [String: String] {
    ["kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"]
  }

  /// A key document to publish at the issuer's URL (or as its DID document): the issuer as
  /// controller of one JsonWebKey2020 verification method allowed to assert credentials.
  public var keyDocument: [String: Any] {
    [
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
      "id": issuerID,
      "verificationMethod": [
        ["id": kid, "type": "JsonWebKey2020", "controller": issuerID, "publicKeyJwk": publicJWK] as [String: Any]
      ],
      "assertionMethod": [kid],
    ]
  }

  /// The private JWK file's content (`d` is the private key): for the issuer's machine only.
  func privateJWKData() throws -> Data {
    guard let privateKey else { throw KeyError.noPrivateKey(path: "(memory)") }
    var jwk: [String: String] = publicJWK
    jwk["d"] = Base64URL.encode(privateKey.rawRepresentation)
    jwk["issuer"] = issuerID
    return try JSONSerialization.data(
      withJSONObject: jwk, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
  }

  /// Writes `signing-key.jwk` (mode 0600), `public-key.jwk` and `issuer-key.json` into `folder`.
  ///
  /// - Returns: the three paths.
  /// - Throws: when a file exists already (a key is never overwritten) or cannot be written.
  public func write(to folder: String) throws -> (privateKey: String, publicKey: String, keyDocument: String) {
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let paths = (
      privateKey: (folder as NSString).appendingPathComponent("signing-key.jwk"),
      publicKey: (folder as NSString).appendingPathComponent("public-key.jwk"),
      keyDocument: (folder as NSString).appendingPathComponent("issuer-key.json")
    )
    for path in [paths.privateKey, paths.publicKey, paths.keyDocument] where manager.fileExists(atPath: path) {
      throw KeyError.unreadable(
        path: path, reason: "it exists already; a key is never overwritten (move it aside first)")
    }
    // Created 0600 before any secret is written.
    guard manager.createFile(atPath: paths.privateKey, contents: nil, attributes: [.posixPermissions: 0o600]) else {
      throw KeyError.unreadable(path: paths.privateKey, reason: "cannot create it")
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: paths.privateKey))
    try handle.write(contentsOf: privateJWKData() + Data("\n".utf8))
    try handle.close()
    let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var publicJWK: [String: String] = self.publicJWK
    publicJWK["issuer"] = issuerID
    try (JSONSerialization.data(withJSONObject: publicJWK, options: options) + Data("\n".utf8)).write(
      to: URL(fileURLWithPath: paths.publicKey))
    try (JSONSerialization.data(withJSONObject: keyDocument, options: options) + Data("\n".utf8)).write(
      to: URL(fileURLWithPath: paths.keyDocument))
    return paths
  }

  /// Reads a key: a private or public JWK written by `write(to:)`, or a key document.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - kid: in a key document with several keys (a rotated key), the one to take; else the first.
  /// - Throws: `KeyError` naming the file and what is wrong.
  public static func read(_ path: String, kid: String? = nil) throws -> IssuerKey {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw KeyError.unreadable(path: path, reason: error.localizedDescription)
    }
    guard data.count < 64 * 1024, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw KeyError.notAKey(path: path, reason: "not a JSON object")
    }
    var jwk = object
    var issuer = object["issuer"] as? String
    if let methods = object["verificationMethod"] as? [[String: Any]] {
      let chosen = methods.first { $0["id"] as? String == kid } ?? methods.first
      guard let first = chosen, let key = first["publicKeyJwk"] as? [String: Any] else {
        throw KeyError.notAKey(path: path, reason: "the key document has no verificationMethod with a publicKeyJwk")
      }
      jwk = key
      issuer = (first["controller"] as? String) ?? (object["id"] as? String)
    }
    guard jwk["kty"] as? String == "OKP", jwk["crv"] as? String == "Ed25519", let x = jwk["x"] as? String,
      let raw = Base64URL.decode(x), let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    else {
      throw KeyError.notAKey(path: path, reason: "not an Ed25519 JSON Web Key (kty OKP, crv Ed25519, x)")
    }
    guard let issuer, isIssuerID(issuer) else {
      throw KeyError.notAKey(
        path: path, reason: "it does not name its issuer (\"issuer\", or the key document's controller)")
    }
    if issuer.hasPrefix("did:key:"), issuer != didKey(publicKey.rawRepresentation) {
      throw KeyError.notAKey(
        path: path, reason: "its issuer \(issuer) is the did:key of another key than the one in the file")
    }
    var privateKey: Curve25519.Signing.PrivateKey?
    if let d = jwk["d"] as? String {
      guard let raw = Base64URL.decode(d), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw),
        key.publicKey.rawRepresentation == publicKey.rawRepresentation
      else {
        throw KeyError.notAKey(path: path, reason: "its private part (d) does not belong to its public part (x)")
      }
      privateKey = key
    }
    return IssuerKey(issuerID: issuer, publicKey: publicKey, privateKey: privateKey)
  }

  /// Signs a JWS signing input.
  func sign(_ input: Data) throws -> Data {
    guard let privateKey else { throw KeyError.noPrivateKey(path: "(public key)") }
    return try privateKey.signature(for: input)
  }

  func isValidSignature(_ signature: Data, for input: Data) -> Bool {
    publicKey?.isValidSignature(signature, for: input) ?? false
  }
}
