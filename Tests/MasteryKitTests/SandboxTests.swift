import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("The sandbox")
struct SandboxTests {
  @Test func missingBubblewrapIsAGraderErrorNeverTheCandidates() async throws {
    let catalog = try await RubricCatalog(folder: TestPaths.fixture("hostile-python/rubrics"), rubric: nil)
    let sandbox = BubblewrapSandbox(bwrap: "/nonexistent/bwrap")
    let session = try GradingSession(
      catalog: catalog, grader: Grader(context: EvaluationContext(sandbox: sandbox), jobs: 1))
    let report = await session.grade(TestPaths.fixture("hostile-python/passes/plain"))
    guard case .decided(let decision) = report else {
      Issue.record("expected a decision, got \(report)")
      return
    }
    #expect(decision.outcome == .error)
    #expect(report.exitStatus == 4)
    #expect(decision.criteria.first?.status == .error)
    #expect(decision.criteria.first?.message?.contains("bubblewrap is not installed") == true)
    #expect(decision.criteria.first?.level == nil)
  }

  @Test func wallLimitKillsTheWholeTree() async throws {
    let sandbox = BubblewrapSandbox()
    let run = SandboxRun(
      command: ["/bin/sh", "-c", "(setsid sleep 300 &) ; sleep 300"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits(wallSeconds: 1))
    let result = await sandbox.run(run)
    #expect(result.termination == .timedOut)
    // Measured by the sandbox itself: the test process may be slow to resume while other tests run.
    #expect(result.wallSeconds < 5)
    // The kernel ends the rest of the sandbox's PID namespace after its outer process: on a
    // machine busy with other tests that can take a moment, so "left running" means still there
    // after five seconds.
    var ps = try CommandRunner.run("/usr/bin/pgrep", ["-f", "sleep 300"])
    let deadline = Date().addingTimeInterval(5)
    while !ps.stdout.isEmpty, Date() < deadline {
      try await Task.sleep(for: .milliseconds(100))
      ps = try CommandRunner.run("/usr/bin/pgrep", ["-f", "sleep 300"])
    }
    #expect(ps.stdout.isEmpty, "left running: \(ps.stdout)")
  }

  @Test func outputBeyondTheLimitStopsTheRun() async throws {
    // Endless output: the run must end at the limit, not at the time limit, however fast it is read.
    let run = SandboxRun(
      command: ["/bin/sh", "-c", "yes mastery; echo never >&2"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits(wallSeconds: 30, outputBytes: 4096))
    let result = await BubblewrapSandbox().run(run)
    #expect(result.termination == .outputLimit)
    #expect(result.stdout.count + result.stderr.count == 4096)
    #expect(result.outputTruncated)
    #expect(result.wallSeconds < 10)
    #expect(!String(decoding: result.stderr, as: UTF8.self).contains("never"))
  }

  @Test func aRunInheritsNoDescriptorOfTheEngine() async throws {
    // A descriptor the engine (or a library, or the test runner) holds open without close-on-exec,
    // on a host file the run must not reach: bubblewrap passes on every descriptor it is given.
    let folder = try TestPaths.temporaryFolder()
    let secret = open(folder + "/ledger", O_CREAT | O_RDWR, 0o600)
    #expect(secret >= 0)
    defer { close(secret) }
    let run = SandboxRun(
      command: ["/bin/sh", "-c", "ls /proc/self/fd"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits())
    let result = await BubblewrapSandbox().run(run)
    #expect(result.termination == .completed(0), "\(result.output)")
    // 0, 1, 2 and the descriptor ls reads the folder with.
    let descriptors = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
    #expect(!descriptors.contains(secret), "\(descriptors)")
    #expect(descriptors.count == 4, "\(descriptors)")
  }

  @Test func environmentIsOnlyWhatIsGiven() async throws {
    let run = SandboxRun(
      command: ["/usr/bin/env"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin", "ONLY": "this"],
      limits: SandboxLimits())
    let result = await BubblewrapSandbox().run(run)
    let names = Set(
      String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").compactMap {
        $0.split(separator: "=").first.map(String.init)
      })
    #expect(names.isSubset(of: ["PATH", "ONLY", "PWD"]), "\(names)")
    #expect(names.contains("ONLY"))
  }
}

@Suite("Sandbox outcomes")
struct SandboxOutcomeTests {
  @Test func runningOutOfTheMemoryLimitIsMemoryExceeded() async throws {
    let run = SandboxRun(
      command: ["/usr/bin/python3", "-I", "-c", "block = bytearray(2 * 1024 ** 3)"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits(memoryBytes: 256 << 20))
    let result = await BubblewrapSandbox().run(run)
    #expect(result.termination == .memoryExceeded, "\(result.termination) \(result.output)")
  }

  /// Ten threads meeting at a barrier, and numpy: both reserve far more address space than they
  /// use (a thread's stack is 8 MiB of it), and both must run under the default limits, with a
  /// cgroup and without one (the address-space backstop is four times the memory limit).
  @Test(arguments: [true, false])
  func threadsAndNumpyRunUnderTheDefaultLimits(cgroup: Bool) async throws {
    let script = """
      import threading
      barrier = threading.Barrier(10)
      threads = [threading.Thread(target=barrier.wait, kwargs={"timeout": 5}) for _ in range(10)]
      for thread in threads: thread.start()
      for thread in threads: thread.join()
      try:
          import numpy
          print("numpy", numpy.arange(10 ** 6, dtype=numpy.float64).sum())
      except ImportError:
          print("no numpy")
      print("threads ok")
      """
    let run = SandboxRun(
      command: ["/usr/bin/python3", "-I", "-c", script], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits(cgroup: cgroup))
    let result = await BubblewrapSandbox().run(run)
    #expect(result.termination == .completed(0), "\(result.termination) \(result.output)")
    #expect(result.output.contains("threads ok"), "\(result.output)")
    // make test installs python3-numpy; without it this part says so rather than passing silently.
    #expect(result.output.contains("numpy 499999500000.0"), "\(result.output)")
  }

  @Test(
    .enabled(
      if: CgroupSupport.detected != nil,
      "this machine gives runs no cgroup (not root, or no writable memory and pids controllers)"))
  func aCgroupHoldsResidentMemoryAndSaysThePeak() async throws {
    // Small pieces, touched: each is resident, none is a large reservation an address-space limit would catch.
    let script = "pieces = []\nwhile True:\n    pieces.append(bytearray(1 << 20))"
    let run = SandboxRun(
      command: ["/usr/bin/python3", "-I", "-c", script], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"],
      limits: SandboxLimits(wallSeconds: 30, memoryBytes: 96 << 20, cgroup: true))
    let result = await BubblewrapSandbox().run(run)
    #expect(result.termination == .memoryExceeded, "\(result.termination) \(result.output)")
    #expect(result.wallSeconds < 20, "ended by the memory limit, not the wall limit")
    #expect(result.memoryMechanism == CgroupSupport.detected?.name)
    let peak = try #require(result.peakMemoryBytes)
    #expect(peak > 80 << 20 && peak <= 96 << 20, "peak \(peak >> 20) MiB")
  }

  @Test(
    .enabled(
      if: CgroupSupport.detected != nil,
      "this machine gives runs no cgroup (not root, or no writable memory and pids controllers)"))
  func aRunsCgroupIsRemovedWithWhatIsLeftInIt() throws {
    let support = try #require(CgroupSupport.detected)
    let cgroup = try #require(RunCgroup(support: support, memoryBytes: 64 << 20, processes: 8))
    for folder in cgroup.folders { #expect(FileManager.default.fileExists(atPath: folder)) }
    // The limits, as the kernel holds them.
    #expect(CgroupSupport.read(cgroup.folders.last! + "/pids.max") == "8")
    let memoryFile = support.name == "cgroup v1" ? "/memory.limit_in_bytes" : "/memory.max"
    #expect(CgroupSupport.read(cgroup.folders[0] + memoryFile) == String(64 << 20))
    // A process left in the group (as one escaped from a run would be) is killed, and the group removed.
    let sleeper = Process()
    sleeper.executableURL = URL(fileURLWithPath: "/bin/sh")
    sleeper.arguments = [
      "-c", cgroup.procsFiles.map { "echo $$ > \($0)" }.joined(separator: " && ") + " && exec sleep 60",
    ]
    try sleeper.run()
    let deadline = Date().addingTimeInterval(5)
    while (CgroupSupport.read(cgroup.procsFiles[0]) ?? "").isEmpty, Date() < deadline { usleep(10_000) }
    cgroup.remove()
    sleeper.waitUntilExit()
    #expect(sleeper.terminationReason == .uncaughtSignal)
    for folder in cgroup.folders { #expect(!FileManager.default.fileExists(atPath: folder)) }
  }

  @Test(
    .enabled(
      if: CgroupSupport.detected != nil,
      "this machine gives runs no cgroup (not root, or no writable memory and pids controllers)"))
  func aCgroupHoldsTheRunsProcesses() async throws {
    // 40 sleepers against a limit of 16 processes: the rest cannot start. (RLIMIT_NPROC holds the
    // same number for the run's uid; that the cgroup's pids.max is set is checked below, in
    // aRunsCgroupIsRemovedWithWhatIsLeftInIt.)
    let script = "for i in $(seq 40); do sleep 2 & done; echo started; wait"
    let run = SandboxRun(
      command: ["/bin/sh", "-c", script], mounts: [], workingDirectory: "/", environment: ["PATH": "/usr/bin:/bin"],
      limits: SandboxLimits(wallSeconds: 20, cgroup: true, processes: 16))
    let result = await BubblewrapSandbox().run(run)
    #expect(
      result.output.contains("Cannot fork") || result.output.contains("Resource temporarily unavailable"),
      "\(result.termination) \(result.output)")
    #expect(!result.output.contains("started"), "the shell could not start its 17th process")
    #expect(result.wallSeconds < 10)
  }

  @Test func aFailingProgramIsCompletedWithItsStatus() async throws {
    let run = SandboxRun(
      command: ["/bin/sh", "-c", "echo MemoryError is only a word here; exit 3"], mounts: [], workingDirectory: "/",
      environment: ["PATH": "/usr/bin:/bin"], limits: SandboxLimits())
    #expect(await BubblewrapSandbox().run(run).termination == .completed(3))
  }
}

@Suite("Run folders")
struct RunFolderTests {
  @Test func aRunFolderIsClosedToOtherUsers() throws {
    let confined = try SandboxFolder.makeRunFolder(prefix: "mastery-python", group: 64_123)
    defer { try? FileManager.default.removeItem(atPath: confined) }
    var info = stat()
    #expect(lstat(confined, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o710, "the sandbox's group may enter, nobody may list, others nothing")
    #expect(info.st_gid == 64_123)
    #expect((confined as NSString).lastPathComponent.hasPrefix("mastery-python-\(getpid())-"))
    let unconfined = try SandboxFolder.makeRunFolder(prefix: "mastery-web", group: nil)
    defer { try? FileManager.default.removeItem(atPath: unconfined) }
    #expect(lstat(unconfined, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o700)
  }

  @Test func removingARunFolderNeverFollowsALinkAndTakesDeepTrees() throws {
    let base = try TestPaths.temporaryFolder()
    let outside = base + "/outside"
    try FileManager.default.createDirectory(atPath: outside + "/keep", withIntermediateDirectories: true)
    try "precious".write(toFile: outside + "/file.txt", atomically: true, encoding: .utf8)
    let run = base + "/run"
    // Links a run might leave: to a folder and a file outside, and a dangling one.
    try FileManager.default.createDirectory(atPath: run + "/work/sub", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: run + "/work/to-folder", withDestinationPath: outside)
    try FileManager.default.createSymbolicLink(
      atPath: run + "/work/sub/to-file", withDestinationPath: outside + "/file.txt")
    try FileManager.default.createSymbolicLink(atPath: run + "/work/dangling", withDestinationPath: base + "/none")
    // Deeper than the descriptor walk goes (64): the rest is removed after.
    var deep = run + "/deep"
    for level in 0..<100 { deep += "/d\(level)" }
    try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
    try "x".write(toFile: deep + "/leaf.txt", atomically: true, encoding: .utf8)
    SandboxFolder.removeTree(run)
    #expect(!FileManager.default.fileExists(atPath: run))
    #expect(try String(contentsOfFile: outside + "/file.txt", encoding: .utf8) == "precious")
    #expect(FileManager.default.fileExists(atPath: outside + "/keep"))
    // A link given as the run folder itself is removed, not followed.
    try FileManager.default.createSymbolicLink(atPath: base + "/link-run", withDestinationPath: outside)
    SandboxFolder.removeTree(base + "/link-run")
    #expect(FileManager.default.fileExists(atPath: outside + "/file.txt"))
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: base + "/link-run")) == nil)
  }

  @Test func smallRunsAreMadeInMemoryWhenThereIsAMemoryFileSystem() throws {
    let small = try SandboxFolder.makeRunFolder(prefix: "mastery-plugin", group: nil, bytes: 1024)
    defer { SandboxFolder.removeTree(small) }
    let large = try SandboxFolder.makeRunFolder(prefix: "mastery-plugin", group: nil, bytes: 64 << 20)
    defer { SandboxFolder.removeTree(large) }
    #expect(large.hasPrefix(NSTemporaryDirectory()))
    if let memory = SandboxFolder.memoryBase {
      #expect(small.hasPrefix(memory) && SandboxFolder.runBases.contains(memory))
    } else {
      #expect(small.hasPrefix(NSTemporaryDirectory()))
    }
  }

  @Test func foldersOfRunsWhoseProcessIsGoneAreRemoved() throws {
    let base = try TestPaths.temporaryFolder()
    // A process that has exited: its PID names no process now.
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    let dead = "\(base)/mastery-python-\(gone.processIdentifier)-AbC123"
    let alive = "\(base)/mastery-web-\(getppid())-XyZ789"
    let mine = "\(base)/mastery-python-\(getpid())-Mine00"
    let other = "\(base)/unrelated-\(gone.processIdentifier)-AbC123"
    for folder in [dead, alive, mine, other] {
      try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
    }
    let removed = SandboxFolder.removeStaleRuns(in: base)
    #expect(removed == [dead])
    #expect(!FileManager.default.fileExists(atPath: dead))
    for kept in [alive, mine, other] { #expect(FileManager.default.fileExists(atPath: kept)) }
  }
}

@Suite("Sandbox uids across processes")
struct UIDLeaseTests {
  @Test(.enabled(if: getuid() == 0, "sandbox uids are used only when the engine runs as root"))
  func twoSandboxesNeverHandOutTheSameUidAtOnce() throws {
    let folder = try TestPaths.temporaryFolder()
    // Two sandboxes stand for two processes: each starts counting afresh, as a new process does.
    let first = BubblewrapSandbox(leaseFolder: folder)
    let second = BubblewrapSandbox(leaseFolder: folder)
    let a = try #require(first.reserveUID())
    let b = try #require(second.reserveUID())
    #expect(a != b, "a uid leased by one is not handed out by the other")
    first.releaseUID(a)
    let c = try #require(second.reserveUID())
    #expect(c != b)
    second.releaseUID(b)
    second.releaseUID(c)
  }
}
