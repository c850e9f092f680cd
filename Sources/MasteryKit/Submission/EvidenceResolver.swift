import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds each rubric evidence item in a submission folder, refusing symbolic
/// links and paths that leave the folder, and hashes every file with SHA-256.
public struct EvidenceResolver: Sendable {
  /// Files above this size are hashed in chunks rather than read whole.
  static let wholeReadLimit = 1 << 20

  public init() {}

  /// The evidence of `submission` for every item of `rubric`, and findings
  /// (symbolic links are errors; paths the manifest names that do not exist, warnings).
  public func resolve(_ submission: Submission, rubric: Microcredential) -> (
    evidence: [ResolvedEvidence], findings: [Finding]
  ) {
    var findings: [Finding] = []
    let evidence = rubric.evidence.map { item -> ResolvedEvidence in
      let answer = submission.answer(for: item.id)
      if let url = answer?.url {
        return ResolvedEvidence(item: item, path: nil, fullPath: nil, state: .url(url), files: [])
      }
      guard let path = answer?.path ?? item.path else {
        return ResolvedEvidence(
          item: item, path: nil, fullPath: nil, state: .missing("the manifest gives no answer for it"), files: [])
      }
      guard Quantity.isContainedRelativePath(path) else {
        return ResolvedEvidence(
          item: item, path: path, fullPath: nil, state: .missing("its path leaves the submission"), files: [])
      }
      let location = answer?.location ?? submission.location
      var resolved = ResolvedEvidence(
        item: item, path: path, fullPath: (submission.folder as NSString).appendingPathComponent(path),
        state: .present, files: [])
      switch inspect(path, in: submission.folder, itemID: item.id) {
      case .symlink(let link):
        findings.append(
          Finding(
            rule: SubmissionRules.symlink,
            message: "evidence '\(item.id)': '\(link)' is a symbolic link; put the file itself in the submission",
            at: location))
        resolved.state = .missing("'\(link)' is a symbolic link")
      case .absent:
        if answer != nil {
          findings.append(
            Finding(
              rule: SubmissionRules.missingEvidence,
              message: "evidence '\(item.id)': '\(path)' is not in the submission folder", at: location))
        }
        resolved.state = .missing("'\(path)' is not in the submission")
      case .unreadable(let reason):
        resolved.state = .missing("'\(path)' cannot be read: \(reason)")
      case .file(let file):
        if item.kind == .folder {
          findings.append(
            Finding(
              rule: SubmissionRules.wrongKind, message: "evidence '\(item.id)' asks for a folder; '\(path)' is a file",
              at: location))
          resolved.state = .missing("'\(path)' is a file; a folder is asked for")
        }
        resolved.files = [file]
      case .folder(let files, let links):
        for link in links {
          findings.append(
            Finding(
              rule: SubmissionRules.symlink,
              message: "evidence '\(item.id)': '\(link)' is a symbolic link; put the file itself in the submission",
              at: location))
        }
        if item.kind != .folder {
          findings.append(
            Finding(
              rule: SubmissionRules.wrongKind,
              message: "evidence '\(item.id)' asks for a \(item.kind.rawValue); '\(path)' is a folder", at: location))
          resolved.state = .missing("'\(path)' is a folder; a \(item.kind.rawValue) is asked for")
        } else if !links.isEmpty {
          resolved.state = .missing("it contains symbolic links")
        }
        resolved.files = files
      }
      return resolved
    }
    for affirmation in submission.affirmations {
      guard let file = affirmation.file, Quantity.isContainedRelativePath(file) else { continue }
      switch inspect(file, in: submission.folder, itemID: "check") {
      case .symlink(let link):
        findings.append(
          Finding(
            rule: SubmissionRules.symlink,
            message: "the file for check '\(affirmation.check)': '\(link)' is a symbolic link; attach the file itself",
            at: affirmation.location))
      case .absent:
        findings.append(
          Finding(
            rule: SubmissionRules.missingEvidence,
            message: "the file for check '\(affirmation.check)', '\(file)', is not in the submission folder",
            at: affirmation.location))
      case .folder:
        findings.append(
          Finding(
            rule: SubmissionRules.wrongKind,
            message: "the file for check '\(affirmation.check)', '\(file)', is a folder; attach a file",
            at: affirmation.location))
      case .file, .unreadable:
        break
      }
    }
    return (evidence, findings)
  }

  /// The attachment of an affirmation, hashed, or why it cannot be used.
  public func attachment(_ path: String, in submission: Submission, label: String) -> Result<
    EvidenceFile, AttachmentProblem
  > {
    guard Quantity.isContainedRelativePath(path) else { return .failure(.unsafe) }
    switch inspect(path, in: submission.folder, itemID: label) {
    case .file(let file): return .success(file)
    case .symlink(let link): return .failure(.symlink(link))
    case .absent, .unreadable: return .failure(.absent)
    case .folder: return .failure(.folder)
    }
  }

  public enum AttachmentProblem: Error, Sendable, Hashable {
    case unsafe, absent, folder
    case symlink(String)
  }

  // MARK: Looking at the file system

  enum Inspection {
    case file(EvidenceFile)
    case folder(files: [EvidenceFile], symlinks: [String])
    case symlink(String)
    case absent
    case unreadable(String)
  }

  /// Looks at `relative` inside `folder` without following any symbolic link.
  func inspect(_ relative: String, in folder: String, itemID: String) -> Inspection {
    let components = relative.split(separator: "/").filter { $0 != "." }
    var current = folder
    var walked = ""
    for (index, component) in components.enumerated() {
      current = (current as NSString).appendingPathComponent(String(component))
      walked = walked.isEmpty ? String(component) : walked + "/" + component
      var info = stat()
      guard lstat(current, &info) == 0 else {
        return errno == ENOENT || errno == ENOTDIR ? .absent : .unreadable(String(cString: strerror(errno)))
      }
      let type = info.st_mode & S_IFMT
      if type == S_IFLNK { return .symlink(walked) }
      if index < components.count - 1, type != S_IFDIR { return .absent }
      if index == components.count - 1 {
        if type == S_IFDIR { return walkFolder(current, relative: walked, itemID: itemID) }
        guard type == S_IFREG else { return .unreadable("it is not a regular file") }
        guard let hash = Self.sha256(ofFile: current) else { return .unreadable("it cannot be read") }
        return .file(EvidenceFile(item: itemID, path: walked, sha256: hash, bytes: Int(info.st_size)))
      }
    }
    return .absent
  }

  private func walkFolder(_ full: String, relative: String, itemID: String) -> Inspection {
    var files: [EvidenceFile] = []
    var links: [String] = []
    var pending = [(full, relative)]
    while let (folder, prefix) = pending.popLast() {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
      for name in names.sorted() {
        let path = (folder as NSString).appendingPathComponent(name)
        let shown = prefix + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFLNK: links.append(shown)
        case S_IFDIR: pending.append((path, shown))
        case S_IFREG:
          if let hash = Self.sha256(ofFile: path) {
            files.append(EvidenceFile(item: itemID, path: shown, sha256: hash, bytes: Int(info.st_size)))
          }
        default: break
        }
      }
    }
    files.sort { $0.path < $1.path }
    return .folder(files: files, symlinks: links.sorted())
  }

  /// The SHA-256 of a file as lowercase hex, or nil when it cannot be read.
  public static func sha256(ofFile path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
      // read(upToCount:) gives nil or empty data at the end of the file; a read error throws.
      while let chunk = try handle.read(upToCount: wholeReadLimit), !chunk.isEmpty {
        hasher.update(data: chunk)
      }
    } catch {
      return nil
    }
    return hex(hasher.finalize())
  }

  /// The SHA-256 of bytes as lowercase hex.
  public static func sha256(of bytes: some DataProtocol) -> String {
    hex(SHA256.hash(data: bytes))
  }

  private static func hex(_ digest: SHA256.Digest) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
