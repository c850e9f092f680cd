import Foundation
import LibXML
import MasteryTestSupport
import Testing

@testable import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

/// A copy of the example submissions that grade without Python (fast), in a temporary folder.
private func exampleCohort() throws -> String {
  let folder = try TestPaths.temporaryFolder() + "/cohort"
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  for credential in ["digital-literacy", "formative-assessment", "web-applications"] {
    try FileManager.default.copyItem(
      atPath: TestPaths.repository("submissions/\(credential)"), toPath: folder + "/" + credential)
  }
  return folder
}

/// `count` generated checklist-and-text submissions (Benchmarks/generate_submissions.py) and their rubric.
private func generatedCohort(_ count: Int) throws -> String {
  let folder = try TestPaths.temporaryFolder() + "/generated"
  let result = try CommandRunner.run(
    "/usr/bin/python3", [TestPaths.repository("Benchmarks/generate_submissions.py"), folder, String(count)])
  #expect(result.status == 0, "\(result.stderr)")
  return folder
}

private func results(_ json: String) throws -> [[String: Any]] {
  let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
  return object?["results"] as? [[String: Any]] ?? []
}

private func candidateIDs(_ json: String) throws -> [String] {
  try results(json).compactMap { ($0["submission"] as? [String: Any])?["candidate"] as? [String: Any] }
    .compactMap { $0["id"] as? String }
}

@Suite("mastery batch, resume and merge")
struct BatchCommandTests {
  @Test func batchGradesTheExamplesAndPrintsASummary() throws {
    let cohort = try exampleCohort()
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let first = try CommandRunner.mastery(["batch", cohort, "--ledger", ledger])
    #expect(first.status == 2, "the formative-assessment examples wait for reviews")
    let lines = first.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("7 submissions in ") == true)
    #expect(lines.first?.contains(": 7 graded, ") == true)
    #expect(
      lines.contains {
        $0.hasPrefix("digital-literacy 1.0.0") && $0.hasSuffix("1        2        0      0        0      3")
      })
    #expect(
      lines.contains {
        $0.hasPrefix("web-applications 1.0.0") && $0.hasSuffix("1        1        0      0        0      2")
      })
    #expect(lines.contains { $0.hasPrefix("all ") && $0.hasSuffix("2        3        2      0        0      7") })
    #expect(!first.stdout.contains("slowest criteria"), "only criteria that took a tenth of a second or more")
    #expect(!first.stderr.contains("\u{1B}") && !first.stderr.contains("\r"), "no control characters off a terminal")
    #expect(try SQLiteLedger(path: ledger).counts().decisions == 7)

    // Run again: the final decisions (2 earned, 3 not yet) stand; pending ones are graded again.
    let second = try CommandRunner.mastery(["batch", cohort, "--ledger", ledger, "--format", "json"])
    #expect(second.status == 2)
    #expect(try results(second.stdout).count == 7)
    #expect(second.stderr.contains(": 2 graded, "))
    #expect(second.stderr.contains("5 unchanged since graded"))
    #expect(try SQLiteLedger(path: ledger).counts().decisions == 9)

    // A changed evidence file grades that submission again; --regrade grades all.
    let reflection = cohort + "/digital-literacy/maria-lopez/reflection.md"
    try (String(contentsOfFile: reflection, encoding: .utf8) + "\nOne more sentence.\n").write(
      toFile: reflection, atomically: true, encoding: .utf8)
    let third = try CommandRunner.mastery(["batch", cohort + "/digital-literacy", "--ledger", ledger])
    #expect(third.stdout.contains("3 submissions in "))
    #expect(third.stdout.contains(": 1 graded, "))
    #expect(third.stdout.contains("2 unchanged since graded"))
    let forced = try CommandRunner.mastery(["batch", cohort + "/digital-literacy", "--ledger", ledger, "--regrade"])
    #expect(forced.stdout.contains(": 3 graded, "))
  }

  @Test func theSummaryNamesTheSlowestCriteria() throws {
    let result = try CommandRunner.mastery(["batch", "submissions/python-foundations/grace-kim", "--format", "json"])
    let table = result.stderr.split(separator: "\n").map(String.init)
    #expect(table.contains("slowest criteria (by total time)"), "\(result.stderr)")
    #expect(table.contains { $0.hasPrefix("python-foundations/correctness") && $0.contains("python-tests") })
    #expect(
      try results(result.stdout).count == 1, "the table goes to standard error when the report is on standard output")
  }

  @Test func aTerminalGetsAProgressBarAndCIAStepSummary() throws {
    let generated = try generatedCohort(1500)
    let summary = generated + "/summary.md"
    // `script` runs the batch on a pseudo-terminal; standard error is the terminal there too.
    let command =
      "\(TestPaths.masteryBinary) batch \(generated)/submissions --rubrics \(generated)/rubrics --ledger \(generated)/l.sqlite"
    let result = try CommandRunner.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["GITHUB_STEP_SUMMARY": summary, "TERM": "xterm"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\r\u{1B}[2K["), "a bar redrawn in place")
    #expect(result.stdout.contains("/1500 "))
    #expect(result.stdout.contains("1500 submissions in "))
    let markdown = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(markdown.hasPrefix("## mastery: grading results\n"))
    #expect(markdown.contains("**1500 submissions:**"))
  }

  @Test func processesOpeningANewLedgerAtOnceAllGetIt() throws {
    // Without the setup lock, two of them would apply the same migration ("duplicate column").
    for round in 0..<5 {
      let ledger = try TestPaths.temporaryFolder() + "/shared-\(round).sqlite"
      let processes = (0..<6).map { _ -> Process in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
        process.arguments = ["grade", "submissions/digital-literacy/maria-lopez", "--ledger", ledger]
        process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
      }
      for process in processes { try process.run() }
      for process in processes { process.waitUntilExit() }
      #expect(processes.map(\.terminationStatus) == [Int32](repeating: 0, count: 6), "round \(round)")
      #expect((SQLiteLedger.peekCounts(at: ledger)?.decisions ?? 0) >= 1)
    }
  }

  @Test func anOutputThatIsAFolderIsRefusedAndKept() throws {
    let folder = try TestPaths.temporaryFolder() + "/reports"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try "keep me".write(toFile: folder + "/earlier.json", atomically: true, encoding: .utf8)
    let result = try CommandRunner.mastery([
      "batch", "submissions/digital-literacy", "--format", "json", "--output", folder,
    ])
    #expect(result.status == 3)
    #expect(result.stderr.contains("it is a folder; name a file"))
    #expect(try String(contentsOfFile: folder + "/earlier.json", encoding: .utf8) == "keep me")
  }

  @Test func changedHiddenTestsGradeAgain() throws {
    let rubrics = try TestPaths.temporaryFolder() + "/rubrics"
    try FileManager.default.createDirectory(atPath: rubrics, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.repository("rubrics/python-foundations"), toPath: rubrics + "/python-foundations")
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let arguments = ["batch", "submissions/python-foundations/grace-kim", "--rubrics", rubrics, "--ledger", ledger]
    _ = try CommandRunner.mastery(["review", "--import", "submissions/reviews.xml", "--ledger", ledger])
    #expect(try CommandRunner.mastery(arguments).stdout.contains(": 1 graded, "))
    #expect(try CommandRunner.mastery(arguments).stdout.contains("1 unchanged since graded"))
    let tests = rubrics + "/python-foundations/tests/test_grades.py"
    try (String(contentsOfFile: tests, encoding: .utf8) + "\n# A comment the author added.\n").write(
      toFile: tests, atomically: true, encoding: .utf8)
    let again = try CommandRunner.mastery(arguments)
    #expect(again.stdout.contains(": 1 graded, "), "the hidden tests changed: \(again.stdout)")
  }

  @Test func aChangedRubricGradesEverySubmissionAgain() throws {
    let cohort = try exampleCohort() + "/digital-literacy"
    let rubrics = try TestPaths.temporaryFolder() + "/rubrics"
    try FileManager.default.createDirectory(atPath: rubrics, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.repository("rubrics/digital-literacy"), toPath: rubrics + "/digital-literacy")
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let arguments = ["batch", cohort, "--rubrics", rubrics, "--ledger", ledger]
    #expect(try CommandRunner.mastery(arguments).stdout.contains(": 3 graded, "))
    #expect(try CommandRunner.mastery(arguments).stdout.contains(": 0 graded, "))
    let rubric = rubrics + "/digital-literacy/rubric.xml"
    try (String(contentsOfFile: rubric, encoding: .utf8) + "<!-- edited -->\n").write(
      toFile: rubric, atomically: true, encoding: .utf8)
    #expect(try CommandRunner.mastery(arguments).stdout.contains(": 3 graded, "))
  }

  @Test func resumesAfterSIGKILLWithNothingGradedTwiceAndNothingLost() throws {
    let count = 4000
    let generated = try generatedCohort(count)
    let ledger = generated + "/ledger.sqlite"
    let arguments = [
      "batch", generated + "/submissions", "--rubrics", generated + "/rubrics", "--ledger", ledger, "--format",
      "json", "--output", generated + "/results.json",
    ]
    // Kill it once some, but not all, decisions are in the ledger.
    var before = 0
    let ended = try CommandRunner.masteryKilled(arguments, whenLedger: ledger, holds: 200)
    #expect(ended == .uncaughtSignal, "the batch finished before it could be killed")
    let killed = try SQLiteLedger(path: ledger).counts()
    before = killed.decisions
    #expect(before > 0 && before < count)
    #expect(killed.decided == before, "no submission recorded twice")
    #expect(!FileManager.default.fileExists(atPath: generated + "/results.json"), "no report from a killed run")

    let resumed = try CommandRunner.mastery(arguments)
    #expect(resumed.status == 1)
    let after = try SQLiteLedger(path: ledger).counts()
    #expect(after.decisions == count, "every submission graded exactly once across both runs")
    #expect(after.decided == count)
    #expect(try SQLiteLedger(path: ledger).integrityCheck() == "ok")
    #expect(resumed.stdout.contains(": \(count - before) graded, "))
    #expect(resumed.stdout.contains("\(before) unchanged since graded"))
    let report = try String(contentsOfFile: generated + "/results.json", encoding: .utf8)
    #expect(Set(try candidateIDs(report)).count == count, "the resumed report holds every submission")
  }

  @Test func aQuickDecisionIsRecordedWhileASlowOneStillRuns() throws {
    // Sam Patel's program runs into the 10 s time limit; the three digital-literacy submissions take
    // milliseconds, so the second and third come less than a quarter second after the first is written.
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
    process.arguments = [
      "batch", "submissions/python-foundations/sam-patel", "submissions/digital-literacy", "--jobs", "2",
      "--ledger", ledger, "--no-progress",
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    var recorded = 0
    let deadline = Date().addingTimeInterval(6)
    while Date() < deadline, process.isRunning, recorded < 3 {
      usleep(100_000)
      recorded = SQLiteLedger.peekCounts(at: ledger)?.decisions ?? 0
    }
    let stillRunning = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(stillRunning, "the slow submission was still being graded")
    #expect(recorded == 3, "the quick decisions reached the ledger without waiting for the slow one")
    #expect(try SQLiteLedger(path: ledger).counts().decisions == 3, "and survived the kill")
  }

  @Test func sigtermStopsAtOnceAndLeavesNoHalfWrittenReport() throws {
    let generated = try generatedCohort(3000)
    let ledger = generated + "/ledger.sqlite"
    let output = generated + "/out/results.xml"
    try FileManager.default.createDirectory(atPath: generated + "/out", withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
    process.arguments = [
      "batch", generated + "/submissions", "--rubrics", generated + "/rubrics", "--ledger", ledger, "--format",
      "junit", "--output", output,
    ]
    let errors = generated + "/stderr"
    _ = FileManager.default.createFile(atPath: errors, contents: nil)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while process.isRunning, Date() < deadline {
      if let counts = SQLiteLedger.peekCounts(at: ledger), counts.decisions > 0 {
        kill(process.processIdentifier, SIGTERM)
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    #expect(process.terminationStatus == 143)
    #expect(try FileManager.default.contentsOfDirectory(atPath: generated + "/out").isEmpty)
    #expect(try String(contentsOfFile: errors, encoding: .utf8).contains("interrupted"))
    #expect(try SQLiteLedger(path: ledger).counts().decisions > 0)
  }

  @Test func shardsPartitionTheCohortAndMergeBackIntoOne() throws {
    let cohort = try exampleCohort()
    let folder = try TestPaths.temporaryFolder()
    let whole = try CommandRunner.mastery(["batch", cohort, "--format", "json", "--ledger", folder + "/all.sqlite"])
    let everyone = try candidateIDs(whole.stdout)
    #expect(everyone.count == 7)
    for count in 1...5 {
      var seen: [String] = []
      for index in 1...count {
        let shard = try CommandRunner.mastery([
          "batch", cohort, "--shard", "\(index)/\(count)", "--format", "json", "--output",
          folder + "/\(count)-\(index).json", "--ledger", folder + "/\(count)-\(index).sqlite",
        ])
        #expect([0, 1, 2, 4].contains(shard.status))
        seen += try candidateIDs(String(contentsOfFile: folder + "/\(count)-\(index).json", encoding: .utf8))
      }
      #expect(seen.sorted() == everyone.sorted(), "N=\(count): every submission in exactly one shard")
    }
    // JSON: one report with every result and the summary counted again.
    let jsons = (1...3).map { folder + "/3-\($0).json" }
    let merged = try CommandRunner.mastery(["merge"] + jsons)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(try candidateIDs(merged.stdout).sorted() == everyone.sorted())
    let summary = (try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])?["summary"]
    #expect((summary as? [String: Any])?["submissions"] as? Int == 7)

    // Ledgers: every decision once; merging again adds nothing.
    let ledgers = (1...3).map { folder + "/3-\($0).sqlite" }
    let into = folder + "/merged.sqlite"
    #expect(try CommandRunner.mastery(["merge", "--output", into] + ledgers).status == 0)
    #expect(try SQLiteLedger(path: into).counts().decisions == 7)
    let again = try CommandRunner.mastery(["merge", "--output", into] + ledgers)
    #expect(again.stderr.contains("0 submissions, 0 decisions, 0 reviews added"))
    #expect(try SQLiteLedger(path: into).counts().decisions == 7)

    // Kinds cannot be mixed, and anything else is refused by name.
    try "<testsuites/>\n".write(toFile: folder + "/3-1.xml", atomically: true, encoding: .utf8)
    let mixed = try CommandRunner.mastery(["merge", jsons[0], folder + "/3-1.xml"])
    #expect(mixed.status == 3)
    #expect(mixed.stderr.contains("merge one kind at a time"))
    try "candidate,decision\n".write(toFile: folder + "/book.csv", atomically: true, encoding: .utf8)
    let foreign = try CommandRunner.mastery(["merge", folder + "/book.csv"])
    #expect(foreign.status == 3)
    #expect(foreign.stderr.contains("book.csv: not a mastery JSON report"))
    try "{\"schemaVersion\": 1, \"results\": [{\"outcome\": \"earned\"}]}".write(
      toFile: folder + "/broken.json", atomically: true, encoding: .utf8)
    let broken = try CommandRunner.mastery(["merge", folder + "/broken.json"])
    #expect(broken.status == 3)
    #expect(broken.stderr.contains("broken.json: not a mastery JSON report (no '"))
  }

  @Test(ConformanceSchemas.required(ConformanceSchemas.junit))
  func mergedJUnitShardsKeepEverySuiteAndValidate() throws {
    let cohort = try exampleCohort()
    let folder = try TestPaths.temporaryFolder()
    // JUnit: every testsuite, totals counted again.
    for index in 1...3 {
      _ = try CommandRunner.mastery([
        "batch", cohort, "--shard", "\(index)/3", "--format", "junit", "--output", folder + "/3-\(index).xml",
        "--ledger", folder + "/junit.sqlite",
      ])
    }
    let junit = try CommandRunner.mastery(
      ["merge", "--output", folder + "/merged.xml"] + (1...3).map { folder + "/3-\($0).xml" })
    #expect(junit.status == 0, "\(junit.stderr)")
    let text = try String(contentsOfFile: folder + "/merged.xml", encoding: .utf8)
    #expect(text.components(separatedBy: "<testsuite ").count - 1 == 7)
    let schema = try XSDSchema(contentsOf: ConformanceSchemas.path(ConformanceSchemas.junit))
    let document = try MarkupDocument(contentsOf: folder + "/merged.xml")
    #expect(schema.validate(document).isEmpty, "\(schema.validate(document))")
  }

  @Test(arguments: [
    (["--fail-on", "invalid,error"], Int32(0)),
    (["--fail-on", "not-yet"], Int32(1)),
    (["--fail-on", "none"], Int32(0)),
    ([String](), Int32(1)),
  ])
  func failOnChoosesWhichDecisionsFailTheRun(_ flags: [String], _ status: Int32) throws {
    let result = try CommandRunner.mastery(["grade", "submissions/digital-literacy"] + flags)
    #expect(result.status == status)
  }

  @Test func failOnRejectsUnknownDecisions() throws {
    let result = try CommandRunner.mastery(["batch", "submissions/digital-literacy", "--fail-on", "late"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--fail-on takes all, none, or a comma-separated list"))
  }
}

/// The example workflow's mastery commands, run here as its jobs would run them.
@Suite("The example GitHub Actions workflow")
struct WorkflowExampleTests {
  @Test func itsCommandsGradeShardAndMerge() throws {
    let workflow = TestPaths.repository("docs/examples/grade-submissions.yml")
    // Every `run` step of every job, in order, by a YAML parser (the file must be valid YAML).
    let script = """
      import json, sys, yaml
      document = yaml.safe_load(open(sys.argv[1]))
      print(json.dumps({name: [step.get("run", "") for step in job["steps"]] for name, job in document["jobs"].items()}))
      """
    let parsed = try CommandRunner.run("/usr/bin/python3", ["-c", script, workflow])
    #expect(parsed.status == 0, "\(parsed.stderr)")
    let jobs = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: [String]] ?? [:]
    let grade = (jobs["grade"] ?? []).filter { $0.contains("mastery batch") }
    let merge = (jobs["merge"] ?? []).filter { $0.contains("mastery merge") || $0.contains("mastery export") }
    #expect(grade.count == 1)
    #expect(merge.count == 3)

    let work = try TestPaths.temporaryFolder()
    try FileManager.default.createDirectory(atPath: work + "/submissions", withIntermediateDirectories: true)
    for credential in ["digital-literacy", "formative-assessment"] {
      try FileManager.default.copyItem(
        atPath: TestPaths.repository("submissions/\(credential)"), toPath: work + "/submissions/" + credential)
    }
    try FileManager.default.copyItem(atPath: TestPaths.repository("rubrics"), toPath: work + "/rubrics")
    func words(_ command: String, shard: Int) -> [String] {
      command.replacingOccurrences(of: "${{ matrix.shard }}", with: String(shard))
        .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init).dropFirst().map { $0 }
    }
    for shard in 1...4 {
      let result = try CommandRunner.mastery(words(grade[0], shard: shard), in: work)
      #expect(result.status == 0, "--fail-on invalid,error passes not-yet and pending: \(result.stderr)")
      // The merge job finds each shard's artifact in a folder of its name.
      try FileManager.default.createDirectory(atPath: work + "/shard-\(shard)", withIntermediateDirectories: true)
      for file in ["results-\(shard).xml", "ledger-\(shard).sqlite"] {
        try FileManager.default.moveItem(atPath: work + "/" + file, toPath: work + "/shard-\(shard)/" + file)
      }
    }
    for command in merge {
      let result = try CommandRunner.mastery(words(command, shard: 0), in: work)
      #expect(result.status == 0, "\(command): \(result.stderr)")
    }
    let junit = try String(contentsOfFile: work + "/results.xml", encoding: .utf8)
    #expect(junit.components(separatedBy: "<testsuite ").count - 1 == 5)
    #expect(try SQLiteLedger(path: work + "/ledger.sqlite").counts().decisions == 5)
    let gradebook = try String(contentsOfFile: work + "/gradebook.csv", encoding: .utf8)
    #expect(gradebook.split(separator: "\r\n").count == 6)
  }
}
