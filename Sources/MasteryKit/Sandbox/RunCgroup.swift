import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup controllers this host lets the engine use for its runs: `memory` and `pids`, in
/// cgroup v2 (one hierarchy) or v1 (one hierarchy per controller), found once per process.
///
/// Only as root: making groups and moving processes into them needs it. Under cgroup v2 the runs'
/// groups go under `/sys/fs/cgroup/mastery` (the root's children may enable controllers; the
/// engine's own group, which holds processes, may not); under v1 under the engine's own group of
/// each controller, so that limits set above the engine (a CI job's, a container's) still hold.
public struct CgroupSupport: Sendable {
  enum Kind: Sendable {
    case v1(memory: String, pids: String)
    case v2(String)
  }

  let kind: Kind

  /// What a report says: `cgroup v2` or `cgroup v1`.
  public var name: String {
    switch kind {
    case .v1: "cgroup v1"
    case .v2: "cgroup v2"
    }
  }

  /// Where this host's runs get their groups.
  public var folders: [String] {
    switch kind {
    case .v1(let memory, let pids): [memory, pids]
    case .v2(let folder): [folder]
    }
  }

  /// The support found here, or nil (not root, no controller, a read-only hierarchy).
  public static let detected: CgroupSupport? = {
    guard geteuid() == 0 else { return nil }
    let support = detectV2() ?? detectV1()
    support?.removeStaleGroups()
    return support
  }()

  /// Removes the run groups (`run-PID-N`) whose process no longer exists: one killed before it
  /// could remove them.
  ///
  /// - Returns: the groups removed.
  @discardableResult
  func removeStaleGroups() -> [String] {
    var removed: [String] = []
    for folder in folders {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix("run-") {
        let parts = name.split(separator: "-")
        guard parts.count == 3, let pid = Int32(parts[1]), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
        else { continue }
        let group = "\(folder)/\(name)"
        for process in (CgroupSupport.read("\(group)/cgroup.procs") ?? "").split(separator: "\n").compactMap({
          Int32($0)
        }) {
          kill(process, SIGKILL)
        }
        for _ in 0..<50 where rmdir(group) != 0 && errno == EBUSY { usleep(10_000) }
        if !FileManager.default.fileExists(atPath: group) { removed.append(group) }
      }
    }
    return removed
  }

  /// Why there is no support here, for `mastery sandbox check`.
  public static var absence: String {
    if geteuid() != 0 { return "not root: runs cannot be given cgroups of their own" }
    return
      "neither a cgroup v2 hierarchy with the memory and pids controllers nor writable v1 memory and pids hierarchies"
  }

  static func detectV2() -> CgroupSupport? {
    let root = "/sys/fs/cgroup"
    guard let controllers = read("\(root)/cgroup.controllers"),
      controllers.split(separator: " ").contains("memory"), controllers.split(separator: " ").contains("pids")
    else { return nil }
    let folder = "\(root)/mastery"
    _ = write("+memory +pids", to: "\(root)/cgroup.subtree_control")
    mkdir(folder, 0o755)
    guard write("+memory +pids", to: "\(folder)/cgroup.subtree_control"), probe(folder) else { return nil }
    return CgroupSupport(kind: .v2(folder))
  }

  static func detectV1() -> CgroupSupport? {
    // Each v1 hierarchy: the line "N:memory:/path" of /proc/self/cgroup says where this process is.
    guard let lines = read("/proc/self/cgroup")?.split(separator: "\n") else { return nil }
    func own(_ controller: String) -> String? {
      guard
        let line = lines.first(where: {
          $0.split(separator: ":")[safe: 1]?.split(separator: ",").contains(Substring(controller)) == true
        }),
        let path = line.split(separator: ":", maxSplits: 2).last
      else { return nil }
      let folder = "/sys/fs/cgroup/\(controller)" + (path == "/" ? "" : String(path))
      return FileManager.default.fileExists(atPath: folder + "/cgroup.procs") ? folder : nil
    }
    guard let memory = own("memory"), let pids = own("pids"), probe(memory), probe(pids) else { return nil }
    return CgroupSupport(kind: .v1(memory: memory, pids: pids))
  }

  /// True when a group can be made (and removed) in `folder`.
  static func probe(_ folder: String) -> Bool {
    let name = "\(folder)/mastery-probe-\(getpid())"
    guard mkdir(name, 0o755) == 0 else { return false }
    rmdir(name)
    return true
  }

  static func read(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Writes a control file in one write(2), as the kernel expects; false when it refuses.
  @discardableResult
  static func write(_ text: String, to path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
  }
}

/// The cgroup of one sandboxed run: its resident memory (swap included) and its processes are
/// limited there, the kernel's OOM killer ends it at the memory limit, and its peak is read back.
final class RunCgroup: Sendable {
  let support: CgroupSupport
  /// The run's group in each hierarchy.
  let folders: [String]

  private static let counter = Counter()

  /// Makes the group and sets its limits; nil when the host refuses any of it (the run then falls
  /// back to rlimits).
  init?(support: CgroupSupport, memoryBytes: Int?, processes: Int) {
    self.support = support
    let name = "run-\(getpid())-\(Self.counter.next())"
    folders = support.folders.map { "\($0)/\(name)" }
    var made: [String] = []
    for folder in folders {
      guard mkdir(folder, 0o755) == 0 else {
        for done in made { rmdir(done) }
        return nil
      }
      made.append(folder)
    }
    guard setLimits(memoryBytes: memoryBytes, processes: processes) else {
      for folder in folders { rmdir(folder) }
      return nil
    }
  }

  /// Sets (or sets again) the group's memory limit (nil: none) and process limit; false when the
  /// kernel refuses one.
  @discardableResult
  func setLimits(memoryBytes: Int?, processes: Int) -> Bool {
    var limited = true
    switch support.kind {
    case .v1:
      let memory = memoryBytes.map(String.init) ?? "-1"
      let limit = "\(folders[0])/memory.limit_in_bytes"
      // Swap too, where the kernel accounts it. memsw may never be below the memory limit: the
      // lower of the two is written first, so a raise and a cut both pass.
      let swap = "\(folders[0])/memory.memsw.limit_in_bytes"
      if FileManager.default.fileExists(atPath: swap) {
        let raising = (memoryBytes ?? Int.max) >= (CgroupSupport.read(limit).flatMap { Int($0) } ?? 0)
        for file in raising ? [swap, limit] : [limit, swap] {
          limited = CgroupSupport.write(memory, to: file) && limited
        }
      } else {
        limited = CgroupSupport.write(memory, to: limit) && limited
      }
      limited = CgroupSupport.write(String(processes), to: "\(folders[1])/pids.max") && limited
    case .v2:
      limited = CgroupSupport.write(memoryBytes.map(String.init) ?? "max", to: "\(folders[0])/memory.max") && limited
      let swap = "\(folders[0])/memory.swap.max"
      if FileManager.default.fileExists(atPath: swap) { limited = CgroupSupport.write("0", to: swap) && limited }
      limited = CgroupSupport.write(String(processes), to: "\(folders[0])/pids.max") && limited
    }
    return limited
  }

  /// Starts the peak afresh from what the group holds now (v1; v2 from Linux 6.12), for a group
  /// that holds one run after another. False when the kernel cannot.
  @discardableResult
  func resetPeak() -> Bool {
    switch support.kind {
    case .v1: CgroupSupport.write("0", to: "\(folders[0])/memory.max_usage_in_bytes")
    case .v2: CgroupSupport.write("reset", to: "\(folders[0])/memory.peak")
    }
  }

  /// The files a process writes its pid to, to enter the group in every hierarchy.
  var procsFiles: [String] { folders.map { "\($0)/cgroup.procs" } }

  /// The most memory the run's processes held at once, if the kernel says (v2 before Linux 5.19 does not).
  var peakBytes: Int? {
    let file =
      switch support.kind {
      case .v1: "\(folders[0])/memory.max_usage_in_bytes"
      case .v2: "\(folders[0])/memory.peak"
      }
    return CgroupSupport.read(file).flatMap { Int($0) }
  }

  /// True when the kernel's OOM killer ended a process of the run at its memory limit.
  var killedForMemory: Bool { oomKills > 0 }

  /// How many processes of the group the kernel's OOM killer has ended so far.
  var oomKills: Int {
    let file =
      switch support.kind {
      case .v1: "\(folders[0])/memory.oom_control"
      case .v2: "\(folders[0])/memory.events"
      }
    guard let text = CgroupSupport.read(file) else { return 0 }
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, parts[0] == "oom_kill", let count = Int(parts[1]) { return count }
    }
    return 0
  }

  /// Removes the group, killing first whatever is still in it (nothing, once bubblewrap's
  /// namespace has died with its first process).
  func remove() {
    for attempt in 0..<50 {
      var busy = false
      for folder in folders.reversed() where rmdir(folder) != 0 && errno != ENOENT {
        busy = true
        for pid in (CgroupSupport.read("\(folder)/cgroup.procs") ?? "").split(separator: "\n").compactMap({ Int32($0) })
        {
          kill(pid, SIGKILL)
        }
      }
      if !busy { return }
      usleep(attempt < 10 ? 1000 : 10_000)
    }
  }

  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
      lock.lock()
      defer { lock.unlock() }
      value += 1
      return value
    }
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
