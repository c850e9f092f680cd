import Foundation

/// The public keys a verifier is given, each with the key id and the issuer its source names:
/// a JWK, a JWKS, a PEM public key, a DID document or controller document (verification methods
/// of type `JsonWebKey2020`, `JsonWebKey`, `Multikey`, `Ed25519VerificationKey2020` or `2018`,
/// allowed for `assertionMethod`), or a `did:key` resolved offline.
public struct KeySet: Sendable {
  public struct Entry: Sendable {
    public let key: VerificationKey
    /// The key id its source gives, if any.
    public let kid: String?
    /// The issuer its source binds it to (a mastery key file's `issuer`, a DID document's
    /// controller, a `did:key`), or nil when the source names none (a plain JWK, a JWKS, PEM).
    public let issuer: String?
  }

  public let entries: [Entry]

  public init(entries: [Entry]) { self.entries = entries }

  /// The public part of an issuer's key, bound to its issuer.
  public init(_ key: IssuerKey) {
    entries = [Entry(key: key.publicKey, kid: key.kid, issuer: key.issuerID)]
  }

  /// The one key a `did:key` (or a key id in one) is, bound to that DID.
  public static func resolve(didKey: String) throws(VerificationKey.Unreadable) -> KeySet {
    let key = try VerificationKey(didKey: didKey)
    let did = String(didKey.split(separator: "#").first ?? "")
    return KeySet(entries: [Entry(key: key, kid: "\(did)#\(did.dropFirst("did:key:".count))", issuer: did)])
  }

  /// The entries to try for a credential whose header names `kid` and `alg`: those of that key id
  /// first, then the others of that algorithm (a key given is tried even when its source names
  /// it otherwise: the signature decides), none of another algorithm.
  func candidates(kid: String?, algorithm: SigningAlgorithm) -> (named: [Entry], others: [Entry]) {
    let usable = entries.filter { $0.key.algorithm == algorithm }
    let named = usable.filter { $0.kid != nil && $0.kid == kid }
    return (named, usable.filter { $0.kid == nil || $0.kid != kid })
  }

  /// Reads every key in a file, whatever its form.
  ///
  /// - Throws: `IssuerKey.KeyError` naming the file and why no key could be read.
  public static func read(_ path: String) throws -> KeySet {
    let data = try contents(path)
    let text = String(decoding: data, as: UTF8.self)
    func fail(_ reason: String) -> IssuerKey.KeyError {
      .notAKey(path: path, reason: reason)
    }
    if text.contains("-----BEGIN ") {
      do {
        return KeySet(entries: [Entry(key: try VerificationKey(pem: text), kid: nil, issuer: nil)])
      } catch {
        throw fail(error.reason)
      }
    }
    let object = try jsonObject(path, data: data)
    if let keys = object["keys"] as? [[String: Any]] {
      var reasons: [String] = []
      let entries = keys.compactMap { jwk -> Entry? in
        if let use = jwk["use"] as? String, use != "sig" { return nil }
        do {
          let key = try VerificationKey(jwk: jwk)
          let kid = jwk["kid"] as? String
          return Entry(key: key, kid: kid, issuer: didKeyIssuer(kid: kid, key: key))
        } catch let error as VerificationKey.Unreadable {
          reasons.append(error.reason)
          return nil
        } catch {
          return nil
        }
      }
      guard !entries.isEmpty else {
        throw fail("the JWKS has no signing key that verifies credentials" + (reasons.first.map { " (\($0))" } ?? ""))
      }
      return KeySet(entries: entries)
    }
    if object["verificationMethod"] != nil || object["assertionMethod"] != nil {
      return try document(object, fail: fail)
    }
    if object["kty"] != nil {
      do {
        let key = try VerificationKey(jwk: object)
        let issuer = object["issuer"] as? String
        if let issuer, issuer.hasPrefix("did:key:"), issuer != key.didKey {
          throw fail("its issuer \(issuer) is the did:key of another key than the one in the file")
        }
        let kid = object["kid"] as? String
        return KeySet(entries: [Entry(key: key, kid: kid, issuer: issuer ?? didKeyIssuer(kid: kid, key: key))])
      } catch let error as VerificationKey.Unreadable {
        throw fail(error.reason)
      }
    }
    throw fail("not a JWK, a JWKS ({\"keys\": [...]}), a DID document or a PEM public key")
  }

  /// The DID of a key whose id is its own `did:key` (the DID is the key, so it names its issuer).
  static func didKeyIssuer(kid: String?, key: VerificationKey) -> String? {
    guard let kid, kid.hasPrefix("did:key:"), let named = try? VerificationKey(didKey: kid),
      named.thumbprint == key.thumbprint
    else { return nil }
    return kid.split(separator: "#").first.map(String.init)
  }

  /// The keys of a DID document (or controller document) that it allows to assert credentials.
  static func document(_ object: [String: Any], fail: (String) -> IssuerKey.KeyError) throws -> KeySet {
    let id = object["id"] as? String
    func absolute(_ reference: String) -> String {
      reference.hasPrefix("#") ? (id ?? "") + reference : reference
    }
    var methods: [[String: Any]] = object["verificationMethod"] as? [[String: Any]] ?? []
    var allowed: Set<String> = []
    for item in object["assertionMethod"] as? [Any] ?? [] {
      if let reference = item as? String { allowed.insert(absolute(reference)) }
      if let method = item as? [String: Any], let methodID = method["id"] as? String {
        methods.append(method)
        allowed.insert(absolute(methodID))
      }
    }
    guard !allowed.isEmpty else {
      throw fail("the document allows no key to assert credentials (it has no assertionMethod)")
    }
    var reasons: [String] = []
    let entries = methods.compactMap { method -> Entry? in
      guard let methodID = (method["id"] as? String).map(absolute), allowed.contains(methodID) else { return nil }
      let controller = method["controller"] as? String ?? id
      do {
        let key: VerificationKey
        if let jwk = method["publicKeyJwk"] as? [String: Any] {
          key = try VerificationKey(jwk: jwk)
        } else if let multibase = method["publicKeyMultibase"] as? String {
          // Multikey and Ed25519VerificationKey2020 both carry the multicodec prefix.
          key = try VerificationKey(multikey: multibase)
        } else if let base58 = method["publicKeyBase58"] as? String {
          // Ed25519VerificationKey2018: the raw 32 bytes.
          key = try VerificationKey(multikey: "z" + Base58.encode([0xed, 0x01] + (Base58.decode(base58) ?? [])))
        } else {
          reasons.append("\(methodID) has no publicKeyJwk or publicKeyMultibase")
          return nil
        }
        return Entry(key: key, kid: methodID, issuer: controller)
      } catch let error as VerificationKey.Unreadable {
        reasons.append("\(methodID): \(error.reason)")
        return nil
      } catch {
        return nil
      }
    }
    guard !entries.isEmpty else {
      throw fail("no assertionMethod of the document is a key that verifies credentials" + (reasons.first.map { " (\($0))" } ?? ""))
    }
    return KeySet(entries: entries)
  }

  /// A key file's JSON object.
  static func jsonObject(_ path: String, data: Data? = nil) throws -> [String: Any] {
    let bytes = try data ?? contents(path)
    guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
      throw IssuerKey.KeyError.notAKey(path: path, reason: "not a JSON object")
    }
    return object
  }

  /// A key file's bytes: at most 1 MiB is read (no key file is near it), so a huge or endless
  /// file given as a key is refused without being read whole.
  static func contents(_ path: String) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw IssuerKey.KeyError.unreadable(path: path, reason: "no such file, or not readable")
    }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: (1 << 20) + 1)) ?? Data()
    guard data.count <= 1 << 20 else { throw IssuerKey.KeyError.notAKey(path: path, reason: "larger than 1 MiB") }
    return data
  }
}
