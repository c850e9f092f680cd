import CLinux
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One warm Python server (`WarmServerScript`): an interpreter with pytest imported, confined by
/// bubblewrap, that forks a child for each run it is sent. The engine talks to it over a socket
/// (its standard input and output), one JSON line each way.
///
/// Everything happens on the server's own thread: bubblewrap's `--die-with-parent` fires when the
/// thread that started it ends, and the talk is blocking.
final class WarmServer: @unchecked Sendable {
  /// What a server is started for: runs with another interpreter, environment or uid need another.
  struct Key: Hashable, Sendable {
    var interpreter: String
    var environment: [String: String]
    var uid: UInt32?
  }

  let key: Key
  /// The server's cgroup, which holds it and its one run at a time; nil where runs get none.
  let cgroup: RunCgroup?
  private let thread = DedicatedThread()
  private var pid: pid_t = -1
  private var socket: Int32 = -1
  /// Runs sent so far.
  private(set) var runs = 0
  /// The run folder of the last run, so that a run found untrustworthy afterwards retires its server.
  var lastRun: String?

  private init(key: Key, cgroup: RunCgroup?) {
    self.key = key
    self.cgroup = cgroup
  }

  /// Starts a server (`command`: the whole argument list, the executable first) and waits for its
  /// first line: the server, or why it is not ready (its self-check's finding, or what bubblewrap
  /// printed to `log`).
  static func start(key: Key, command: [String], cgroup: RunCgroup?, log: String, seconds: Double = 60) async
    -> Result<WarmServer, WarmServerFailure>
  {
    let server = WarmServer(key: key, cgroup: cgroup)
    live.withLock { $0[ObjectIdentifier(server)] = server }
    let ready: Result<Void, WarmServerFailure> = await server.thread.perform {
      server.launch(command: command, log: log, seconds: seconds)
    }
    if case .failure(let failure) = ready {
      server.stop()
      return .failure(failure)
    }
    return .success(server)
  }

  /// The servers started and not yet stopped, ended by `terminateAll` when the process exits.
  private static let live = Mutex<[ObjectIdentifier: WarmServer]>([:])

  /// Ends every server still running, from any thread: for a process that is exiting, whose
  /// servers' bubblewrap would outlive it for a moment and their cgroups for good.
  static func terminateAll() {
    for server in live.withLock({ Array($0.values) }) { server.terminate() }
  }

  private func launch(command: [String], log: String, seconds: Double) -> Result<Void, WarmServerFailure> {
    var pair: [Int32] = [-1, -1]
    ProcessLauncher.spawnLock.lock()
    let made = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair)
    let logDescriptor = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    ProcessLauncher.spawnLock.unlock()
    guard made == 0, logDescriptor >= 0 else {
      if made == 0 {
        close(pair[0])
        close(pair[1])
      }
      if logDescriptor >= 0 { close(logDescriptor) }
      return .failure(WarmServerFailure(reason: "could not make the server's socket or log (\(log))"))
    }
    defer { close(logDescriptor) }
    let spawned = ProcessLauncher.spawn(
      command[0], Array(command.dropFirst()), ["PATH": "/usr/bin:/bin"], stdin: pair[1], stdout: pair[1],
      stderr: logDescriptor, newGroup: false)
    close(pair[1])
    socket = pair[0]
    guard case .success(let started) = spawned else {
      if case .failure(let error) = spawned { return .failure(WarmServerFailure(reason: error.message)) }
      return .failure(WarmServerFailure(reason: "could not start \(command[0])"))
    }
    pid = started
    guard let line = readLine(seconds: seconds) else {
      let printed = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      let last = printed.split(separator: "\n").last.map(String.init) ?? "no answer within \(Int(seconds)) s"
      return .failure(WarmServerFailure(reason: "the server did not start: \(last)"))
    }
    guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
      return .failure(WarmServerFailure(reason: "the server said something that is not JSON"))
    }
    if object["ready"] as? Bool == true { return .success(()) }
    return .failure(
      WarmServerFailure(reason: "its self-check failed: \(object["reason"] as? String ?? "no reason given")"))
  }

  /// Sends one run and waits up to `seconds` for its answer; nil when the server did not answer
  /// (it is then stopped: a server that misses a deadline is never used again).
  func run(_ request: Data, folder: String, seconds: Double) async -> Data? {
    lastRun = folder
    runs += 1
    return await thread.perform { [self] in
      var line = request
      line.append(UInt8(ascii: "\n"))
      let sent = line.withUnsafeBytes { bytes -> Bool in
        var offset = 0
        while offset < bytes.count {
          let count = send(socket, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
          if count < 0, errno == EINTR { continue }
          if count <= 0 { return false }
          offset += count
        }
        return true
      }
      guard sent, let answer = readLine(seconds: seconds) else {
        kill()
        return nil
      }
      return answer
    }
  }

  /// One line from the server, or nil at its end, an error, or after `seconds`.
  private func readLine(seconds: Double) -> Data? {
    var line = Data()
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let now = DispatchTime.now().uptimeNanoseconds
      guard now < deadline else { return nil }
      var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
      let ready = poll(&entry, 1, Int32(min(1000, (deadline - now) / 1_000_000 + 1)))
      if ready < 0, errno != EINTR { return nil }
      guard ready > 0 else { continue }
      let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
      if count < 0, errno == EINTR || errno == EAGAIN { continue }
      guard count > 0 else { return nil }
      if let end = buffer[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
        line.append(contentsOf: buffer[0..<end])
        return line
      }
      line.append(contentsOf: buffer[0..<count])
    }
  }

  /// Ends the server (and with bubblewrap's namespace, every process in it); its thread ends too.
  func stop() {
    thread.finish { [self] in
      kill()
      cgroup?.remove()
      _ = Self.live.withLock { $0.removeValue(forKey: ObjectIdentifier(self)) }
    }
  }

  /// Ends the server at once from any thread (the process is exiting): its processes and its cgroup.
  func terminate() {
    let running = pid
    if running > 0 {
      Glibc.kill(running, SIGKILL)
      var status: Int32 = 0
      while waitpid(running, &status, 0) < 0 && errno == EINTR {}
    }
    cgroup?.remove()
  }

  private func kill() {
    if pid > 0 {
      Glibc.kill(pid, SIGKILL)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      pid = -1
    }
    if socket >= 0 {
      close(socket)
      socket = -1
    }
  }
}

/// Why a warm server is not there to use.
struct WarmServerFailure: Error, Sendable {
  let reason: String
}

/// A thread of its own that runs the work it is given, one piece at a time, until told to finish.
final class DedicatedThread: @unchecked Sendable {
  private let condition = NSCondition()
  private var work: [() -> Void] = []
  private var finishing = false

  init() {
    let thread = Thread { [self] in loop() }
    thread.stackSize = 512 * 1024
    thread.start()
  }

  private func loop() {
    while true {
      condition.lock()
      while work.isEmpty && !finishing { condition.wait() }
      if work.isEmpty {
        condition.unlock()
        return
      }
      let next = work.removeFirst()
      condition.unlock()
      next()
    }
  }

  private func enqueue(_ body: @escaping () -> Void) {
    condition.lock()
    work.append(body)
    condition.signal()
    condition.unlock()
  }

  func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      enqueue { continuation.resume(returning: body()) }
    }
  }

  /// Runs `last` after the work already given, then ends the thread.
  func finish(_ last: @escaping () -> Void) {
    condition.lock()
    work.append(last)
    finishing = true
    condition.signal()
    condition.unlock()
  }
}
