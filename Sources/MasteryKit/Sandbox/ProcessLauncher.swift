import CLinux
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a process, collects its output up to a limit, and kills it (and,
/// with `killGroup`, its process group) at a deadline or as soon as its
/// output passes the limit: a run that floods its output ends there, whatever
/// the speed of the reader.
enum ProcessLauncher {
  struct Outcome {
    var status: Int32
    var signalled: Bool
    var timedOut: Bool
    var stdout: [UInt8]
    var stderr: [UInt8]
    /// The output passed the limit: the rest was dropped and the process killed.
    var truncated: Bool
    var seconds: Double
  }

  /// Collects up to `limit` bytes from a descriptor shared by two readers.
  final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private(set) var truncated = false

    init(limit: Int) {
      remaining = limit
    }

    /// The part of `chunk` that still fits.
    func admit(_ chunk: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
      lock.lock()
      defer { lock.unlock() }
      let kept = min(remaining, chunk.count)
      remaining -= kept
      if kept < chunk.count { truncated = true }
      return chunk.prefix(kept)
    }
  }

  /// - Parameter stop: asked at every look at the child (every 10 ms at most): true kills it at
  ///   once (a run whose cgroup's OOM killer ended one of its processes, while the rest waits).
  static func launch(
    executable: String, arguments: [String], environment: [String: String], deadline: Double, outputLimit: Int,
    killGroup: Bool, stop: (@Sendable () -> Bool)? = nil
  ) async throws -> Outcome {
    // posix_spawn directly, not Foundation's Process: Process learns of a child's
    // exit through Dispatch, which a busy process can starve for many seconds.
    let (outRead, outWrite) = try makePipe()
    let errPipe: (Int32, Int32)
    do {
      errPipe = try makePipe()
    } catch {
      close(outRead)
      close(outWrite)
      throw error
    }
    let (errRead, errWrite) = errPipe
    let collector = Collector(limit: outputLimit)
    let start = DispatchTime.now()
    // The readers start first: they block until there is output or the end of it.
    let readOut = Drain(outRead, collector)
    let readErr = Drain(errRead, collector)
    // The thread that starts the process must outlive it: bubblewrap's
    // --die-with-parent (PR_SET_PDEATHSIG) fires when the *thread* that forked
    // it ends, and pool threads end when idle. So a thread of our own starts
    // the process and waits for it.
    let waited: Result<Outcome, SpawnError> = await onOwnThread {
      let spawned = spawn(executable, arguments, environment, stdout: outWrite, stderr: errWrite, newGroup: killGroup)
      // Only the child writes now: closing ours lets the readers see the end.
      close(outWrite)
      close(errWrite)
      guard case .success(let pid) = spawned else {
        _ = readOut.wait()
        _ = readErr.wait()
        if case .failure(let error) = spawned { return .failure(error) }
        return .failure(SpawnError(message: "could not start \(executable)"))
      }
      let limit = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, deadline) * 1e9)
      var status: Int32 = 0
      var timedOut = false
      var pause: UInt32 = 500
      // A pidfd (Linux 5.3) becomes readable the moment the child ends: the wait below wakes then,
      // not at its next poll. Without one (an older kernel), a short sleep between looks.
      let exitDescriptor = mastery_pidfd_open(pid)
      defer { if exitDescriptor >= 0 { close(exitDescriptor) } }
      while true {
        let result = waitpid(pid, &status, timedOut ? 0 : WNOHANG)
        if result == pid { break }
        if result < 0, errno != EINTR { break }
        if !timedOut, collector.truncated || stop?() == true {
          if killGroup { kill(-pid, SIGKILL) }
          kill(pid, SIGKILL)
          while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
          break
        }
        if !timedOut, DispatchTime.now().uptimeNanoseconds >= limit {
          // The whole tree: bwrap's namespace dies with it; unconfined runs are their own group.
          if killGroup { kill(-pid, SIGKILL) }
          kill(pid, SIGKILL)
          timedOut = true
          continue
        }
        if exitDescriptor >= 0 {
          // Woken by the exit, else every 10 ms to look at the deadline and the output limit.
          var entry = pollfd(fd: exitDescriptor, events: Int16(POLLIN), revents: 0)
          _ = poll(&entry, 1, 10)
          continue
        }
        usleep(pause)
        // Every millisecond for the first quarter second (a plugin or a short run ends within a
        // few milliseconds, and a coarser step would add up to half of it again), then every 10 ms.
        let elapsed = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        pause = elapsed < 250_000_000 ? 1000 : min(pause * 2, 10_000)
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
      let code = signalled ? status & 0x7f : (status >> 8) & 0xff
      let stdout = readOut.wait()
      let stderr = readErr.wait()
      return .success(
        Outcome(
          status: code, signalled: signalled, timedOut: timedOut, stdout: stdout, stderr: stderr,
          truncated: collector.truncated, seconds: seconds))
    }
    if readOut.finished { close(outRead) }
    if readErr.finished { close(errRead) }
    return try waited.get()
  }

  /// Pipes are made close-on-exec under the same lock as every spawn, so no
  /// concurrently started child inherits another run's pipe (which would keep
  /// its reader from ever seeing the end).
  static let spawnLock = NSLock()

  private static func makePipe() throws -> (Int32, Int32) {
    spawnLock.lock()
    defer { spawnLock.unlock() }
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw SpawnError(message: "pipe: \(String(cString: strerror(errno)))") }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    return (fds[0], fds[1])
  }

  struct SpawnError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// Starts `executable` with standard input from `stdin` (else /dev/null) and the given
  /// output descriptors, default signal handling, and (with `newGroup`) its
  /// own process group.
  static func spawn(
    _ executable: String, _ arguments: [String], _ environment: [String: String], stdin: Int32? = nil,
    stdout: Int32, stderr: Int32, newGroup: Bool
  ) -> Result<pid_t, SpawnError> {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin {
      posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    // Nothing else: bubblewrap passes on every descriptor it is given.
    _ = mastery_spawn_closefrom(&actions, 3)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
    if newGroup {
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
      posix_spawnattr_setpgroup(&attributes, 0)
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    spawnLock.lock()
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    spawnLock.unlock()
    guard status == 0 else {
      return .failure(SpawnError(message: "could not start \(executable): \(String(cString: strerror(status)))"))
    }
    return .success(pid)
  }

  /// Output read so far by a reader thread, handed over when it ends.
  final class Drain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    /// Starts a thread that reads `descriptor` to its end, keeping what the collector admits.
    ///
    /// A plain thread: it must run even when every task thread is busy, or the child blocks on a full pipe.
    init(_ descriptor: Int32, _ collector: Collector) {
      let thread = Thread { [self] in
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
          let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 65536) }
          if count < 0, errno == EINTR { continue }
          if count <= 0 { break }
          let kept = collector.admit(buffer[0..<count])
          lock.lock()
          bytes += kept
          lock.unlock()
        }
        done.signal()
      }
      thread.stackSize = 256 * 1024
      thread.start()
    }

    /// What was read, once the reader has seen the end or `seconds` have passed
    /// (an escaped grandchild of an unconfined run may hold the pipe open).
    func wait(seconds: Double = 2) -> [UInt8] {
      finished = done.wait(timeout: .now() + seconds) == .success
      lock.lock()
      defer { lock.unlock() }
      return bytes
    }

    /// Whether the reader saw the end; if not, its descriptor must stay open
    /// (closing it under a blocked read could hand the number to a new file).
    private(set) var finished = false
  }

  /// Runs blocking work (a pipe read, a wait for a process) on a new thread.
  ///
  /// Never on one of Swift's cooperative threads, which a blocking call would
  /// take from every other task, nor on Dispatch's global queues, whose few
  /// threads a busy process can use up: both stalled concurrent runs.
  static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      let thread = Thread { continuation.resume(returning: body()) }
      thread.stackSize = 256 * 1024
      thread.start()
    }
  }
}
