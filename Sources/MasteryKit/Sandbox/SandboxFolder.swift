import CLinux
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Preparing host folders for a sandboxed run.
public enum SandboxFolder {
  /// Makes a tree readable by the sandbox's unprivileged uid (folders 0755, files 0644) and, when
  /// `owner` is given, that uid's own (for the folders a run may write). Symbolic links are not followed.
  /// With `keepExecutable`, files that were executable stay so (0755): a plugin and its scripts.
  public static func handOver(_ path: String, to owner: UInt32? = nil, keepExecutable: Bool = false) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    let isFolder = (info.st_mode & S_IFMT) == S_IFDIR
    let executable = keepExecutable && info.st_mode & 0o111 != 0
    chmod(path, isFolder || executable ? 0o755 : 0o644)
    if let owner { chown(path, owner, owner) }
    guard isFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
    for name in names {
      handOver((path as NSString).appendingPathComponent(name), to: owner, keepExecutable: keepExecutable)
    }
  }

  /// Copies the regular files and folders of `source` into `target` (which exists), leaving out
  /// hidden names, `__pycache__`, links and anything else that is not a file or a folder.
  static func copyTree(_ source: String, to target: String) throws {
    let manager = FileManager.default
    for name in try manager.contentsOfDirectory(atPath: source) where name != "__pycache__" && !name.hasPrefix(".") {
      let from = (source as NSString).appendingPathComponent(name)
      let to = (target as NSString).appendingPathComponent(name)
      var info = stat()
      guard lstat(from, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        try manager.createDirectory(atPath: to, withIntermediateDirectories: false)
        try copyTree(from, to: to)
      case S_IFREG:
        try copyFile(from, to: to, mode: info.st_mode & 0o777)
      default:
        continue
      }
    }
  }

  /// Copies one file through descriptors opened close-on-exec. A copy written through a
  /// descriptor another thread's new process inherits stays "busy" for as long as that process
  /// lives, and a plugin copied so could not be run ("Text file busy").
  static func copyFile(_ source: String, to target: String, mode: mode_t) throws {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: source]) }
    defer { close(input) }
    let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard output >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target]) }
    defer { close(output) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: source])
      }
      var written = 0
      while written < count {
        let step = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
        if step < 0 {
          if errno == EINTR { continue }
          throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        written += step
      }
    }
  }

  /// Makes a new private folder for one run under the temporary folder, `PREFIX-PID-XXXXXX`.
  ///
  /// Only root and, when `group` is given, that sandbox uid's group may enter it (0710: enter, not
  /// list), so the hidden tests or a candidate's evidence copied into it are never readable by
  /// other users of the machine. The first call in a process also removes the folders of runs
  /// whose process has gone (killed before it could clean up).
  ///
  /// - Throws: `CocoaError` when the folder cannot be made.
  public static func makeRunFolder(prefix: String, group: UInt32?, bytes: Int? = nil, base: String? = nil) throws
    -> String
  {
    _ = staleRunsRemoved
    let base = base ?? Self.base(bytes: bytes)
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

  /// Runs whose files come to at most this many bytes get their folder in memory.
  static let memoryRunBytes = 32 << 20

  /// `/dev/shm/` when it is a memory file system (tmpfs) this process may write and no `TMPDIR`
  /// is set: a run folder there costs a fraction of one on disk (each of a run's dozen folder and
  /// file operations is 40-80 us on this machine's disk, a few on tmpfs).
  static let memoryBase: String? = {
    guard ProcessInfo.processInfo.environment["TMPDIR"] == nil else { return nil }
    guard mastery_filesystemType("/dev/shm") == 0x0102_1994, access("/dev/shm", W_OK | X_OK) == 0 else {
      return nil
    }
    return "/dev/shm/"
  }()

  /// Where a run folder goes: in memory for a run of at most `memoryRunBytes` of files (when
  /// there is a `memoryBase`), else in the temporary folder.
  static func base(bytes: Int?) -> String {
    if let bytes, bytes <= memoryRunBytes, let memoryBase { return memoryBase }
    return NSTemporaryDirectory()
  }

  /// Every folder run folders are made in.
  public static var runBases: [String] { [NSTemporaryDirectory()] + (memoryBase.map { [$0] } ?? []) }

  /// A new run folder (`makeRunFolder`) holding empty `folders`, and a uid leased for the run;
  /// when the folders cannot be made, the folder is removed and the uid given back.
  ///
  /// - Parameter bytes: the size of the files the run is given, when known: a small run's folder
  ///   is made in memory.
  static func makeRun(prefix: String, sandbox: any CommandSandbox, folders: [String], bytes: Int? = nil) throws -> (
    root: String, uid: UInt32?
  ) {
    let uid = sandbox.reserveUID(prefix: prefix)
    var root: String?
    do {
      let made = try makeRunFolder(
        prefix: prefix, group: uid, bytes: bytes, base: sandbox.runFolderBase(prefix: prefix, bytes: bytes))
      root = made
      for folder in folders {
        try FileManager.default.createDirectory(atPath: "\(made)/\(folder)", withIntermediateDirectories: false)
      }
      return (made, uid)
    } catch {
      if let root { removeTree(root) }
      sandbox.releaseUID(uid)
      throw error
    }
  }

  /// Removes a run folder and everything in it, never following a link (a run may leave links to
  /// anywhere). By descriptor (`openat`, `unlinkat`): a fifth of the time of `FileManager`'s
  /// removal, which every sandboxed run pays. Whatever is left (a tree deeper than 64 folders, a
  /// folder the engine may not write when it is not root) is removed by `FileManager` after.
  static func removeTree(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    if descriptor >= 0 {
      removeContents(of: descriptor, depth: 0)
      close(descriptor)
      if rmdir(path) == 0 { return }
    } else if unlink(path) == 0 || errno == ENOENT {
      return
    }
    try? FileManager.default.removeItem(atPath: path)
  }

  private static func removeContents(of folder: Int32, depth: Int) {
    guard depth < 64, let listing = fdopendir(dup(folder)) else { return }
    var names: [(name: String, isFolder: Bool?)] = []
    while let entry = readdir(listing) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      guard name != ".", name != ".." else { continue }
      let type = entry.pointee.d_type
      names.append((name, type == DT_UNKNOWN ? nil : type == DT_DIR))
    }
    closedir(listing)
    for (name, known) in names {
      var isFolder = known
      if isFolder == nil {
        var info = stat()
        isFolder = fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
      }
      if isFolder == true {
        let child = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if child >= 0 {
          removeContents(of: child, depth: depth + 1)
          close(child)
        }
        unlinkat(folder, name, AT_REMOVEDIR)
      } else {
        unlinkat(folder, name, 0)
      }
    }
  }

  /// The prefixes of the run folders this engine makes.
  static let runPrefixes = ["mastery-python-", "mastery-web-", "mastery-pdf-", "mastery-plugin-", "mastery-warm-"]

  /// Removes, once per process, run folders left by a process that no longer exists.
  private static let staleRunsRemoved: Void = { for base in runBases { removeStaleRuns(in: base) } }()

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
