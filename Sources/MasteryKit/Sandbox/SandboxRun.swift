/// The limits every sandboxed run is held to.
public struct SandboxLimits: Sendable, Hashable, Codable {
  /// Wall-clock time before the whole process tree is killed.
  public var wallSeconds: Double
  /// CPU time (RLIMIT_CPU).
  public var cpuSeconds: Double
  /// Address space (RLIMIT_AS); nil for none, for programs that reserve far more address space than
  /// they use (a browser reserves terabytes), where the wall limit is the backstop.
  public var memoryBytes: Int?
  /// Processes and threads of the sandbox uid (RLIMIT_NPROC).
  public var processes: Int
  /// The largest file the code may write (RLIMIT_FSIZE).
  public var fileSizeBytes: Int
  /// Output kept from standard output and standard error together; the rest is dropped.
  public var outputBytes: Int
  /// Open file descriptors (RLIMIT_NOFILE).
  public var openFiles: Int
  /// The size of the private `/dev/shm`.
  public var sharedMemoryBytes: Int

  public init(
    wallSeconds: Double = 10, cpuSeconds: Double = 10, memoryBytes: Int? = 256 << 20, processes: Int = 64,
    fileSizeBytes: Int = 16 << 20, outputBytes: Int = 1 << 20, openFiles: Int = 256, sharedMemoryBytes: Int = 16 << 20
  ) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.memoryBytes = memoryBytes
    self.processes = processes
    self.fileSizeBytes = fileSizeBytes
    self.outputBytes = outputBytes
    self.openFiles = openFiles
    self.sharedMemoryBytes = sharedMemoryBytes
  }

  /// The prlimit options for these limits.
  var prlimitOptions: [String] {
    let cpu = max(1, Int(cpuSeconds.rounded(.up)))
    return ["--cpu=\(cpu):\(cpu + 1)"] + (memoryBytes.map { ["--as=\($0)"] } ?? []) + [
      "--fsize=\(fileSizeBytes)", "--nofile=\(openFiles)",
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
  func run(_ run: SandboxRun) async -> SandboxResult
}

extension CommandSandbox {
  public func releaseUID(_ uid: UInt32?) {}
}
