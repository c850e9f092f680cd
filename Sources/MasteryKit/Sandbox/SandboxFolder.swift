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
}
