/// The limits every sandboxed run is held to.
public struct SandboxLimits: Sendable, Hashable, Codable {
  /// Wall-clock time before the whole process tree is killed.
  public var wallSeconds: Double
  /// CPU time (RLIMIT_CPU).
  public var cpuSeconds: Double
  /// Memory. With `cgroup`, where the host allows it, resident memory and swap, held by a cgroup
  /// of the run's own (the kernel's OOM killer ends the run there); otherwise, and without
  /// `cgroup`, an address-space limit (RLIMIT_AS) of `addressSpaceFactor` times this. nil for none.
  public var memoryBytes: Int?
  /// How many times `memoryBytes` the address space may be when no cgroup holds the memory:
  /// programs reserve more address space than they touch (a thread's stack, a numerical
  /// library's arenas); nil for no address-space limit at all (a browser reserves terabytes, and
  /// the wall limit is then the backstop).
  public var addressSpaceFactor: Int?
  /// Whether the run gets a cgroup of its own for its memory and processes, where the host allows.
  public var cgroup: Bool
  /// Processes and threads: of the sandbox uid (RLIMIT_NPROC), and of the run (the cgroup's pids.max).
  public var processes: Int
  /// The largest file the code may write (RLIMIT_FSIZE).
  public var fileSizeBytes: Int
  /// Output kept from standard output and standard error together; the rest is dropped.
  public var outputBytes: Int
  /// Open file descriptors (RLIMIT_NOFILE).
  public var openFiles: Int
  /// The size of the private `/dev/shm`.
  public var sharedMemoryBytes: Int

  /// A thread's stack (RLIMIT_STACK, which is also the default size of a new thread's stack).
  public static let stackBytes = 8 << 20

  public init(
    wallSeconds: Double = 10, cpuSeconds: Double = 10, memoryBytes: Int? = 256 << 20, addressSpaceFactor: Int? = 4,
    cgroup: Bool = false, processes: Int = 64, fileSizeBytes: Int = 16 << 20, outputBytes: Int = 1 << 20,
    openFiles: Int = 256, sharedMemoryBytes: Int = 16 << 20
  ) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.memoryBytes = memoryBytes
    self.addressSpaceFactor = addressSpaceFactor
    self.cgroup = cgroup
    self.processes = processes
    self.fileSizeBytes = fileSizeBytes
    self.outputBytes = outputBytes
    self.openFiles = openFiles
    self.sharedMemoryBytes = sharedMemoryBytes
  }

  /// The address-space limit when no cgroup holds the memory.
  var addressSpaceBytes: Int? {
    guard let memoryBytes, let addressSpaceFactor else { return nil }
    return memoryBytes * addressSpaceFactor
  }

  /// The prlimit options for these limits; `inCgroup`: a cgroup holds the memory, so no address-space limit.
  func prlimitOptions(inCgroup: Bool = false) -> [String] {
    let cpu = max(1, Int(cpuSeconds.rounded(.up)))
    let addressSpace = inCgroup ? nil : addressSpaceBytes
    return ["--cpu=\(cpu):\(cpu + 1)"] + (addressSpace.map { ["--as=\($0)"] } ?? []) + [
      "--fsize=\(fileSizeBytes)", "--nofile=\(openFiles)", "--stack=\(Self.stackBytes)",
    ]
  }
}

/// A folder of the host made visible inside the sandbox.
public struct SandboxMount: Sendable, Hashable {
  public var source: String
  /// Where it appears inside, under `/box`.
  public var target: String
  public var writable: Bool
  /// When set, the sandbox shows a new, empty, writable memory file system of this many bytes at
  /// `target` instead of `source` (writing past it fails with "no space left"), so what the code
  /// writes there never reaches the host's disk. Runs without the sandbox use `source`, uncapped.
  public var capacity: Int?

  public init(source: String, target: String, writable: Bool = false, capacity: Int? = nil) {
    self.source = source
    self.target = target
    self.writable = writable || capacity != nil
    self.capacity = capacity
  }
}

/// One command to run confined.
public struct SandboxRun: Sendable {
  /// The program and its arguments, with paths as seen inside (mount targets).
  public var command: [String]
  public var mounts: [SandboxMount]
  /// The working folder, as seen inside.
  public var workingDirectory: String
  /// The whole environment of the command (nothing else is passed on).
  public var environment: [String: String]
  public var limits: SandboxLimits
  /// The uid (and gid) to run as, from `CommandSandbox.reserveUID()`; nil for the sandbox's choice.
  public var uid: UInt32?

  public init(
    command: [String], mounts: [SandboxMount], workingDirectory: String, environment: [String: String],
    limits: SandboxLimits, uid: UInt32? = nil
  ) {
    self.uid = uid
    self.command = command
    self.mounts = mounts
    self.workingDirectory = workingDirectory
    self.environment = environment
    self.limits = limits
  }
}

/// How a sandboxed run ended, and what it printed (up to the output limit).
public struct SandboxResult: Sendable {
  public enum Termination: Sendable, Hashable {
    /// The command exited by itself with this status.
    case completed(Int32)
    /// The wall-clock or CPU limit ended it; the whole process tree was killed.
    case timedOut
    /// It ran out of its memory limit.
    case memoryExceeded
    /// Its output passed the output limit; it was stopped there (the whole process tree killed).
    case outputLimit
    /// A signal ended it.
    case killed(Int32)
    /// The sandbox could not run at all: a grader failure, never the candidate's.
    case unavailable(String)
  }

  public var termination: Termination
  public var stdout: [UInt8]
  public var stderr: [UInt8]
  /// True when output past `SandboxLimits.outputBytes` was dropped.
  public var outputTruncated: Bool
  public var wallSeconds: Double
  /// How the memory limit was held: `cgroup v1`, `cgroup v2` (resident memory and swap), or
  /// `address space` (RLIMIT_AS); nil for no memory limit.
  public var memoryMechanism: String? = nil
  /// The run's peak resident memory, when a cgroup measured it.
  public var peakMemoryBytes: Int? = nil

  /// Standard output and error as text (invalid UTF-8 replaced).
  public var output: String { String(decoding: stdout, as: UTF8.self) + String(decoding: stderr, as: UTF8.self) }
}

/// Runs commands confined, so code from a submission cannot harm the host,
/// other candidates, or its own verdict.
///
/// A conforming type must enforce every limit of the run, kill the whole
/// process tree at the wall limit, pass on only the environment given, and
/// report `.unavailable` (never a candidate outcome) when it cannot confine.
public protocol CommandSandbox: Sendable {
  /// A uid for one run, so prepared folders can be handed to it before it
  /// starts (nil: the run keeps the current uid). Concurrent runs get
  /// different uids, so one run's processes never count against another's
  /// process limit (RLIMIT_NPROC counts per uid).
  func reserveUID() -> UInt32?
  /// Gives back a uid from `reserveUID` once its run has ended and its folders are gone.
  func releaseUID(_ uid: UInt32?)
  func reserveUID(prefix: String) -> UInt32?
  func runFolderBase(prefix: String, bytes: Int?) -> String?
  func distrust(runFolder: String)
  func run(_ run: SandboxRun) async -> SandboxResult
}

extension CommandSandbox {
  public func releaseUID(_ uid: UInt32?) {}

  /// A uid for a run whose folder is named `prefix-…`; by default `reserveUID()`.
  public func reserveUID(prefix: String) -> UInt32? { reserveUID() }

  /// The folder (ending in `/`) a run folder named `prefix-…` holding `bytes` of files is made in,
  /// or nil for the usual place (`SandboxFolder.base`).
  public func runFolderBase(prefix: String, bytes: Int?) -> String? { nil }

  /// Says that what ran in `runFolder` cannot be trusted (its report was forged): whatever ran it
  /// is not used again. By default nothing: every run has a sandbox of its own.
  public func distrust(runFolder: String) {}
}
