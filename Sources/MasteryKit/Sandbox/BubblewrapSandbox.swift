import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The sandbox: bubblewrap with every namespace unshared (no network: not
/// even loopback is reachable from outside), a read-only system, a private
/// sized `/tmp`, only the mounts asked for, a cleared environment, limits set
/// with prlimit, and, when started as root, an unprivileged uid (as root,
/// bubblewrap leaves the code host uid 0, and `--nproc` would not hold).
public struct BubblewrapSandbox: CommandSandbox {
  /// The first of the unprivileged uids (and gids) candidate code runs as when the engine is root.
  public static let firstUID: UInt32 = 64001
  /// How many uids runs rotate through.
  public static let uidCount: UInt32 = 1000

  let asRoot: Bool
  let bwrap: String
  private let leases: UIDLeases

  public init(bwrap: String = "/usr/bin/bwrap") {
    self.init(bwrap: bwrap, leaseFolder: UIDLeases.folder)
  }

  init(bwrap: String = "/usr/bin/bwrap", leaseFolder: String) {
    asRoot = getuid() == 0
    self.bwrap = bwrap
    leases = UIDLeases(first: Self.firstUID, count: Self.uidCount, folder: leaseFolder)
  }

  /// A uid no other run on this host uses, held until `releaseUID` (see `UIDLeases`).
  public func reserveUID() -> UInt32? {
    asRoot ? leases.lease() : nil
  }

  public func releaseUID(_ uid: UInt32?) {
    if let uid { leases.release(uid) }
  }

  /// Why the sandbox cannot run here, or nil when it can.
  public var unavailableReason: String? {
    if !FileManager.default.isExecutableFile(atPath: bwrap) {
      return "bubblewrap is not installed (\(bwrap)); install the Debian package bubblewrap (make deps does)"
    }
    if asRoot, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
      return "setpriv is missing (/usr/bin/setpriv, Debian package util-linux)"
    }
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") {
      return "prlimit is missing (/usr/bin/prlimit, Debian package util-linux)"
    }
    return nil
  }

  /// The environment and the system every sandbox sees: `/usr` read-only, a private `/proc`,
  /// `/dev`, `/dev/shm` and `/tmp`.
  static func systemArguments(environment: [String: String], sharedMemoryBytes: Int) -> [String] {
    var arguments: [String] = []
    for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
      arguments += ["--setenv", key, value]
    }
    return arguments + [
      "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
      "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
      // Debian's alternatives (awk, java, editor) are links through /etc/alternatives into /usr:
      // only those links, read-only, not the rest of /etc.
      "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
      "--proc", "/proc", "--dev", "/dev", "--size", String(sharedMemoryBytes), "--tmpfs", "/dev/shm",
      "--remount-ro", "/dev",
      "--size", "67108864", "--tmpfs", "/tmp",
    ]
  }

  func arguments(for run: SandboxRun, inCgroup: Bool = false) -> [String] {
    var arguments = [
      "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
      "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534", "--clearenv",
    ]
    arguments += Self.systemArguments(environment: run.environment, sharedMemoryBytes: run.limits.sharedMemoryBytes)
    for mount in run.mounts {
      if let capacity = mount.capacity {
        arguments += ["--size", String(capacity), "--tmpfs", mount.target]
      } else {
        arguments += [mount.writable ? "--bind" : "--ro-bind", mount.source, mount.target]
      }
    }
    arguments += ["--remount-ro", "/", "--chdir", run.workingDirectory, "--"]
    arguments +=
      ["/usr/bin/prlimit"] + run.limits.prlimitOptions(inCgroup: inCgroup)
      + ["--nproc=\(run.limits.processes)", "--core=0", "--"]
    return arguments + run.command
  }

  public func run(_ run: SandboxRun) async -> SandboxResult {
    if let reason = unavailableReason {
      return SandboxResult(
        termination: .unavailable(reason), stdout: [], stderr: [], outputTruncated: false, wallSeconds: 0)
    }
    // A cgroup of the run's own, where the run asks for one and the host allows it.
    let cgroup =
      run.limits.cgroup && asRoot
      ? CgroupSupport.detected.flatMap {
        RunCgroup(support: $0, memoryBytes: run.limits.memoryBytes, processes: run.limits.processes)
      } : nil
    defer { cgroup?.remove() }
    var executable = bwrap
    var arguments = arguments(for: run, inCgroup: cgroup != nil)
    // A uid taken here, for a run that brought none, is given back when the run ends.
    var leased: UInt32?
    defer { releaseUID(leased) }
    if asRoot {
      let uid = run.uid ?? reserveUID() ?? Self.firstUID
      if run.uid == nil { leased = uid }
      executable = "/usr/bin/setpriv"
      arguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--", bwrap] + arguments
    }
    if let cgroup { (executable, arguments) = Self.entering(cgroup, executable: executable, arguments: arguments) }
    // Ended at once when the OOM killer ends one of its processes (a browser would wait on).
    var stop: (@Sendable () -> Bool)?
    if let cgroup { stop = { cgroup.killedForMemory } }
    do {
      // bwrap's own pid 1 keeps this environment, readable inside: nothing but PATH.
      let outcome = try await ProcessLauncher.launch(
        executable: executable, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"],
        deadline: run.limits.wallSeconds, outputLimit: run.limits.outputBytes, killGroup: false, stop: stop)
      if let cgroup, outcome.status == 125, String(decoding: outcome.stderr, as: UTF8.self).contains(Self.cgroupRefused)
      {
        return SandboxResult(
          termination: .unavailable("the run could not enter its cgroup (\(cgroup.folders.joined(separator: ", ")))"),
          stdout: [], stderr: [], outputTruncated: false, wallSeconds: 0)
      }
      var result = Self.result(outcome, limits: run.limits, killedForMemory: cgroup?.killedForMemory ?? false)
      if let cgroup {
        result.memoryMechanism = run.limits.memoryBytes == nil ? nil : cgroup.support.name
        result.peakMemoryBytes = cgroup.peakBytes
      } else if run.limits.addressSpaceBytes != nil {
        result.memoryMechanism = "address space"
      }
      return result
    } catch {
      return SandboxResult(
        termination: .unavailable("bubblewrap could not start: \(error)"), stdout: [], stderr: [],
        outputTruncated: false,
        wallSeconds: 0)
    }
  }

  /// True when the last lines of standard error report a failed allocation.
  ///
  /// Python's MemoryError, C's ENOMEM, C++'s bad_alloc. Standard output is
  /// not read: pytest reports a test's MemoryError there, and that test alone failed.
  static func ranOutOfMemory(_ stderr: [UInt8]) -> Bool {
    let tail = String(decoding: stderr.suffix(2048), as: UTF8.self)
    let last = tail.split(separator: "\n").suffix(3).joined(separator: "\n")
    return last.contains("MemoryError") || last.contains("Cannot allocate memory") || last.contains("std::bad_alloc")
  }

  /// The command that runs `executable` in `cgroup`: its first process (root, before setpriv)
  /// enters the group, so that everything it starts is in it from the start, and says so when the
  /// kernel refuses (`cgroupRefused`, exit status 125). The shell's own PWD is unset: bwrap's pid
  /// 1 keeps the environment it starts with, readable inside.
  static func entering(_ cgroup: RunCgroup, executable: String, arguments: [String]) -> (String, [String]) {
    let enter = cgroup.procsFiles.map { "echo $$ > \($0)" }.joined(separator: " && ")
    return (
      "/bin/sh",
      [
        "-c",
        "\(enter) || { echo \(Self.cgroupRefused) >&2; exit 125; }; unset PWD OLDPWD; exec \"$0\" \"$@\"",
        executable,
      ] + arguments
    )
  }

  /// What the wrapper that enters a run's cgroup prints when the kernel refuses.
  static let cgroupRefused = "MASTERY-CGROUP-REFUSED"

  /// Reads how it ended.
  ///
  /// bwrap exits 128 + N when its child died of signal N. SIGXCPU (the CPU soft limit), and
  /// SIGKILL once the CPU limit is used up (the hard limit), count as a timeout. A process the
  /// cgroup's OOM killer ended (`killedForMemory`) makes the run `memoryExceeded`, whatever the
  /// rest of the run did after.
  static func result(_ outcome: ProcessLauncher.Outcome, limits: SandboxLimits, killedForMemory: Bool = false)
    -> SandboxResult
  {
    let termination: SandboxResult.Termination
    let cpuSpent = outcome.seconds >= limits.cpuSeconds * 0.9
    if killedForMemory, !outcome.truncated {
      termination = .memoryExceeded
    } else if outcome.timedOut {
      termination = .timedOut
    } else if outcome.truncated {
      termination = .outputLimit
    } else if outcome.signalled {
      termination = outcome.status == SIGKILL && cpuSpent ? .timedOut : .killed(outcome.status)
    } else if outcome.status == 128 + SIGXCPU || (outcome.status == 128 + SIGKILL && cpuSpent) {
      termination = .timedOut
    } else if outcome.status > 128, outcome.status < 160 {
      termination = .killed(outcome.status - 128)
    } else if outcome.status == 1,
      String(decoding: outcome.stderr.suffix(4096), as: UTF8.self).hasSuffix(
        "bwrap: No permissions to creating new namespace\n")
    {
      termination = .unavailable("bubblewrap cannot create namespaces here")
    } else if outcome.status != 0, Self.ranOutOfMemory(outcome.stderr) {
      // The address-space limit shows as an allocation failure the program reports and dies of.
      termination = .memoryExceeded
    } else {
      termination = .completed(outcome.status)
    }
    return SandboxResult(
      termination: termination, stdout: outcome.stdout, stderr: outcome.stderr, outputTruncated: outcome.truncated,
      wallSeconds: outcome.seconds)
  }
}

/// Runs commands with no confinement at all, for `--no-sandbox` only: limits
/// (prlimit), a cleared environment and the kill of the whole process group
/// still apply, but the code sees and can change the host as the engine's user.
public struct UnconfinedRunner: CommandSandbox {
  public init() {}

  public func reserveUID() -> UInt32? { nil }

  public func run(_ run: SandboxRun) async -> SandboxResult {
    // Inside paths (mount targets) become the host folders they stand for.
    func host(_ text: String) -> String {
      var text = text
      for mount in run.mounts.sorted(by: { $0.target.count > $1.target.count }) {
        text = text.replacingOccurrences(of: mount.target, with: mount.source)
      }
      return text
    }
    let limits = run.limits
    // coreutils timeout leads its own process group and kills the whole group at the limit.
    let arguments =
      ["--signal=KILL", String(limits.wallSeconds), "/usr/bin/prlimit"] + limits.prlimitOptions() + [
        "--core=0", "--", "/usr/bin/env", "-C", host(run.workingDirectory),
      ] + run.command.map(host)
    do {
      let outcome = try await ProcessLauncher.launch(
        executable: "/usr/bin/timeout", arguments: arguments, environment: run.environment.mapValues(host),
        deadline: limits.wallSeconds + 1, outputLimit: limits.outputBytes, killGroup: true)
      var result = BubblewrapSandbox.result(outcome, limits: limits)
      if case .killed(SIGKILL) = result.termination, outcome.seconds >= limits.wallSeconds {
        result.termination = .timedOut
      }
      return result
    } catch {
      return SandboxResult(
        termination: .unavailable("could not start the command: \(error)"), stdout: [], stderr: [],
        outputTruncated: false, wallSeconds: 0)
    }
  }
}
