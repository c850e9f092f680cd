import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `FOLDER/NAME.lock`, across every process of the host, held until
/// `release` (or until the process ends: the kernel drops a dead process's locks).
final class FileLock: @unchecked Sendable {
  private let descriptor: Int32

  /// Waits for the lock (call it off the cooperative pool); nil when the lock file cannot be
  /// made, and the caller goes on without it.
  init?(folder: String, name: String) {
    mkdir(folder, 0o700)
    let descriptor = open("\(folder)/\(name).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return nil }
    while flock(descriptor, LOCK_EX) != 0 {
      if errno != EINTR {
        close(descriptor)
        return nil
      }
    }
    self.descriptor = descriptor
  }

  func release() {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
