import Foundation
import LibXML

#if canImport(Glibc)
import Glibc
#endif

/// What loading one submission manifest produced.
public struct SubmissionLoad: Sendable {
  public var path: String
  public var submission: Submission?
  public var findings: [Finding]
  /// The SHA-256 of the manifest, when it was read and parsed.
  public var sha256: String?

  /// True when no finding is an error.
  public var isValid: Bool { !findings.contains { $0.severity == .error } }
}

/// Loads submission manifests.
///
/// Parse safely, validate against the bundled XSD, build the model, and check what needs no rubric
/// (paths that leave the folder, duplicate answers). `check(_:against:)` adds what needs it.
public struct SubmissionLoader: Sendable {
  /// The manifest's name inside a submission folder.
  public static let manifestName = "submission.xml"
  /// Manifests are small: anything above 1 MiB is refused before parsing.
  public static let sizeLimit = 1 << 20

  private let reader: DocumentReader

  /// - Throws: only if the bundled schema does not compile (a build defect).
  public init() throws {
    reader = try DocumentReader(
      schema: .submission, rootName: "submission", noun: "submission manifest", sizeLimit: Self.sizeLimit)
  }

  /// The manifest for `path`: `path/submission.xml` for a folder, else `path` itself.
  public static func manifestPath(for path: String) -> String {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return (path as NSString).appendingPathComponent(manifestName)
    }
    return path
  }

  /// Loads one submission.
  ///
  /// - Parameter path: the submission folder, or its manifest file.
  /// - Returns: the model (when the manifest is valid) and every finding.
  public func load(_ path: String) -> SubmissionLoad {
    let manifest = Self.manifestPath(for: path)
    // A linked manifest could describe a submission kept anywhere: refused, as linked evidence is.
    var info = stat()
    if lstat(manifest, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
      return SubmissionLoad(
        path: manifest, submission: nil,
        findings: [
          Finding(
            rule: SubmissionRules.symlink,
            message:
              "the manifest is a symbolic link; put the \(Self.manifestName) file itself in the submission folder",
            at: Location(file: manifest, line: 0, column: 0))
        ])
    }
    switch reader.read(manifest) {
    case .foreign:
      return SubmissionLoad(path: manifest, submission: nil, findings: [])
    case .invalid(let findings):
      return SubmissionLoad(path: manifest, submission: nil, findings: findings)
    case .valid(let root, let sha256):
      let submission = Self.build(root, manifest: manifest)
      return SubmissionLoad(
        path: manifest, submission: submission, findings: Self.structuralFindings(submission).cappedPerRule(),
        sha256: sha256)
    }
  }

  private static func build(_ root: Element, manifest: String) -> Submission {
    let folder = (manifest as NSString).deletingLastPathComponent
    let candidate = root.child(named: "candidate")
    let answers = (root.child(named: "evidence")?.children(named: "answer") ?? []).map {
      Submission.Answer(
        item: $0[attribute: "item"] ?? "", path: $0[attribute: "path"], url: $0[attribute: "url"], location: $0.location
      )
    }
    let affirmations = root.children(named: "checklist").flatMap { checklist in
      checklist.children(named: "affirm").map {
        Submission.Affirmation(
          criterion: checklist[attribute: "criterion"] ?? "", check: $0[attribute: "check"] ?? "",
          file: $0[attribute: "file"], note: $0.normalizedText.isEmpty ? nil : $0.normalizedText, location: $0.location)
      }
    }
    return Submission(
      folder: folder.isEmpty ? "." : folder, manifestPath: manifest,
      candidate: Submission.Candidate(
        id: candidate?[attribute: "id"] ?? "", name: candidate?[attribute: "name"],
        email: candidate?[attribute: "email"], did: candidate?[attribute: "did"]),
      credential: root[attribute: "credential"] ?? "", version: root[attribute: "version"] ?? "",
      attempt: Int((root[attribute: "attempt"] ?? "1").trimmingWhitespace) ?? 1,
      submitted: root.child(named: "submitted")?.normalizedText ?? "", answers: answers, affirmations: affirmations,
      location: root.location, credentialLocation: root.attribute("credential")?.location ?? root.location,
      versionLocation: root.attribute("version")?.location ?? root.location)
  }

  /// What can be checked without the rubric: paths, duplicates, one location per answer.
  static func structuralFindings(_ submission: Submission) -> [Finding] {
    var findings: [Finding] = []
    var answered: [String: Location] = [:]
    for answer in submission.answers {
      if let first = answered[answer.item] {
        findings.append(
          Finding(
            rule: SubmissionRules.duplicateAnswer,
            message: "evidence '\(answer.item)' is answered twice (first at line \(first.line)); keep one answer",
            at: answer.location))
      }
      answered[answer.item] = answer.location
      switch (answer.path, answer.url) {
      case (nil, nil), (.some, .some):
        findings.append(
          Finding(
            rule: SubmissionRules.evidenceAnswer,
            message: "the answer for '\(answer.item)' needs exactly one of path=\"...\" or url=\"...\"",
            at: answer.location))
      case (let path?, nil):
        if !Quantity.isContainedRelativePath(path) {
          findings.append(unsafe(path, what: "evidence '\(answer.item)'", at: answer.location))
        }
      case (nil, .some):
        break
      }
    }
    var affirmed: [String: Location] = [:]
    for affirmation in submission.affirmations {
      let key = affirmation.criterion + "\u{0}" + affirmation.check
      if let first = affirmed[key] {
        findings.append(
          Finding(
            rule: SubmissionRules.duplicateAnswer,
            message:
              "check '\(affirmation.check)' of '\(affirmation.criterion)' is affirmed twice (first at line \(first.line))",
            at: affirmation.location))
      }
      affirmed[key] = affirmation.location
      if let file = affirmation.file, !Quantity.isContainedRelativePath(file) {
        findings.append(unsafe(file, what: "the file for check '\(affirmation.check)'", at: affirmation.location))
      }
    }
    return findings
  }

  private static func unsafe(_ path: String, what: String, at location: Location) -> Finding {
    let problem =
      path.hasPrefix("/") || path.hasPrefix("~")
      ? "is absolute" : path.contains("\\") ? "uses '\\' (write '/')" : "leaves the submission folder"
    return Finding(
      rule: SubmissionRules.unsafePath,
      message: "\(what) has path '\(path)', which \(problem); write a path inside the submission folder", at: location)
  }

  /// What needs the rubric: the credential and version, evidence ids,
  /// answer kinds, checklist criteria and checks.
  ///
  /// - Parameters:
  ///   - submission: the loaded submission.
  ///   - rubric: the rubric it is graded against.
  /// - Returns: the findings, errors making the submission invalid input.
  public static func check(_ submission: Submission, against rubric: Microcredential) -> [Finding] {
    var findings: [Finding] = []
    if submission.credential != rubric.id {
      findings.append(
        Finding(
          rule: SubmissionRules.credentialMismatch,
          message: "the manifest is for '\(submission.credential)', but the rubric is '\(rubric.id)'",
          at: submission.credentialLocation))
    }
    if submission.version != rubric.version {
      let major = { (version: String) in version.split(separator: ".").first.map(String.init) ?? version }
      let sameMajor = major(submission.version) == major(rubric.version)
      findings.append(
        Finding(
          rule: SubmissionRules.versionMismatch,
          message: sameMajor
            ? "submitted for version \(submission.version), graded with \(rubric.version) (same major version)"
            : "submitted for version \(submission.version), but the rubric is \(rubric.version); a different major version can change decisions",
          at: submission.versionLocation, severity: sameMajor ? .warning : .error))
    }
    for answer in submission.answers {
      guard let item = rubric.evidenceItem(answer.item) else {
        findings.append(
          Finding(
            rule: SubmissionRules.unknownEvidence,
            message:
              "the rubric asks for no evidence '\(answer.item)'; use one of: \(rubric.evidence.map(\.id).joined(separator: ", "))",
            at: answer.location))
        continue
      }
      if (item.kind == .url) != (answer.url != nil), answer.path == nil || answer.url == nil {
        let wanted = item.kind == .url ? "url=\"https://...\"" : "path=\"...\""
        findings.append(
          Finding(
            rule: SubmissionRules.evidenceAnswer,
            message: "'\(item.id)' is \(item.kind.rawValue) evidence: answer it with \(wanted)", at: answer.location))
      }
    }
    for affirmation in submission.affirmations {
      guard let criterion = rubric.criterion(affirmation.criterion),
        let checklist = criterion.evaluator.configuration as? ChecklistConfiguration
      else {
        let checklists = rubric.criteria.filter { $0.evaluator.kind == ChecklistConfiguration.description.kind }
        findings.append(
          Finding(
            rule: SubmissionRules.unknownCheck,
            message:
              "'\(affirmation.criterion)' is not a checklist criterion of this rubric; checklists: \(checklists.map(\.id).joined(separator: ", "))",
            at: affirmation.location))
        continue
      }
      if !checklist.checks.contains(where: { $0.id == affirmation.check }) {
        findings.append(
          Finding(
            rule: SubmissionRules.unknownCheck,
            message:
              "'\(affirmation.criterion)' has no check '\(affirmation.check)'; its checks: \(checklist.checks.map(\.id).joined(separator: ", "))",
            at: affirmation.location))
      }
    }
    return findings
  }
}
