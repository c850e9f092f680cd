import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Preparing host folders for a sandboxed run.
public enum SandboxFolder {
  /// Makes a tree readable by the sandbox's unprivileged uid (folders 0755, files 0644) and, when
  /// `owner` is given, that uid's own (for the folders a run may write). Symbolic links are not followed.
  public static func handOver(_ path: String, to owner: UInt32? = nil) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
    chmod(path, isFolder ? 0o755 : 0o644)
    if let owner { chown(path, owner, owner) }
    guard isFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
    for name in names { handOver((path as NSString).appendingPathComponent(name), to: owner) }
  }

  /// Makes a new private folder for one run under the temporary folder, `PREFIX-PID-XXXXXX`.
  ///
  /// Only root and, when `group` is given, that sandbox uid's group may enter it (0710: enter, not
  /// list), so the hidden tests or a candidate's evidence copied into it are never readable by
  /// other users of the machine. The first call in a process also removes the folders of runs
  /// whose process has gone (killed before it could clean up).
  ///
  /// - Throws: `CocoaError` when the folder cannot be made.
  public static func makeRunFolder(prefix: String, group: UInt32?) throws -> String {
    _ = staleRunsRemoved
    let base = NSTemporaryDirectory()
    var template = Array((base + "\(prefix)-\(getpid())-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let start = buffer.baseAddress, mkdtemp(start) != nil else { return nil }
      return String(cString: start)
    }
    guard let made else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base]) }
    if let group {
      chown(made, 0, group)
      chmod(made, 0o710)
    } else {
      chmod(made, 0o700)
    }
    return made
  }

  /// The prefixes of the run folders this engine makes.
  static let runPrefixes = ["mastery-python-", "mastery-web-", "mastery-pdf-"]

  /// Removes, once per process, run folders left by a process that no longer exists.
  private static let staleRunsRemoved: Void = { removeStaleRuns(in: NSTemporaryDirectory()) }()

  /// Removes the run folders in `base` whose process (the PID in their name) no longer exists.
  ///
  /// - Returns: the folders removed.
  @discardableResult
  static func removeStaleRuns(in base: String) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return [] }
    var removed: [String] = []
    for name in names {
      guard let prefix = runPrefixes.first(where: { name.hasPrefix($0) }) else { continue }
      let rest = name.dropFirst(prefix.count).split(separator: "-")
      guard rest.count == 2, let pid = Int32(rest[0]), pid > 0, pid != getpid() else { continue }
      // ESRCH: no such process. EPERM means it exists under another user: left alone.
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }
      let path = (base as NSString).appendingPathComponent(name)
      var info = stat()
      // Only our own folders (root's, or this user's), never a link.
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else { continue }
      if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
    }
    return removed
  }
}
