import Foundation

/// What an issuer hosts so that anyone can find its keys: the files, the URL each must answer at,
/// and their content.
///
/// - an https issuer (`https://pd.example.org`): each key's public JWK at its key id
///   (`https://pd.example.org/keys/THUMBPRINT.json`), a JWKS of every key at
///   `/.well-known/jwks.json`, and the issuer's Open Badges `Profile` at the issuer id;
/// - a `did:web` issuer: its DID document (`/.well-known/did.json`, or `/PATH/did.json` for
///   `did:web:HOST:PATH`) with each key as a `JsonWebKey2020` verification method allowed for
///   `assertionMethod`, and the JWKS;
/// - another DID method: the DID document, for the method to publish;
/// - a `did:key` issuer: nothing (the DID is the key).
public enum KeyPublication {
  public struct File: Sendable {
    /// Where the file goes, relative to the folder that is served as the site's root.
    public let path: String
    /// The URL it must answer at, if the issuer id says one.
    public let url: String?
    public let content: Data
  }

  public enum PublicationError: Error, CustomStringConvertible {
    case issuersDiffer([String])
    case noKeys
    case outsideFolder(String)
    public var description: String {
      switch self {
      case .issuersDiffer(let ids):
        return "the keys are of different issuers (\(ids.joined(separator: ", "))): publish each issuer's keys apart"
      case .noKeys: return "no key to publish"
      case .outsideFolder(let path): return "'\(path)' would be written outside the folder: the issuer id or key id is not a plain URL path"
      }
    }
  }

  /// The files for `keys` (the issuer's keys, current and earlier: credentials signed with any of
  /// them stay verifiable).
  public static func files(keys: [IssuerKey], name: String? = nil, url: String? = nil, email: String? = nil)
    throws -> [File]
  {
    guard let issuer = keys.first?.issuerID else { throw PublicationError.noKeys }
    let issuers = Set(keys.map(\.issuerID))
    guard issuers.count == 1 else { throw PublicationError.issuersDiffer(issuers.sorted()) }
    if issuer.hasPrefix("did:key:") { return [] }
    let jwks = try json(["keys": keys.map(\.publicJWK)])
    if issuer.hasPrefix("did:") {
      let document = try json(didDocument(issuer: issuer, keys: keys))
      guard issuer.hasPrefix("did:web:") else { return [File(path: "did.json", url: nil, content: document)] }
      // did:web:HOST[:PATH...]: HOST may carry a port as %3A.
      let segments = issuer.dropFirst("did:web:".count).split(separator: ":").map {
        $0.removingPercentEncoding ?? String($0)
      }
      let host = segments[0]
      let folder = segments.count > 1 ? segments.dropFirst().joined(separator: "/") : ".well-known"
      return [
        File(path: folder + "/did.json", url: "https://\(host)/\(folder)/did.json", content: document),
        File(path: ".well-known/jwks.json", url: "https://\(host)/.well-known/jwks.json", content: jwks),
      ]
    }
    guard let issuerURL = URL(string: issuer), let host = issuerURL.host else { return [] }
    let origin = "https://\(host)" + (issuerURL.port.map { ":\($0)" } ?? "")
    var files: [File] = []
    for key in keys {
      // A key id that is a URL of the issuer's site, without a fragment, is where its JWK goes;
      // a key made by an earlier release (`ISSUER#THUMBPRINT`) is in the JWKS only.
      guard let kidURL = URL(string: key.kid), kidURL.fragment == nil, kidURL.host == issuerURL.host,
        kidURL.port == issuerURL.port, kidURL.path.count > 1
      else { continue }
      files.append(File(path: String(kidURL.path.dropFirst()), url: key.kid, content: try json(key.publicJWK)))
    }
    files.append(File(path: ".well-known/jwks.json", url: origin + "/.well-known/jwks.json", content: jwks))
    var profile: [String: Any] = [
      "@context": OpenBadgeCredential.contexts, "id": issuer, "type": ["Profile"], "name": name ?? host,
    ]
    if let url { profile["url"] = url }
    if let email { profile["email"] = email }
    var path = String(issuerURL.path.drop { $0 == "/" })
    if path.isEmpty || path.hasSuffix("/") { path += "index.json" }
    files.append(File(path: path, url: issuer, content: try json(profile)))
    return files
  }

  /// The signed status list credential of each status list of `issued`, signed with `key`, at the
  /// path of its URL.
  public static func statusLists(_ issued: [IssuedCredential], key: IssuerKey, now: Date) throws -> [File] {
    try StatusListCredential.signed(issued, key: key, now: now).compactMap { list in
      guard let path = URL(string: list.url)?.path, path.count > 1 else { return nil }
      return File(path: String(path.dropFirst()), url: list.url, content: Data((list.jwt + "\n").utf8))
    }
  }

  /// A DID document with each key as a `JsonWebKey2020` verification method for `assertionMethod`.
  static func didDocument(issuer: String, keys: [IssuerKey]) -> [String: Any] {
    [
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
      "id": issuer,
      "verificationMethod": keys.map { key -> [String: Any] in
        ["id": key.kid, "type": "JsonWebKey2020", "controller": issuer, "publicKeyJwk": key.publicJWK]
      },
      "assertionMethod": keys.map(\.kid),
    ]
  }

  static func json(_ object: Any) throws -> Data {
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      + Data("\n".utf8)
  }

  /// Writes `files` under `folder`, replacing what an earlier publication wrote there.
  public static func write(_ files: [File], to folder: String) throws {
    for file in files {
      guard Quantity.isContainedRelativePath(file.path) else { throw PublicationError.outsideFolder(file.path) }
      let path = (folder as NSString).appendingPathComponent(file.path)
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try file.content.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
  }
}
