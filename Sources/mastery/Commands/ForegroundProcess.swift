import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs an interactive program (a pager, the desktop's opener) on the terminal and waits for it.
///
/// Unlike Foundation's `Process`, which starts the child in a new process group, the child stays
/// in this process's group: the terminal's foreground group, so a pager that reads the terminal
/// is not stopped (SIGTTIN). Ctrl-C reaches both; the child gets the default actions back.
enum ForegroundProcess {
  private static let running = NSLock()
  nonisolated(unsafe) private static var active = false

  /// True while a program runs (Ctrl-C is then the program's, not the review's).
  static var isRunning: Bool { running.withLock { active } }

  /// Runs `arguments` (the first is the executable's path) with this process's environment.
  ///
  /// - Returns: its exit status, or nil when it could not start.
  @discardableResult
  static func run(_ arguments: [String]) -> Int32? {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGTSTP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    posix_spawnattr_setsigmask(&attributes, &unblocked)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    running.withLock { active = true }
    defer { running.withLock { active = false } }
    guard posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ) == 0 else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status
  }
}
