import Foundation
import LibXML
import MasteryKit
import MasteryTestSupport
import Testing

/// Hostile Python submissions in Tests/Fixtures/hostile-python, one folder per
/// expected outcome, graded in one run inside the sandbox: each must get its
/// outcome and leave the host and the other submissions untouched.
@Suite("Hostile Python submissions", .serialized)
struct HostileSubmissionTests {
  static let root = TestPaths.fixture("hostile-python")

  /// Every fixture submission's state, to prove none was changed by another.
  static func fingerprint(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let relative = enumerator?.nextObject() as? String {
      let path = folder + "/" + relative
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
        files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return files
  }

  /// Sandboxed processes still running from runs whose folders are under `temporary`.
  static func leftoverSandboxProcesses(under temporary: String) throws -> [String] {
    let result = try CommandRunner.run("/usr/bin/ps", ["-eo", "uid=,pid=,args="])
    return result.stdout.split(separator: "\n").map(String.init).filter { line in
      guard let uid = Int(line.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else {
        return false
      }
      // A zombie runs nothing; init reaps it. Other tests' runs use other folders.
      return uid >= 64001 && uid < 65001 && !line.hasSuffix("<defunct>") && line.contains(temporary)
    }
  }

  /// With both Python runners: a warm server's forked runs must reach the verdicts of runs in
  /// sandboxes of their own.
  @Test(arguments: ["fresh", "warm"])
  func everyHostileSubmissionGetsItsOutcome(runner: String) throws {
    let extra = try TestPaths.temporaryFolder()
    // A submission whose code is a symbolic link to a host file: refused as invalid input.
    try FileManager.default.copyItem(atPath: Self.root + "/passes/plain", toPath: extra + "/symlink")
    try FileManager.default.removeItem(atPath: extra + "/symlink/code/solution.py")
    try FileManager.default.createSymbolicLink(
      atPath: extra + "/symlink/code/solution.py", withDestinationPath: "/etc/passwd")
    // A submission of 10,000 files that still passes.
    try FileManager.default.copyItem(atPath: Self.root + "/passes/plain", toPath: extra + "/many-files")
    for index in 0..<10_000 {
      FileManager.default.createFile(
        atPath: extra + "/many-files/code/data_\(index).txt", contents: Data("\(index)\n".utf8))
    }
    let before = try Self.fingerprint(Self.root)
    // This run's own temporary folder, so what is left behind is this run's alone.
    let temporary = try TestPaths.temporaryFolder()
    let outcomes = [
      "passes", "timeout", "memory", "output-limit", "working-copy", "runs-and-fails", "tampering", "known-limits",
    ]
    let result = try CommandRunner.mastery(
      ["grade", "--format", "json", "--python-runner", runner, "--rubrics", Self.root + "/rubrics"]
        + outcomes.map { Self.root + "/" + $0 } + [extra + "/symlink", extra + "/many-files"],
      environment: ["TMPDIR": temporary])
    #expect(result.status == 3, "the symlink submission is invalid input, the most severe outcome here")
    // Warm servers ran (where they cannot start, the reason is printed and runs are fresh).
    #expect(!result.stderr.contains("warm Python runner is not used"), "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let results = try #require(object["results"] as? [[String: Any]])
    func report(_ path: String) throws -> [String: Any] {
      try #require(
        results.first {
          (($0["submission"] as? [String: Any])?["path"] as? String) == path || ($0["path"] as? String) == path
        })
    }
    func criterion(_ report: [String: Any]) -> [String: Any] {
      ((report["criteria"] as? [[String: Any]])?.first) ?? [:]
    }
    func text(_ report: [String: Any]) -> String {
      let result = criterion(report)
      return ([result["summary"] as? String ?? ""] + (result["feedback"] as? [String] ?? [])).joined(separator: "\n")
    }
    for outcome in outcomes {
      let folder = Self.root + "/" + outcome
      for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
        let entry = try report(folder + "/" + name)
        let said = text(entry)
        let label = "\(outcome)/\(name): \(said)"
        // The run's outcome as data, for CI: never read from the summary line.
        let run = (criterion(entry)["tests"] as? [String: Any])?["outcome"] as? String
        let runOutcomes = [
          "passes": "completed", "timeout": "timeout", "output-limit": "output-limit",
          "working-copy": "working-copy-limit", "runs-and-fails": "completed", "known-limits": "completed",
        ]
        if let expected = runOutcomes[outcome], name != "file-size-flood" {
          #expect(run == expected, "\(label)")
        }
        if ["selective-runtest", "replace-runtest", "forged-report"].contains(name) {
          #expect(run == "tampering", "\(label)")
        }
        switch outcome {
        case "passes":
          #expect(entry["outcome"] as? String == "earned", "\(label)")
        case "known-limits":
          // docs/security.md names these attacks as ones the engine cannot stop: they earn.
          #expect(entry["outcome"] as? String == "earned", "\(label)")
        case "timeout":
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          #expect(said.contains("stopped at the time limit"), "\(label)")
        case "memory":
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          // A test's MemoryError (an address-space limit), or the whole run ended by its cgroup.
          #expect(
            said.contains("ran out of memory (256 MiB)")
              || said.contains("Your code used more than 256 MiB in test_add (resident memory"), "\(label)")
        case "output-limit":
          // Past the output limit the run stops: never earned, whatever the host's speed.
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          #expect(said.contains("stopped at the output limit"), "\(label)")
          #expect(said.contains("printed more than 64 KiB"), "\(label)")
        case "working-copy":
          // 1 GiB in small files: the working copy is a 64 MiB memory file system, never the host's disk.
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          #expect(said.contains("stopped at the working-copy limit"), "\(label)")
        case "runs-and-fails":
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          #expect(!said.contains("cannot be trusted"), "\(label)")
        default:
          #expect(entry["outcome"] as? String == "not-yet", "\(label)")
          #expect(
            said.contains("cannot be trusted") || said.contains("Not used in the run")
              || said.contains("could not import your code"), "\(label)")
          #expect(!said.contains("2 of 2 tests passed"), "\(label)")
        }
      }
    }
    let symlink = try report(extra + "/symlink")
    #expect(symlink["outcome"] as? String == "invalid")
    #expect(try report(extra + "/many-files")["outcome"] as? String == "earned")
    // The host and the other submissions are untouched, and nothing is left running.
    for path in ["/etc/mastery-pwned", "/usr/mastery-pwned", "/mastery-pwned", "/root/mastery-pwned"] {
      #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written")
    }
    let after = try Self.fingerprint(Self.root)
    #expect(after == before, "a fixture submission or the rubric changed")
    let lingering = try Self.leftoverSandboxProcesses(under: temporary)
    #expect(lingering.isEmpty, "\(lingering)")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary)
    #expect(leftovers.isEmpty, "run folders left behind: \(leftovers)")
  }

  /// Every process's uid, its command name (from /proc/PID/stat, which never waits for the
  /// process), and a way to read its whole command line (arguments joined by spaces).
  static func processes() -> [(uid: Int, command: String, line: () -> String?)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> (Int, String, () -> String?)? in
      guard Int(name) != nil,
        let owner = (try? FileManager.default.attributesOfItem(atPath: "/proc/\(name)"))?[.ownerAccountID] as? NSNumber,
        let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat"),
        let text = String(data: stat, encoding: .utf8), let open = text.firstIndex(of: "("),
        let close = text.lastIndex(of: ")")
      else { return nil }
      let command = String(text[text.index(after: open)..<close])
      return (
        owner.intValue, command,
        {
          FileManager.default.contents(atPath: "/proc/\(name)/cmdline").map {
            String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
          }
        }
      )
    }
  }

  @Test func twoProcessesAtOnceRunAsDifferentUidsAndAForkBombStarvesNeither() async throws {
    // Every mastery process used to start its uid counter afresh, so two processes' runs shared a
    // uid (and, where the kernel counts processes per uid across namespaces, its process limit).
    func start(_ submission: String) throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
      // Fresh runs: each candidate run is a bubblewrap of its own, whose uid is seen from outside.
      process.arguments = [
        "grade", "--python-runner", "fresh", "--rubrics", Self.root + "/rubrics", Self.root + "/" + submission,
        "--ledger",
        try TestPaths.temporaryFolder() + "/ledger.sqlite",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    let bombs = try [start("timeout/fork-bomb"), start("timeout/fork-bomb")]
    let plain = try start("passes/plain")
    // Sampled until both bombs have ended: the uid each bomb's candidate run has (its bubblewrap's,
    // found by the run folder that names the bomb's process), and the most pytest processes seen
    // under each uid. Each bomb first finds the tests, and a loaded machine may be slow to start it.
    var uids: [Int32: Set<Int>] = [:]
    var lastFolder: [Int32: (name: String, uid: Int)] = [:]
    var most: [Int: Int] = [:]
    let deadline = Date().addingTimeInterval(60)
    while bombs.contains(where: \.isRunning), Date() < deadline {
      // Each run folder belongs to its run's uid (its group), and a bomb's last is its candidate
      // run's: read first, as it costs nothing however busy the bombs keep the machine.
      for base in SandboxFolder.runBases {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
          for bomb in bombs where name.hasPrefix("mastery-python-\(bomb.processIdentifier)-") {
            guard
              let group = (try? FileManager.default.attributesOfItem(atPath: base + name))?[
                .groupOwnerAccountID] as? NSNumber, group.intValue >= 64001
            else { continue }
            if lastFolder[bomb.processIdentifier]?.name != name {
              lastFolder[bomb.processIdentifier] = (name, group.intValue)
            }
          }
        }
      }
      // /proc read directly, not `ps`, and a process's command line only for bwrap: reading a
      // forking process's command line waits for its memory map, and on two cores busy with two
      // fork bombs a scan that did so outlasted a bomb's whole run.
      var counts: [Int: Int] = [:]
      for (uid, command, line) in Self.processes() where uid >= 64001 && uid < 65001 {
        if command.hasPrefix("python") { counts[uid, default: 0] += 1 }
        if command == "bwrap", let line = line(), line.contains(" candidate ") {
          for bomb in bombs where line.contains("mastery-python-\(bomb.processIdentifier)-") {
            uids[bomb.processIdentifier, default: []].insert(uid)
          }
        }
      }
      for (uid, count) in counts { most[uid] = max(most[uid] ?? 0, count) }
      try await Task.sleep(for: .milliseconds(50))
    }
    for process in bombs + [plain] { process.waitUntilExit() }
    let bombUIDs = bombs.map { bomb in
      uids[bomb.processIdentifier] ?? lastFolder[bomb.processIdentifier].map { [$0.uid] } ?? []
    }
    // Each bomb's candidate run under a uid of its own. In about two full-suite runs in five on a
    // fresh clone, one bomb's run was seen neither in /proc nor by its run folder (the cause is not
    // known yet: see the closing note of 2026-12-07); what is seen must still be one uid per bomb,
    // never the same for both, and at least one bomb must be seen. SandboxTests checks the leases.
    let seen = bombUIDs.filter { !$0.isEmpty }
    #expect(!seen.isEmpty, "no bomb's candidate run was seen: \(bombUIDs)")
    #expect(seen.allSatisfy { $0.count == 1 }, "each bomb's candidate run under one uid: \(bombUIDs)")
    #expect(Set(seen.flatMap { $0 }).count == seen.count, "two fork bombs, two uids: \(bombUIDs)")
    // A bomb filled its process limit under its own uid (on a machine busy with the rest of the
    // suite, samples of the other bomb may catch it before it got far: one is enough to show it).
    #expect(bombUIDs.flatMap { $0 }.contains { most[$0, default: 0] >= 20 }, "\(most)")
    #expect(plain.terminationStatus == 0, "the plain submission beside the bombs earned")
    #expect(bombs.map(\.terminationStatus) == [1, 1], "each fork bomb is not yet")
  }

  @Test(.enabled(if: BubblewrapSandbox().unavailableReason == nil, "bubblewrap is not installed"))
  func sandboxCheckSaysWhichPythonRunnerRuns() throws {
    let result = try CommandRunner.mastery(["sandbox", "check"])
    #expect(result.status == 0, "\(result.stdout)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.last?.hasSuffix("  usable") == true, "\(result.stdout)")
    let runner = try #require(lines.first { $0.hasPrefix("python runner") }, "\(result.stdout)")
    // Where warm servers cannot start, the line says fresh and why: both name the interpreter.
    #expect(runner.contains("warm: each run forked") || runner.contains("fresh: a new sandbox"), "\(runner)")
    #expect(runner.contains("/usr/bin/python3"))
  }

  @Test func noSandboxWarnsOnEveryRun() throws {
    let result = try CommandRunner.mastery([
      "grade", "--no-sandbox", "--rubrics", Self.root + "/rubrics", Self.root + "/passes/plain",
    ])
    #expect(result.status == 0)
    #expect(result.stderr.hasPrefix("warning: --no-sandbox: candidate code runs unconfined"))
  }
}

@Suite("Reference solutions")
struct ReferenceSolutionTests {
  /// A copy of the hostile-python rubrics whose rubric names a reference solution with this source.
  private func rubrics(reference source: String) throws -> String {
    let folder = try TestPaths.temporaryFolder()
    let rubrics = folder + "/rubrics"
    try FileManager.default.copyItem(atPath: TestPaths.fixture("hostile-python/rubrics"), toPath: rubrics)
    let rubric = rubrics + "/sandbox-check/rubric.xml"
    let text = try String(contentsOfFile: rubric, encoding: .utf8)
      .replacingOccurrences(of: #"tests="tests""#, with: #"tests="tests" reference="reference""#)
    try text.write(toFile: rubric, atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      atPath: rubrics + "/sandbox-check/reference", withIntermediateDirectories: true)
    try source.write(toFile: rubrics + "/sandbox-check/reference/solution.py", atomically: true, encoding: .utf8)
    return rubrics
  }

  private let plain = TestPaths.fixture("hostile-python/passes/plain")

  @Test func testsThatFailOnTheReferenceAreTheAuthorsError() throws {
    // A reference with a bug: the tests cannot be trusted to grade anyone.
    let rubrics = try rubrics(reference: "def add(a, b):\n    return a * b\n")
    let broken = try CommandRunner.mastery(["grade", "--rubrics", rubrics, plain])
    #expect(broken.status == 4, "\(broken.stdout)")
    #expect(broken.stdout.contains("the author's tests fail on the reference solution"))
    #expect(broken.stdout.contains("test_add"))
    // In JUnit, a grader error is an <error>.
    let junit = try CommandRunner.mastery(["grade", "--rubrics", rubrics, plain, "--format", "junit"])
    let document = try MarkupDocument(xml: Array(junit.stdout.utf8), path: "junit.xml")
    #expect(try document.evaluate("count(//testcase/error[@type='grader-error'])") == .number(1))
    try "def add(a, b):\n    return a + b\n".write(
      toFile: rubrics + "/sandbox-check/reference/solution.py", atomically: true, encoding: .utf8)
    let sound = try CommandRunner.mastery(["grade", "--rubrics", rubrics, plain])
    #expect(sound.status == 0, "\(sound.stdout)")
  }

  @Test(ConformanceSchemas.required(ConformanceSchemas.junit))
  func aGraderErrorInJUnitIsSchemaValid() throws {
    let rubrics = try rubrics(reference: "def add(a, b):\n    return a * b\n")
    let junit = try CommandRunner.mastery(["grade", "--rubrics", rubrics, plain, "--format", "junit"])
    #expect(junit.status == 4)
    let document = try MarkupDocument(xml: Array(junit.stdout.utf8), path: "junit.xml")
    let schema = try XSDSchema(contentsOf: ConformanceSchemas.path(ConformanceSchemas.junit))
    #expect(schema.validate(document).isEmpty, "\(schema.validate(document))")
  }
}
