import Foundation

/// The rubrics a grading run may use, found by credential id and version.
///
/// Loads every rubric below a folder once (or one rubric file given
/// explicitly). A submission for version X.Y.Z is graded with X.Y.Z when
/// present, else with the newest X.*.* (a warning says so); another major
/// version is never used.
public struct RubricCatalog: Sendable {
  public struct Entry: Sendable {
    public var load: RubricLoad
    public var rubric: Microcredential
    public var sha256: String
    /// One SHA-256 over every file in the folders the rubric's evaluators read (hidden tests,
    /// reference solutions): path and content, hidden files and `__pycache__` left out.
    public var assetsSHA256: String

    init(load: RubricLoad, rubric: Microcredential, sha256: String) {
      self.load = load
      self.rubric = rubric
      self.sha256 = sha256
      assetsSHA256 = Self.assetsHash(of: rubric)
    }

    static func assetsHash(of rubric: Microcredential) -> String {
      let base = (rubric.path as NSString).deletingLastPathComponent
      var lines: [String] = []
      let folders = Set(rubric.criteria.flatMap { $0.evaluator.configuration?.assetFolders ?? [] }).sorted()
      for folder in folders {
        let root = ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
          lines.append("\(folder)\u{0}missing")
          continue
        }
        lines += fileLines(in: root, prefix: folder, isFolder: isFolder.boolValue)
      }
      return EvidenceResolver.sha256(of: Data(lines.joined(separator: "\n").utf8))
    }

    /// "PREFIX/relative-path NUL sha256" for every regular file under `root` (or `root` itself
    /// when it is a file), hidden files and `__pycache__` left out, in path order.
    static func fileLines(in root: String, prefix: String, isFolder: Bool = true) -> [String] {
      let files =
        isFolder
        ? (FileManager.default.subpaths(atPath: root) ?? []).filter { path in
          !path.split(separator: "/").contains { $0.hasPrefix(".") || $0 == "__pycache__" }
        }.sorted() : [""]
      var lines: [String] = []
      for file in files {
        let full = file.isEmpty ? root : root + "/" + file
        var info = stat()
        guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
        lines.append("\(prefix)/\(file)\u{0}\(EvidenceResolver.sha256(ofFile: full) ?? "unreadable")")
      }
      return lines
    }
  }

  /// Valid rubrics by id, newest version first.
  private var byID: [String: [Entry]] = [:]
  /// Rubric files that could not be loaded, with their findings.
  public private(set) var invalid: [RubricLoad] = []
  /// Where the rubrics came from, for messages.
  public let origin: String
  /// When set, every submission is graded with this rubric.
  private let only: Entry?

  /// Loads the rubrics under `folder` (or the one file `rubric`, which then grades every submission).
  public init(folder: String?, rubric: String?) async throws {
    let validation = try RubricValidation()
    if let rubric {
      origin = rubric
      let load = try RubricLoader().load(rubric)
      if let model = load.rubric, load.isValid, let sha = load.sha256 {
        only = Entry(load: load, rubric: model, sha256: sha)
      } else {
        only = nil
        invalid = [load]
      }
      return
    }
    only = nil
    let folder = folder ?? "rubrics"
    origin = folder
    let loads = await validation.load(RubricValidation.discover([folder]))
    for load in loads {
      guard let model = load.rubric, load.isValid, let sha = load.sha256 else {
        invalid.append(load)
        continue
      }
      byID[model.id, default: []].append(Entry(load: load, rubric: model, sha256: sha))
    }
    for id in byID.keys {
      byID[id]?.sort { SemanticVersion.precedes($1.rubric.version, $0.rubric.version) }
    }
  }

  /// The loaded rubric with this id and version, if any.
  public func rubric(id: String, version: String) -> Microcredential? {
    if let only, only.rubric.id == id, only.rubric.version == version { return only.rubric }
    return byID[id]?.first { $0.rubric.version == version }?.rubric
  }

  /// The rubric to grade `submission` with, or findings saying why there is none.
  public func rubric(for submission: Submission) -> Result<Entry, RubricLookupFailure> {
    if let only {
      return .success(only)
    }
    guard let entries = byID[submission.credential], !entries.isEmpty else {
      let broken = invalid.filter { $0.path.contains(submission.credential) }
      let message =
        "no valid rubric for credential '\(submission.credential)' under \(origin)"
        + (broken.isEmpty ? "" : " (\(broken.map(\.path).joined(separator: ", ")) is invalid: run `mastery validate`)")
      return .failure(
        RubricLookupFailure(
          message: message,
          findings: [
            Finding(rule: SubmissionRules.credentialMismatch, message: message, at: submission.credentialLocation)
          ]
            + broken.flatMap(\.findings)))
    }
    if let exact = entries.first(where: { $0.rubric.version == submission.version }) { return .success(exact) }
    let major = submission.version.split(separator: ".").first
    // Never fall back to a pre-release: only an exact match may use one.
    if let compatible = entries.first(where: {
      $0.rubric.version.split(separator: ".").first == major && !$0.rubric.version.contains("-")
    }) {
      return .success(compatible)
    }
    let message =
      "no rubric for '\(submission.credential)' version \(submission.version) under \(origin) (found \(entries.map(\.rubric.version).joined(separator: ", ")); a different major version cannot grade it)"
    return .failure(
      RubricLookupFailure(
        message: message,
        findings: [Finding(rule: SubmissionRules.versionMismatch, message: message, at: submission.versionLocation)]))
  }
}

/// Why no rubric could grade a submission.
public struct RubricLookupFailure: Error, Sendable {
  public var message: String
  /// A finding at the manifest's credential or version, then any findings of the rubric file that failed to load.
  public var findings: [Finding]
}
