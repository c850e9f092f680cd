import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox with warm Python servers (`--python-runner warm`): a `python -I SCRIPT` run of a
/// python-tests folder goes to a server that has imported pytest once and forks a child for it
/// (see `WarmServerScript` for what isolates one child from the next); every other run, and any
/// Python run a server cannot take, goes to `fresh`, bubblewrap started anew.
///
/// One server per uid (as root, each server runs as a uid leased for Python runs, and one run at a
/// time holds a uid), interpreter and environment. A server is retired after a run that did not
/// end by itself, a run found untrustworthy (`distrust`), `maximumRuns` runs, or any fault; the
/// run a server failed is run afresh. When the first server cannot start (no user namespaces, no
/// capabilities to keep), the reason is told once through `notice` and every run is fresh.
public final class WarmPythonSandbox: CommandSandbox, @unchecked Sendable {
  public let fresh: BubblewrapSandbox
  /// Runs one server takes before it is replaced.
  let maximumRuns: Int
  private let notice: @Sendable (String) -> Void
  private let lock = NSLock()
  private var idle: [WarmServer] = []
  private var busy: [ObjectIdentifier: WarmServer] = [:]
  /// The uids leased for Python runs (kept while this sandbox lives), and those no run holds now.
  private var pythonUIDs: Set<UInt32> = []
  private var freeUIDs: [UInt32] = []
  /// Why warm servers are not used, once one could not start.
  private(set) var unavailable: String?
  /// Servers started so far.
  private(set) var serversStarted = 0
  private var folders: Folders?

  /// The prefix of the run folders servers take.
  static let pythonPrefix = "mastery-python"

  public init(
    fresh: BubblewrapSandbox = BubblewrapSandbox(), maximumRuns: Int = 200,
    notice: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.fresh = fresh
    self.maximumRuns = maximumRuns
    self.notice = notice
  }

  deinit {
    for server in idle + busy.values { retire(server) }
    if let folders {
      SandboxFolder.removeTree(folders.root)
      Self.leftAtExit.withLock { _ = $0.remove(folders.root) }
    }
  }

  /// The host folders of this sandbox's servers: `runs` (bound at `/runs` in every server; the
  /// Python run folders are made there) and `server` (the server's script, at `/warm`).
  struct Folders {
    let root: String
    var runs: String { root + "/runs" }
    var server: String { root + "/server" }
  }

  private func madeFolders() -> Folders? {
    if let folders { return folders }
    guard
      let root = try? SandboxFolder.makeRunFolder(
        prefix: "mastery-warm", group: nil, bytes: 0, base: SandboxFolder.memoryBase ?? NSTemporaryDirectory())
    else { return nil }
    let made = Folders(root: root)
    chmod(root, 0o711)
    guard mkdir(made.runs, 0o711) == 0, mkdir(made.server, 0o755) == 0,
      (try? WarmServerScript.source.write(toFile: made.server + "/server.py", atomically: false, encoding: .utf8))
        != nil
    else {
      SandboxFolder.removeTree(root)
      return nil
    }
    chmod(made.runs, 0o711)
    chmod(made.server + "/server.py", 0o644)
    folders = made
    Self.removeAtExit(root)
    return made
  }

  /// Folders removed when the process exits (a command ends by `exit`, which runs no deinit),
  /// after the servers still running are ended.
  private static let leftAtExit = Mutex<Set<String>>([])
  private static let exitHandler: Void = {
    atexit {
      WarmServer.terminateAll()
      for root in WarmPythonSandbox.leftAtExit.withLock({ $0 }) { SandboxFolder.removeTree(root) }
    }
  }()

  private static func removeAtExit(_ root: String) {
    _ = exitHandler
    leftAtExit.withLock { _ = $0.insert(root) }
  }

  // MARK: Uids and folders of Python runs

  private func isPython(_ prefix: String) -> Bool { prefix == Self.pythonPrefix }

  public func reserveUID() -> UInt32? { fresh.reserveUID() }

  public func reserveUID(prefix: String) -> UInt32? {
    guard isPython(prefix) else { return fresh.reserveUID() }
    lock.lock()
    if let uid = freeUIDs.popLast() {
      lock.unlock()
      return uid
    }
    lock.unlock()
    guard let uid = fresh.reserveUID() else { return nil }
    lock.lock()
    pythonUIDs.insert(uid)
    lock.unlock()
    return uid
  }

  public func releaseUID(_ uid: UInt32?) {
    guard let uid else { return }
    lock.lock()
    if pythonUIDs.contains(uid) {
      freeUIDs.append(uid)
      lock.unlock()
      return
    }
    lock.unlock()
    fresh.releaseUID(uid)
  }

  public func runFolderBase(prefix: String, bytes: Int?) -> String? {
    guard isPython(prefix), (bytes ?? 0) <= SandboxFolder.memoryRunBytes else { return nil }
    lock.lock()
    defer { lock.unlock() }
    guard unavailable == nil else { return nil }
    return madeFolders().map { $0.runs + "/" }
  }

  public func distrust(runFolder: String) {
    lock.lock()
    let found = idle.firstIndex { $0.lastRun == runFolder }.map { idle.remove(at: $0) }
    lock.unlock()
    if let found { retire(found) }
  }

  /// Starts a server for `interpreter` (its self-check included) and keeps it for later runs:
  /// nil when warm runs work here, else why not.
  public func check(interpreter: String = "/usr/bin/python3", environment: [String: String]) async -> String? {
    if let reason = fresh.unavailableReason { return reason }
    let uid = reserveUID(prefix: Self.pythonPrefix)
    defer { releaseUID(uid) }
    guard runFolderBase(prefix: Self.pythonPrefix, bytes: 0) != nil else {
      return lock.withLock { unavailable } ?? "no folder for the servers' runs could be made"
    }
    guard let server = await server(for: WarmServer.Key(interpreter: interpreter, environment: environment, uid: uid))
    else { return lock.withLock { unavailable } ?? "the server did not start" }
    give(back: server, retire: false)
    return nil
  }

  // MARK: Runs

  /// What a run that a server can take needs: its folder (a folder of `runs`) and its interpreter.
  private struct Plan {
    var folder: String
    var name: String
    var interpreter: String
  }

  private func plan(_ run: SandboxRun) -> Plan? {
    guard run.command.count >= 3, run.command[1] == "-I", run.command[0].hasPrefix("/") else { return nil }
    let (runs, held, off) = lock.withLock {
      (folders?.runs, run.uid.map { pythonUIDs.contains($0) } ?? !fresh.asRoot, unavailable != nil)
    }
    guard !off, held, let runs else { return nil }
    var name: String?
    for mount in run.mounts where mount.capacity == nil {
      guard mount.target.hasPrefix("/box/"), mount.source.hasPrefix(runs + "/") else { return nil }
      let first = mount.source.dropFirst(runs.count + 1).split(separator: "/").first.map(String.init)
      guard let first, name == nil || name == first else { return nil }
      name = first
    }
    guard let name else { return nil }
    return Plan(folder: runs + "/" + name, name: name, interpreter: run.command[0])
  }

  public func run(_ run: SandboxRun) async -> SandboxResult {
    if fresh.unavailableReason != nil { return await fresh.run(run) }
    guard let plan = plan(run) else { return await fresh.run(run) }
    let key = WarmServer.Key(interpreter: plan.interpreter, environment: run.environment, uid: run.uid)
    guard let server = await server(for: key) else { return await fresh.run(run) }
    // The server's cgroup holds the server and this one run: the run's limits are set on it, and
    // its peak and OOM kills are read from it. The memory limit counts the server as a fresh
    // run's counts its own interpreter and pytest; the process limit, the server's three
    // processes beyond a fresh run's (the server, the child and the namespace's first process).
    let cgroup = run.limits.cgroup ? server.cgroup : nil
    let killsBefore = cgroup?.oomKills ?? 0
    if let cgroup {
      guard cgroup.setLimits(memoryBytes: run.limits.memoryBytes, processes: run.limits.processes + 3) else {
        give(back: server, retire: true)
        return await fresh.run(run)
      }
      cgroup.resetPeak()
    } else {
      server.cgroup?.setLimits(memoryBytes: nil, processes: run.limits.processes + 3)
    }
    let request = self.request(run, plan: plan, inCgroup: cgroup != nil)
    guard let answer = await server.run(request, folder: plan.folder, seconds: run.limits.wallSeconds + 30),
      let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any],
      let status = object["status"] as? Int
    else {
      // No answer, or a child that could not be set up: the server goes, the run is run afresh.
      give(back: server, retire: true)
      return await fresh.run(run)
    }
    func bytes(_ key: String) -> [UInt8] {
      (object[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
    }
    let outcome = ProcessLauncher.Outcome(
      status: Int32(truncatingIfNeeded: status), signalled: false, timedOut: object["timedOut"] as? Bool ?? false,
      stdout: bytes("stdout"), stderr: bytes("stderr"), truncated: object["truncated"] as? Bool ?? false,
      seconds: object["seconds"] as? Double ?? 0)
    let killedForMemory = (cgroup?.oomKills ?? 0) > killsBefore
    var result = BubblewrapSandbox.result(outcome, limits: run.limits, killedForMemory: killedForMemory)
    if let cgroup {
      result.memoryMechanism = run.limits.memoryBytes == nil ? nil : cgroup.support.name
      result.peakMemoryBytes = cgroup.peakBytes
    } else if run.limits.addressSpaceBytes != nil {
      result.memoryMechanism = "address space"
    }
    // A run that did not end by itself (a limit, a signal) may have tried something: a new server.
    let clean: Bool
    if case .completed = result.termination { clean = true } else { clean = false }
    give(back: server, retire: !clean || server.runs >= maximumRuns)
    return result
  }

  /// The request line for `run`: its mounts relative to its folder, its limits as the child sets them.
  private func request(_ run: SandboxRun, plan: Plan, inCgroup: Bool) -> Data {
    let limits = run.limits
    var mounts: [[String: Any]] = []
    for mount in run.mounts {
      var entry: [String: Any] = ["target": mount.target, "writable": mount.writable]
      if let capacity = mount.capacity {
        entry["capacity"] = capacity
      } else {
        entry["source"] = String(mount.source.dropFirst(plan.folder.count).drop { $0 == "/" })
      }
      mounts.append(entry)
    }
    var childLimits: [String: Any] = [
      "wall": limits.wallSeconds, "output": limits.outputBytes, "cpu": max(1, Int(limits.cpuSeconds.rounded(.up))),
      "fileSize": limits.fileSizeBytes, "openFiles": limits.openFiles, "sharedMemory": limits.sharedMemoryBytes,
      // The uid's process limit counts the server's own processes too (bubblewrap's two, the
      // server, the child and the namespace's first process), as a fresh run's counts bubblewrap's.
      "processes": limits.processes + 3,
    ]
    if !inCgroup, let addressSpace = limits.addressSpaceBytes { childLimits["addressSpace"] = addressSpace }
    // Only the author's tests are rewritten ahead by the server: never a file the candidate wrote.
    let object: [String: Any] = [
      "run": plan.name, "mounts": mounts, "cwd": run.workingDirectory, "argv": Array(run.command.dropFirst(2)),
      "limits": childLimits, "rewrite": [PythonRun.testsTarget],
    ]
    return (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
  }

  /// An idle server for `key`, or a new one; nil when none can start (warm servers are then off).
  private func server(for key: WarmServer.Key) async -> WarmServer? {
    let (found, others, made): (WarmServer?, [WarmServer], Folders?) = lock.withLock {
      if let index = idle.firstIndex(where: { $0.key == key }) {
        let server = idle.remove(at: index)
        busy[ObjectIdentifier(server)] = server
        return (server, [], folders)
      }
      // Another interpreter's idle server of this uid would count against the uid's process limit.
      guard key.uid != nil else { return (nil, [], folders) }
      let others = idle.filter { $0.key.uid == key.uid }
      idle.removeAll { $0.key.uid == key.uid }
      return (nil, others, folders)
    }
    if let found { return found }
    for other in others { retire(other) }
    guard let folders = made else { return nil }
    let log = folders.root + "/server-\(key.uid.map(String.init) ?? "user")-\(UInt32.random(in: 0...UInt32.max)).log"
    // The server's cgroup, made before it starts and entered by its first process.
    var command = command(for: key, folders: folders)
    let cgroup =
      fresh.asRoot
      ? CgroupSupport.detected.flatMap {
        RunCgroup(support: $0, memoryBytes: nil, processes: SandboxLimits().processes)
      }
      : nil
    if let cgroup {
      let (executable, arguments) = BubblewrapSandbox.entering(
        cgroup, executable: command[0], arguments: Array(command.dropFirst()))
      command = [executable] + arguments
    }
    let started = await WarmServer.start(key: key, command: command, cgroup: cgroup, log: log)
    unlink(log)
    switch started {
    case .success(let server):
      lock.withLock {
        busy[ObjectIdentifier(server)] = server
        serversStarted += 1
      }
      return server
    case .failure(let failure):
      let first = lock.withLock {
        defer { unavailable = failure.reason }
        return unavailable == nil
      }
      if first { notice("the warm Python runner is not used (\(failure.reason)): each Python run starts afresh") }
      return nil
    }
  }

  private func give(back server: WarmServer, retire: Bool) {
    lock.withLock {
      busy[ObjectIdentifier(server)] = nil
      if !retire { idle.append(server) }
    }
    if retire { self.retire(server) }
  }

  private func retire(_ server: WarmServer) {
    server.stop()
  }

  /// The server's command: bubblewrap as for any run, but keeping CAP_SYS_ADMIN and CAP_SETPCAP
  /// (in its own user namespace) for the server, which each child drops; `/runs` bound so that
  /// children can take their folders; no limits but the stack's (the child sets the run's).
  func command(for key: WarmServer.Key, folders: Folders) -> [String] {
    var arguments = [
      "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
      "--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP",
      "--uid", "65534", "--gid", "65534", "--clearenv",
    ]
    arguments += BubblewrapSandbox.systemArguments(environment: key.environment, sharedMemoryBytes: 1 << 20)
    arguments += ["--bind", folders.runs, "/runs", "--ro-bind", folders.server, "/warm", "--dir", "/box"]
    arguments += [
      "--remount-ro", "/", "--chdir", "/tmp", "--", "/usr/bin/prlimit", "--stack=\(SandboxLimits.stackBytes)",
      "--core=0", "--", key.interpreter, "-I", "/warm/server.py",
    ]
    if fresh.asRoot, let uid = key.uid {
      return ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--", fresh.bwrap] + arguments
    }
    return [fresh.bwrap] + arguments
  }
}
