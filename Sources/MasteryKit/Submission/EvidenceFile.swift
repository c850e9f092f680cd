/// One file of a submission that was judged, with its SHA-256, so that a
/// decision can be traced to exactly the bytes judged.
public struct EvidenceFile: Sendable, Hashable, Codable {
  /// The evidence item, or `check:CRITERION/CHECK` for a checklist attachment.
  public var item: String
  /// Relative to the submission folder.
  public var path: String
  public var sha256: String
  public var bytes: Int
}

/// A rubric evidence item as found in one submission.
public struct ResolvedEvidence: Sendable {
  public enum State: Sendable, Hashable {
    /// Found: a file, or a folder (possibly empty).
    case present
    /// A web address (not fetched).
    case url(String)
    /// Not there; the reason is for the candidate.
    case missing(String)
  }

  public var item: EvidenceItem
  /// Relative to the submission folder, when the evidence is a path.
  public var path: String?
  /// The absolute (or working-folder-relative) path to read it from.
  public var fullPath: String?
  public var state: State
  /// Every file, sorted by path: the file itself, or each file in the folder.
  public var files: [EvidenceFile]

  public var isPresent: Bool {
    switch state {
    case .present, .url: return true
    case .missing: return false
    }
  }
}
