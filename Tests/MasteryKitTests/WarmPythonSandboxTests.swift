import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

/// The warm Python runner: runs forked from one server must be as separate as runs in sandboxes of
/// their own. (The hostile submissions are graded with both runners in HostileSubmissionTests.)
@Suite("Warm Python servers", .serialized)
struct WarmPythonSandboxTests {
  static let python = "/usr/bin/python3"
  static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"]

  /// A Python run of `script` as the python-tests evaluator makes one: a run folder the sandbox
  /// chose, handed over to the run's uid.
  static func run(_ script: String, in sandbox: any CommandSandbox, wall: Double = 20) async throws -> (
    SandboxResult, String
  ) {
    let (root, uid) = try SandboxFolder.makeRun(prefix: "mastery-python", sandbox: sandbox, folders: ["code", "out"])
    defer {
      SandboxFolder.removeTree(root)
      sandbox.releaseUID(uid)
    }
    try script.write(toFile: root + "/code/run.py", atomically: false, encoding: .utf8)
    SandboxFolder.handOver(root + "/code")
    SandboxFolder.handOver(root + "/out", to: uid)
    let result = await sandbox.run(
      SandboxRun(
        command: [python, "-I", "/box/code/run.py"],
        mounts: [
          SandboxMount(source: root + "/code", target: "/box/code"),
          SandboxMount(source: root + "/out", target: "/box/out", writable: true),
          SandboxMount(source: root + "/sub", target: "/box/sub", capacity: 1 << 20),
        ],
        workingDirectory: "/box/sub", environment: environment,
        limits: SandboxLimits(wallSeconds: wall, cpuSeconds: wall, cgroup: true), uid: uid))
    return (result, root)
  }

  static var available: Bool { BubblewrapSandbox().unavailableReason == nil }

  @Test(.enabled(if: available, "bubblewrap is not installed"))
  func aRunLeavesNothingTheNextRunSees() async throws {
    let sandbox = WarmPythonSandbox()
    // The first run leaves files in every place it may write, a process that outlives it, and
    // changes to the interpreter's state.
    let (first, _) = try await Self.run(
      """
      import os, sys, json
      for path in ("/tmp/left", "/dev/shm/left", "/box/sub/left"):
          open(path, "w").write("left")
      os.environ["LEFT"] = "yes"
      json.LEFT = "yes"
      sys.path.append("/box/left")
      if os.fork() == 0:
          os.setsid()
          if os.fork() == 0:
              os.execv("/bin/sleep", ["sleep", "37.25"])
          os._exit(0)
      print("pytest" in sys.modules)
      """, in: sandbox)
    #expect(first.termination == .completed(0), "\(first.output)")
    #expect(String(decoding: first.stdout, as: UTF8.self) == "True\n", "the run was not warm: \(first.output)")
    let (second, _) = try await Self.run(
      """
      import os, sys, json
      print([path for path in ("/tmp/left", "/dev/shm/left", "/box/sub/left") if os.path.exists(path)])
      print(os.environ.get("LEFT"), getattr(json, "LEFT", None), "/box/left" in sys.path)
      print(sorted(int(name) for name in os.listdir("/proc") if name.isdigit()))
      """, in: sandbox)
    #expect(second.termination == .completed(0), "\(second.output)")
    #expect(String(decoding: second.stdout, as: UTF8.self) == "[]\nNone None False\n[1, 2]\n", "\(second.output)")
    #expect(sandbox.serversStarted == 1, "both runs went to one server")
    // The first run's lingering process was ended with its run.
    let left = try CommandRunner.run("/usr/bin/pgrep", ["-f", "sleep 37.25"])
    #expect(left.stdout.isEmpty, "left running: \(left.stdout)")
  }

  @Test(.enabled(if: available, "bubblewrap is not installed"))
  func aWarmRunStartsAsAFreshInterpreterWould() async throws {
    // What a script can see of the interpreter it runs in, but the modules already imported.
    let script = """
      import json, os, resource, signal, sys, warnings
      print(json.dumps({
          "argv": sys.argv, "path": sys.path, "name": __name__, "file": __file__, "cwd": os.getcwd(),
          "meta_path": [type(finder).__name__ for finder in sys.meta_path], "path_hooks": len(sys.path_hooks),
          "warnings": [repr(entry) for entry in warnings.filters], "environ": dict(os.environ),
          "flags": list(sys.flags), "streams": [(s.encoding, s.errors, s.line_buffering) for s in (sys.stdout, sys.stderr)],
          "ids": [os.getuid(), os.getgid(), os.getpid(), os.getsid(0) == os.getpid()],
          "limits": [resource.getrlimit(which) for which in (resource.RLIMIT_CPU, resource.RLIMIT_FSIZE,
                     resource.RLIMIT_NOFILE, resource.RLIMIT_STACK, resource.RLIMIT_CORE)],
          "signals": [str(signal.getsignal(number)) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)],
          "umask": os.umask(0o22), "tmp": sorted(os.listdir("/tmp")), "fds": sorted(os.listdir("/proc/self/fd")),
      }, sort_keys=True))
      """
    let sandbox = WarmPythonSandbox()
    let (warm, _) = try await Self.run(script, in: sandbox)
    let (fresh, _) = try await Self.run(script, in: BubblewrapSandbox())
    #expect(warm.termination == .completed(0), "\(warm.output)")
    #expect(fresh.termination == .completed(0), "\(fresh.output)")
    #expect(sandbox.serversStarted == 1)
    #expect(String(decoding: warm.stdout, as: UTF8.self) == String(decoding: fresh.stdout, as: UTF8.self))
  }

  @Test(.enabled(if: available, "bubblewrap is not installed"))
  func aRunCannotReachTheServerItsFolderOrOtherRuns() async throws {
    let sandbox = WarmPythonSandbox()
    // One run waits while another, at the same time, tries everything it can against it and the server.
    async let waiting = Self.run("import time\ntime.sleep(3)\nprint('alive')\n", in: sandbox)
    try await Task.sleep(for: .milliseconds(500))
    let (attacker, _) = try await Self.run(
      """
      import ctypes, os, signal
      libc = ctypes.CDLL(None, use_errno=True)
      found = []
      try:
          os.kill(-1, signal.SIGKILL)  # every process it may signal: none but its own namespace's
      except ProcessLookupError:
          pass
      if libc.ptrace(16, 1, None, None) == 0:  # PTRACE_ATTACH to its namespace's first process
          found.append("traced pid 1")
      for path in ("/proc/1/environ", "/proc/1/mem", "/runs", "/cg", "/warm/server.py"):
          try:
              if os.path.isdir(path):
                  found.append(path + ": " + ",".join(os.listdir(path)))
              else:
                  open(path, "rb").read(1)
                  found.append(path)
          except OSError:
              pass
      if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0:
          found.append("mounted")
      if libc.umount2(b"/box/code", 2) == 0:
          found.append("unmounted")
      status = open("/proc/self/status").read()
      found += [line for line in status.splitlines() if line.startswith("Cap") and int(line.split()[1], 16)]
      print(found)
      """, in: sandbox)
    #expect(attacker.termination == .completed(0), "\(attacker.output)")
    #expect(String(decoding: attacker.stdout, as: UTF8.self) == "[]\n", "\(attacker.output)")
    let (victim, _) = try await waiting
    #expect(victim.termination == .completed(0), "\(victim.output)")
    #expect(String(decoding: victim.stdout, as: UTF8.self) == "alive\n")
  }

  @Test(
    .enabled(if: available, "bubblewrap is not installed"),
    .enabled(if: CgroupSupport.detected != nil, "this machine gives runs no cgroup"))
  func eachRunsMemoryIsMeasuredAndLimitedAfresh() async throws {
    let sandbox = WarmPythonSandbox()
    let (big, _) = try await Self.run("block = bytearray(150 << 20)\nprint(len(block))", in: sandbox)
    #expect(big.termination == .completed(0), "\(big.output)")
    #expect(big.memoryMechanism == CgroupSupport.detected?.name)
    #expect((big.peakMemoryBytes ?? 0) >= 150 << 20, "\(String(describing: big.peakMemoryBytes))")
    // The next run of the same server starts from what the server holds, not the last run's peak.
    let (small, _) = try await Self.run("print(1)", in: sandbox)
    #expect(small.termination == .completed(0), "\(small.output)")
    #expect((small.peakMemoryBytes ?? .max) < 100 << 20, "\(String(describing: small.peakMemoryBytes))")
    #expect(sandbox.serversStarted == 1)
    // Past the limit (256 MiB by default) the kernel ends the run: memory-exceeded, not a crash.
    let (over, _) = try await Self.run("blocks = [bytearray(16 << 20) for _ in range(40)]", in: sandbox)
    #expect(over.termination == .memoryExceeded, "\(over.termination) \(over.output)")
    let (after, _) = try await Self.run("print(2)", in: sandbox)
    #expect(after.termination == .completed(0), "\(after.output)")
    #expect(sandbox.serversStarted == 2, "a run stopped at its memory limit retires its server")
  }

  @Test(.enabled(if: available, "bubblewrap is not installed"))
  func aDistrustedOrStoppedRunRetiresItsServer() async throws {
    let sandbox = WarmPythonSandbox()
    let (_, folder) = try await Self.run("print('one')", in: sandbox)
    #expect(sandbox.serversStarted == 1)
    sandbox.distrust(runFolder: folder)
    _ = try await Self.run("print('two')", in: sandbox)
    #expect(sandbox.serversStarted == 2, "a run found untrustworthy retires its server")
    let (slow, _) = try await Self.run("while True: pass", in: sandbox, wall: 1)
    #expect(slow.termination == .timedOut)
    let (after, _) = try await Self.run("print('three')", in: sandbox)
    #expect(after.termination == .completed(0))
    #expect(sandbox.serversStarted == 3, "a run stopped at a limit retires its server")
  }

  @Test(.enabled(if: available, "bubblewrap is not installed"))
  func whereNoServerCanStartRunsAreFreshAndTheReasonIsSaidOnce() async throws {
    // A bubblewrap that refuses to keep capabilities, as one without user namespaces would.
    let folder = try TestPaths.temporaryFolder()
    let fake = folder + "/bwrap"
    try """
    #!/bin/sh
    case "$*" in *CAP_SYS_ADMIN*) echo "bwrap: cannot keep capabilities here" >&2; exit 1;; esac
    exec /usr/bin/bwrap "$@"
    """.write(toFile: fake, atomically: false, encoding: .utf8)
    chmod(fake, 0o755)
    chmod(folder, 0o755)
    let notices = Notices()
    let sandbox = WarmPythonSandbox(fresh: BubblewrapSandbox(bwrap: fake), notice: { notices.add($0) })
    for _ in 0..<2 {
      let (result, _) = try await Self.run("import sys\nprint('pytest' in sys.modules)", in: sandbox)
      #expect(result.termination == .completed(0), "\(result.output)")
      #expect(String(decoding: result.stdout, as: UTF8.self) == "False\n", "a fresh interpreter ran it")
    }
    #expect(notices.all.count == 1)
    #expect(notices.all.first?.contains("cannot keep capabilities here") == true, "\(notices.all)")
  }

  final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var said: [String] = []
    func add(_ text: String) { lock.withLock { said.append(text) } }
    var all: [String] { lock.withLock { said } }
  }
}
