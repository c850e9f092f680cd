import Crypto
import Foundation
import _CryptoExtras

/// An issuer's signing key: the public part anyone may hold, its key id, the issuer it belongs to,
/// and, on the issuer's machine only, the private part that signs credentials.
///
/// Stored as JSON Web Keys (RFC 7517, 7518, 8037): `signing-key.jwk` is the private JWK with the
/// member `issuer` added (ours: JWK readers ignore members they do not know), `public-key.jwk` a
/// plain public JWK with its `kid`.
public struct IssuerKey: Sendable {
  /// The issuer's id: an https URL or a DID, as credentials name it.
  public let issuerID: String
  /// The key id credentials carry in their header.
  public let kid: String
  /// The public part.
  public let publicKey: VerificationKey
  /// The private part: only on the issuer's machine; never printed, never given to a sandbox.
  let privateKey: PrivateMaterial?

  /// The private key; P-256 and Ed25519 as their raw bytes (swift-crypto's types are not `Sendable`).
  enum PrivateMaterial: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(Data)
    case ed25519(Data)
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

  /// The algorithm new issuers get: RS256, the one every Open Badges 3.0 verifier must accept.
  public static let defaultAlgorithm = SigningAlgorithm.rs256

  /// A new key for `issuerID`; `did:key` alone for an issuer that is the key itself (its
  /// `did:key` is made from the new key).
  ///
  /// - Throws: `KeyError.badIssuerID` for anything else that is not an issuer id, and for a full
  ///   `did:key:...`: it names one key already, which a new key cannot be.
  public static func generate(issuerID: String, algorithm: SigningAlgorithm = defaultAlgorithm) throws -> IssuerKey {
    guard issuerID == "did:key" || (isIssuerID(issuerID) && !issuerID.hasPrefix("did:key:")) else {
      throw KeyError.badIssuerID(issuerID)
    }
    let material: PrivateMaterial
    switch algorithm {
    case .rs256: material = .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048))
    case .es256: material = .p256(P256.Signing.PrivateKey().rawRepresentation)
    case .eddsa: material = .ed25519(Curve25519.Signing.PrivateKey().rawRepresentation)
    }
    let publicKey = try material.publicKey()
    let issuer = issuerID == "did:key" ? publicKey.didKey : issuerID
    return IssuerKey(
      issuerID: issuer, kid: defaultKid(issuerID: issuer, key: publicKey), publicKey: publicKey, privateKey: material)
  }

  /// The key id of a new key: for a `did:key` issuer its one verification method
  /// (`did:key:z...#z...`); for another DID the DID and the key's thumbprint (the fragment of its
  /// verification method in the DID document `mastery keys publish` writes); for an https issuer
  /// the URL at which `mastery keys publish` puts the public JWK: the issuer id, `/keys/`, the
  /// thumbprint, `.json`.
  static func defaultKid(issuerID: String, key: VerificationKey) -> String {
    if issuerID.hasPrefix("did:key:") { return "\(issuerID)#\(issuerID.dropFirst("did:key:".count))" }
    if issuerID.hasPrefix("did:") { return "\(issuerID)#\(key.thumbprint)" }
    let base = issuerID.hasSuffix("/") ? String(issuerID.dropLast()) : issuerID
    return "\(base)/keys/\(key.thumbprint).json"
  }

  /// An https URL or a DID.
  public static func isIssuerID(_ text: String) -> Bool {
    if text.hasPrefix("did:") { return text.split(separator: ":").count >= 3 && !text.contains(where: \.isWhitespace) }
    guard let url = URL(string: text), url.scheme == "https", let host = url.host, !host.isEmpty else { return false }
    return url.query == nil && url.fragment == nil
  }

  public var canSign: Bool { privateKey != nil }
  public var algorithm: SigningAlgorithm { publicKey.algorithm }

  /// The public JWK: the key, its `kid`, `alg` and `use` `sig`.
  public var publicJWK: [String: String] {
    publicKey.jwk.merging(["kid": kid, "alg": algorithm.rawValue, "use": "sig"]) { $1 }
  }

  /// The private JWK file's content: the public JWK, the private members, and `issuer`.
  func privateJWKData() throws -> Data {
    guard let privateKey else { throw KeyError.noPrivateKey(path: "(memory)") }
    var jwk = publicJWK.merging(try privateKey.jwkMembers()) { $1 }
    jwk["issuer"] = issuerID
    return try JSONSerialization.data(
      withJSONObject: jwk, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
  }

  /// Writes `signing-key.jwk` (mode 0600) and `public-key.jwk` into `folder`.
  ///
  /// - Returns: the two paths.
  /// - Throws: when a file exists already (a key is never overwritten) or cannot be written.
  public func write(to folder: String) throws -> (privateKey: String, publicKey: String) {
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let paths = (
      privateKey: (folder as NSString).appendingPathComponent("signing-key.jwk"),
      publicKey: (folder as NSString).appendingPathComponent("public-key.jwk")
    )
    for path in [paths.privateKey, paths.publicKey] where manager.fileExists(atPath: path) {
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
    try (JSONSerialization.data(
      withJSONObject: publicJWK, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) + Data("\n".utf8))
      .write(to: URL(fileURLWithPath: paths.publicKey))
    return paths
  }

  /// Reads a signing key: a private JWK written by `write(to:)`, or any private JWK of an RSA,
  /// P-256 or Ed25519 key that names its issuer (`issuer`).
  ///
  /// Only for issuing: a verifier reads keys of any form with `KeySet.read`.
  /// - Throws: `KeyError` naming the file and what is wrong.
  public static func read(_ path: String) throws -> IssuerKey {
    let object = try KeySet.jsonObject(path)
    guard object["d"] != nil else { throw KeyError.noPrivateKey(path: path) }
    let publicKey: VerificationKey
    do {
      publicKey = try VerificationKey(jwk: object)
    } catch {
      throw KeyError.notAKey(path: path, reason: error.reason)
    }
    guard let issuer = object["issuer"] as? String, isIssuerID(issuer) else {
      throw KeyError.notAKey(path: path, reason: "it does not name its issuer (\"issuer\": an https URL or a DID)")
    }
    if issuer.hasPrefix("did:key:"), issuer != publicKey.didKey {
      throw KeyError.notAKey(
        path: path, reason: "its issuer \(issuer) is the did:key of another key than the one in the file")
    }
    let privateKey = try PrivateMaterial(jwk: object, publicKey: publicKey, path: path)
    let kid = object["kid"] as? String ?? defaultKid(issuerID: issuer, key: publicKey)
    return IssuerKey(issuerID: issuer, kid: kid, publicKey: publicKey, privateKey: privateKey)
  }

  /// Signs a JWS signing input: RSASSA-PKCS1-v1_5 SHA-256, ECDSA P-256 SHA-256 (r and s), or Ed25519.
  func sign(_ input: Data) throws -> Data {
    switch privateKey {
    case nil: throw KeyError.noPrivateKey(path: "(public key)")
    case .rsa(let key): return try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
    case .p256(let raw): return try P256.Signing.PrivateKey(rawRepresentation: raw).signature(for: input).rawRepresentation
    case .ed25519(let raw): return try Curve25519.Signing.PrivateKey(rawRepresentation: raw).signature(for: input)
    }
  }
}

extension IssuerKey.PrivateMaterial {
  func publicKey() throws -> VerificationKey {
    switch self {
    case .rsa(let key): return try VerificationKey(rsa: key.publicKey)
    case .p256(let raw): return VerificationKey(try P256.Signing.PrivateKey(rawRepresentation: raw).publicKey)
    case .ed25519(let raw): return VerificationKey(try Curve25519.Signing.PrivateKey(rawRepresentation: raw).publicKey)
    }
  }

  /// The private members of the JWK: `d` (and for RSA `p`, `q`, `dp`, `dq`, `qi`).
  func jwkMembers() throws -> [String: String] {
    switch self {
    case .p256(let raw), .ed25519(let raw): return ["d": Base64URL.encode(raw)]
    case .rsa(let key):
      // PKCS #1 RSAPrivateKey: version, n, e, d, p, q, dp, dq, qi.
      let integers = DERIntegers.read(Array(key.derRepresentation))
      guard integers.count >= 9 else {
        throw IssuerKey.KeyError.notAKey(path: "(memory)", reason: "the RSA key's PKCS #1 form cannot be read")
      }
      let names = ["d", "p", "q", "dp", "dq", "qi"]
      return Dictionary(uniqueKeysWithValues: zip(names, integers[3..<9].map { Base64URL.encode($0) }))
    }
  }

  /// The private part of a JWK, if it has one (`d`), checked against its public part.
  init?(jwk: [String: Any], publicKey: VerificationKey, path: String) throws {
    guard jwk["d"] != nil else { return nil }
    func bytes(_ name: String) throws -> Data {
      guard let text = jwk[name] as? String, let data = Base64URL.decode(text) else {
        throw IssuerKey.KeyError.notAKey(path: path, reason: "its private member '\(name)' is missing or not base64url")
      }
      return data
    }
    let mismatch = IssuerKey.KeyError.notAKey(path: path, reason: "its private part does not belong to its public part")
    switch publicKey.material {
    case .rsa(let key):
      let (n, e) = VerificationKey.primitives(key)
      guard let found = try? _RSA.Signing.PrivateKey(n: n, e: e, d: bytes("d"), p: bytes("p"), q: bytes("q")) else {
        throw mismatch
      }
      self = .rsa(found)
    case .p256:
      guard let found = try? P256.Signing.PrivateKey(rawRepresentation: bytes("d")) else { throw mismatch }
      self = .p256(found.rawRepresentation)
    case .ed25519:
      guard let found = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes("d")) else { throw mismatch }
      self = .ed25519(found.rawRepresentation)
    }
    guard try self.publicKey().jwk == publicKey.jwk else { throw mismatch }
  }
}

/// The INTEGERs of a DER SEQUENCE (as PKCS #1 writes an RSA private key), unsigned and without
/// leading zero bytes; empty when the bytes are not such a sequence.
enum DERIntegers {
  static func read(_ der: [UInt8]) -> [Data] {
    var index = 0
    func length() -> Int? {
      guard index < der.count else { return nil }
      let first = Int(der[index])
      index += 1
      if first < 0x80 { return first }
      let count = first & 0x7f
      guard count >= 1, count <= 4, index + count <= der.count else { return nil }
      var value = 0
      for _ in 0..<count {
        value = value << 8 | Int(der[index])
        index += 1
      }
      return value
    }
    guard der.first == 0x30 else { return [] }
    index = 1
    guard let total = length(), index + total == der.count else { return [] }
    var integers: [Data] = []
    while index < der.count {
      guard der[index] == 0x02 else { return [] }
      index += 1
      guard let size = length(), index + size <= der.count else { return [] }
      integers.append(Data(der[index..<(index + size)].drop { $0 == 0 }))
      index += size
    }
    return integers
  }
}
