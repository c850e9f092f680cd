import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a process, collects its output up to a limit (draining the rest),
/// and kills it (and, with `killGroup`, its process group) at a deadline.
enum ProcessLauncher {
  struct Outcome {
    var status: Int32
    var signalled: Bool
    var timedOut: Bool
    var stdout: [UInt8]
    var stderr: [UInt8]
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

  static func launch(
    executable: String, arguments: [String], environment: [String: String], deadline: Double, outputLimit: Int,
    killGroup: Bool
  ) async throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: "/")
    let out = Pipe()
    let err = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = out
    process.standardError = err
    let collector = Collector(limit: outputLimit)
    let start = DispatchTime.now()
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    // The thread that starts the process must outlive it: bubblewrap's
    // --die-with-parent (PR_SET_PDEATHSIG) fires when the *thread* that
    // forked it ends, and Swift's and Dispatch's pool threads end when idle.
    // So one thread of our own starts the process and waits for it. The
    // readers start first: they block until there is output or the end of it.
    let readOut = read(out.fileHandleForReading.fileDescriptor, collector)
    let readErr = read(err.fileHandleForReading.fileDescriptor, collector)
    let launched: Result<(pid: Int32, timedOut: Bool), Error> = await onOwnThread {
      do {
        try process.run()
      } catch {
        // Nothing will write: end the readers.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        return .failure(error)
      }
      let pid = process.processIdentifier
      let limit = DispatchTime.now() + deadline
      guard exited.wait(timeout: limit) == .timedOut else { return .success((pid, false)) }
      // The whole tree: bwrap's namespace dies with it; unconfined runs are their own group.
      if killGroup { kill(-pid, SIGKILL) }
      kill(pid, SIGKILL)
      exited.wait()
      return .success((pid, true))
    }
    let timedOut = try launched.get().timedOut
    let stdout = await readOut.value
    let stderr = await readErr.value
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return Outcome(
      status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
      timedOut: timedOut, stdout: stdout, stderr: stderr, truncated: collector.truncated, seconds: seconds)
  }

  /// Reads a descriptor to its end on a thread of its own; keeps what the collector admits.
  private static func read(_ descriptor: Int32, _ collector: Collector) -> Task<[UInt8], Never> {
    Task {
      await onOwnThread {
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
          let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 65536) }
          if count < 0, errno == EINTR { continue }
          if count <= 0 { break }
          kept += collector.admit(buffer[0..<count])
        }
        return kept
      }
    }
  }

  /// Runs blocking work (a pipe read, a wait for a process) on a new thread.
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
