import Foundation

/// A credential as the ledger keeps it once issued: for whom, by whom, its place in a status list,
/// and whether and why it was revoked.
public struct IssuedCredential: Sendable, Equatable {
  /// The credential's id (`urn:uuid:...`).
  public var id: String
  public var submission: SubmissionKey
  public var issuer: String
  public var issuedAt: String
  /// Its entry in a status list, when it was issued revocable.
  public var status: Status?
  public var revokedAt: String?
  public var revocationReason: String?

  public struct Status: Sendable, Equatable {
    /// The URL of the status list credential.
    public var list: String
    public var index: Int
  }

  public init(id: String, submission: SubmissionKey, issuer: String, issuedAt: String) {
    self.id = id
    self.submission = submission
    self.issuer = issuer
    self.issuedAt = issuedAt
  }

  /// An https URL without query or fragment that ends in `/`.
  public static func isStatusBase(_ text: String) -> Bool {
    guard let url = URL(string: text), url.scheme == "https", url.host?.isEmpty == false else { return false }
    return text.hasSuffix("/") && url.query == nil && url.fragment == nil
  }

  /// Where an issuer's status lists are, for the issuers whose id says where it hosts files: an https
  /// issuer's id and `/status/`, a `did:web` issuer's site (and path) and `/status/`. Nil for
  /// another DID, which has to say where (`--status-base`).
  public static func statusBase(issuer: String) -> String? {
    if issuer.hasPrefix("https://") { return (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/status/" }
    guard issuer.hasPrefix("did:web:") else { return nil }
    let segments = issuer.dropFirst("did:web:".count).split(separator: ":").map {
      $0.removingPercentEncoding ?? String($0)
    }
    guard let host = segments.first, !host.isEmpty else { return nil }
    return "https://" + ([host] + segments.dropFirst()).joined(separator: "/") + "/status/"
  }
}
