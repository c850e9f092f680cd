import Crypto
import Foundation
import _CryptoExtras

/// The JWS algorithms credentials are signed with: RS256 (the one Open Badges 3.0 section 8.2 asks
/// every implementation for), ES256 (P-256), and EdDSA (Ed25519).
public enum SigningAlgorithm: String, Sendable, CaseIterable {
  case rs256 = "RS256"
  case es256 = "ES256"
  case eddsa = "EdDSA"

  /// Reads `RS256`, `ES256`, `EdDSA` in any case.
  public init?(name: String) {
    guard let found = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
    self = found
  }
}

/// A public key that checks credential signatures: RSA (2048 bits or more), P-256 or Ed25519,
/// read from and written as a JSON Web Key (RFC 7517, 7518, 8037), a Multikey (multibase
/// base58btc of the multicodec key, as `did:key` and DID documents write it) or PEM.
public struct VerificationKey: Sendable {
  /// The key; P-256 and Ed25519 keys as bytes (X9.63 point, raw 32 bytes), which swift-crypto's
  /// key types are not `Sendable`. Made only from keys already checked, so they rebuild.
  enum Material: Sendable {
    case rsa(_RSA.Signing.PublicKey)
    case p256(Data)
    case ed25519(Data)
  }

  init(_ key: P256.Signing.PublicKey) { material = .p256(key.x963Representation) }
  init(_ key: Curve25519.Signing.PublicKey) { material = .ed25519(key.rawRepresentation) }

  let material: Material

  init(_ material: Material) { self.material = material }

  /// Why a key cannot be read.
  public struct Unreadable: Error, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
  }

  /// The one algorithm this key verifies: the header's `alg` must be it (no other is tried).
  public var algorithm: SigningAlgorithm {
    switch material {
    case .rsa: .rs256
    case .p256: .es256
    case .ed25519: .eddsa
    }
  }

  /// True when `signature` (as JWS writes it: RSASSA-PKCS1-v1_5 with SHA-256, ECDSA r and s of 32
  /// bytes each, or Ed25519) signs `input`.
  func isValidSignature(_ signature: Data, for input: Data) -> Bool {
    switch material {
    case .rsa(let key):
      return key.isValidSignature(
        _RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
    case .p256(let point):
      guard signature.count == 64, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
        let key = try? P256.Signing.PublicKey(x963Representation: point)
      else { return false }
      return key.isValidSignature(ecdsa, for: input)
    case .ed25519(let raw):
      return (try? Curve25519.Signing.PublicKey(rawRepresentation: raw))?.isValidSignature(signature, for: input) ?? false
    }
  }

  // MARK: JSON Web Key

  /// The public JWK's key members (no `kid`, `alg` or `use`).
  public var jwk: [String: String] {
    switch material {
    case .rsa(let key):
      let (n, e) = Self.primitives(key)
      return ["kty": "RSA", "n": Base64URL.encode(n), "e": Base64URL.encode(e)]
    case .p256(let x963):
      let point = x963.dropFirst()
      return ["kty": "EC", "crv": "P-256", "x": Base64URL.encode(point.prefix(32)), "y": Base64URL.encode(point.suffix(32))]
    case .ed25519(let raw):
      return ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(raw)]
    }
  }

  /// The RSA modulus and exponent without leading zero bytes, as JWK writes them.
  static func primitives(_ key: _RSA.Signing.PublicKey) -> (n: Data, e: Data) {
    let found = try? key.getKeyPrimitives()
    func unsigned(_ data: Data?) -> Data { Data((data ?? Data()).drop { $0 == 0 }) }
    return (unsigned(found?.modulus), unsigned(found?.publicExponent))
  }

  /// The RFC 7638 thumbprint: SHA-256 of the required members in lexical order, base64url.
  public var thumbprint: String {
    let members = jwk
    let required: [String] =
      switch algorithm {
      case .rs256: ["e", "kty", "n"]
      case .es256: ["crv", "kty", "x", "y"]
      case .eddsa: ["crv", "kty", "x"]
      }
    let canonical = "{" + required.map { "\"\($0)\":\"\(members[$0] ?? "")\"" }.joined(separator: ",") + "}"
    return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
  }

  /// Reads a public JWK; the private members, `kid`, `alg` and `use` are not looked at, but an
  /// `alg` that is not this key's algorithm is refused.
  public init(jwk: [String: Any]) throws(Unreadable) {
    func bytes(_ name: String) throws(Unreadable) -> Data {
      guard let text = jwk[name] as? String, let data = Base64URL.decode(text) else {
        throw Unreadable("its '\(name)' is missing or not base64url")
      }
      return data
    }
    switch (jwk["kty"] as? String, jwk["crv"] as? String) {
    case ("RSA", _):
      let n = try bytes("n")
      let e = try bytes("e")
      guard let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { throw Unreadable("its RSA n and e are not a key") }
      try self.init(rsa: key)
    case ("EC", "P-256"):
      let x = try bytes("x")
      let y = try bytes("y")
      guard x.count == 32, y.count == 32,
        let key = try? P256.Signing.PublicKey(x963Representation: [0x04] + x + y)
      else { throw Unreadable("its x and y are not a point of P-256") }
      self.init(key)
    case ("OKP", "Ed25519"):
      guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: try bytes("x")) else {
        throw Unreadable("its x is not an Ed25519 public key")
      }
      self.init(key)
    case (let kty, let crv):
      throw Unreadable(
        "a \(kty ?? "(no kty)")\(crv.map { " \($0)" } ?? "") key; credentials are verified with RSA, EC P-256 or OKP Ed25519 keys"
      )
    }
    if let alg = jwk["alg"] as? String, alg != algorithm.rawValue {
      throw Unreadable("its alg is \(alg), but it is a key for \(algorithm.rawValue)")
    }
  }

  init(rsa key: _RSA.Signing.PublicKey) throws(Unreadable) {
    guard key.keySizeInBits >= 2048 else {
      throw Unreadable("an RSA key of \(key.keySizeInBits) bits; fewer than 2048 are refused")
    }
    self.init(.rsa(key))
  }

  // MARK: Multikey and did:key

  /// The multicodec prefixes (unsigned varints) of the public keys `did:key` and Multikey name.
  static let multicodec: [(prefix: [UInt8], algorithm: SigningAlgorithm)] = [
    ([0xed, 0x01], .eddsa),  // ed25519-pub: the 32-byte key
    ([0x80, 0x24], .es256),  // p256-pub: the compressed point
    ([0x85, 0x24], .rs256),  // rsa-pub: the PKCS #1 RSAPublicKey, DER
  ]

  /// The Multikey: `z` and the base58btc of the multicodec prefix and the key.
  public var multikey: String {
    let bytes: Data
    switch material {
    case .rsa(let key): bytes = Data([0x85, 0x24]) + key.pkcs1DERRepresentation
    case .p256(let x963):
      bytes = Data([0x80, 0x24]) + ((try? P256.Signing.PublicKey(x963Representation: x963).compressedRepresentation) ?? Data())
    case .ed25519(let raw): bytes = Data([0xed, 0x01]) + raw
    }
    return "z" + Base58.encode(Array(bytes))
  }

  /// `did:key:` and the Multikey.
  public var didKey: String { "did:key:" + multikey }

  /// Reads a Multikey (`publicKeyMultibase`, or the key part of a `did:key`).
  public init(multikey: String) throws(Unreadable) {
    guard multikey.hasPrefix("z"), let bytes = Base58.decode(multikey.dropFirst()) else {
      throw Unreadable("'\(multikey.prefix(24))' is not a base58btc multibase key (z...)")
    }
    guard let (prefix, algorithm) = Self.multicodec.first(where: { bytes.starts(with: $0.prefix) }) else {
      throw Unreadable("'\(multikey.prefix(24))' is not an Ed25519, P-256 or RSA key")
    }
    let key = Data(bytes.dropFirst(prefix.count))
    switch algorithm {
    case .eddsa:
      guard let found = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
        throw Unreadable("'\(multikey.prefix(24))' does not hold an Ed25519 key")
      }
      self.init(found)
    case .es256:
      guard let found = try? P256.Signing.PublicKey(compressedRepresentation: key) else {
        throw Unreadable("'\(multikey.prefix(24))' does not hold a P-256 key")
      }
      self.init(found)
    case .rs256:
      guard let found = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: key) else {
        throw Unreadable("'\(multikey.prefix(24))' does not hold an RSA key")
      }
      try self.init(rsa: found)
    }
  }

  /// Resolves a `did:key` (or a key id in it) offline: the DID is the key.
  public init(didKey: String) throws(Unreadable) {
    let did = didKey.split(separator: "#", maxSplits: 1).first.map(String.init) ?? didKey
    guard did.hasPrefix("did:key:") else { throw Unreadable("'\(did)' is not a did:key") }
    try self.init(multikey: String(did.dropFirst("did:key:".count)))
    if let fragment = didKey.split(separator: "#", maxSplits: 1).dropFirst().first, fragment != did.dropFirst(8) {
      throw Unreadable("'\(didKey)' names a key other than its DID's")
    }
  }

  // MARK: PEM

  /// The SubjectPublicKeyInfo of Ed25519 (RFC 8410) before its 32 key bytes.
  static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

  /// The SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
  public var pem: String {
    switch material {
    case .rsa(let key): return key.pemRepresentation
    case .p256(let x963): return (try? P256.Signing.PublicKey(x963Representation: x963).pemRepresentation) ?? ""
    case .ed25519(let raw):
      let der = Data(Self.ed25519SPKIPrefix) + raw
      return "-----BEGIN PUBLIC KEY-----\n" + der.base64EncodedString(options: .lineLength64Characters)
        + "\n-----END PUBLIC KEY-----"
    }
  }

  /// Reads a public key in PEM: SubjectPublicKeyInfo (`PUBLIC KEY`) of an RSA, P-256 or Ed25519
  /// key, or PKCS #1 (`RSA PUBLIC KEY`).
  public init(pem text: String) throws(Unreadable) {
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") }),
      let end = lines[begin...].firstIndex(where: { $0.hasPrefix("-----END ") })
    else { throw Unreadable("no -----BEGIN ...----- block") }
    let label = lines[begin].dropFirst("-----BEGIN ".count).replacingOccurrences(of: "-----", with: "")
    guard label == "PUBLIC KEY" || label == "RSA PUBLIC KEY" else {
      throw Unreadable("a PEM \(label); give the public key (-----BEGIN PUBLIC KEY-----)")
    }
    guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else {
      throw Unreadable("the PEM block is not base64")
    }
    if der.count == 44, der.starts(with: Self.ed25519SPKIPrefix),
      let key = try? Curve25519.Signing.PublicKey(rawRepresentation: der.suffix(32))
    {
      self.init(key)
    } else if let key = try? P256.Signing.PublicKey(derRepresentation: der) {
      self.init(key)
    } else if let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: der) {
      try self.init(rsa: key)
    } else {
      throw Unreadable("the PEM \(label) is not an RSA, P-256 or Ed25519 public key")
    }
  }
}

/// Base58 with the Bitcoin alphabet, as multibase `z` writes it.
enum Base58 {
  static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

  static func encode(_ bytes: [UInt8]) -> String {
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

  /// The bytes, or nil for a character outside the alphabet (or more than 1 KiB of text).
  static func decode(_ text: some StringProtocol) -> [UInt8]? {
    guard text.utf8.count <= 1024 else { return nil }
    var bytes: [Int] = []
    for character in text {
      guard let value = alphabet.firstIndex(of: character) else { return nil }
      var carry = value
      for index in bytes.indices {
        carry += bytes[index] * 58
        bytes[index] = carry & 0xff
        carry >>= 8
      }
      while carry > 0 {
        bytes.append(carry & 0xff)
        carry >>= 8
      }
    }
    let zeros = text.prefix { $0 == "1" }.count
    return [UInt8](repeating: 0, count: zeros) + bytes.reversed().map(UInt8.init)
  }
}
