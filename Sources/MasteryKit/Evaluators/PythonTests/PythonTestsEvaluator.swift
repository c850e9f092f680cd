import Foundation
import LibXML

#if canImport(Glibc)
import Glibc
#endif

/// Grades a `python-tests` criterion: the author's hidden pytest tests run against a private copy
/// of the candidate's code inside the sandbox.
///
/// Which tests exist is what pytest collects from the author's files alone (`PythonSuite`), never
/// what the candidate's run says. Nothing the candidate's process writes is trusted: its report
/// must list exactly the author's tests, this run's canaries (the tests with their assertions
/// inverted, under random names) and a sentinel; a canary that passes beside its test, a sentinel
/// that passes, or a report that is missing or lists other tests is tampering: the candidate's
/// not-yet with a message, and the run's log is kept. Files that configure pytest or Python
/// (conftest.py, pytest.ini, *.pth, ...) are not copied into the run. A limit reached is the
/// candidate's not-yet; a sandbox that cannot run, or author tests that do not collect or fail on
/// the reference, are grader errors.
public struct PythonTestsEvaluator: Evaluator {
  public let configuration: PythonTestsConfiguration

  public init(configuration: PythonTestsConfiguration) {
    self.configuration = configuration
  }

  /// How many of the author's tests have their canary run beside them in each candidate's run.
  static let canariesPerRun = 3

  /// Files that would let the candidate's code configure pytest or Python itself.
  static let configurationFiles: Set<String> = [
    "conftest.py", "pytest.ini", ".pytest.ini", "pytest.toml", "pyproject.toml", "tox.ini", "setup.cfg",
    "sitecustomize.py", "usercustomize.py",
  ]

  /// The verdict as the candidate sees it: no path of the grading machine, no hint for developers.
  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    let text = CandidateText(folders: [
      Self.absolute(Self.folder(of: input.rubric.path)), FileManager.default.currentDirectoryPath,
      input.submission.folder,
    ])
    return text.clean(try await judge(input))
  }

  static func folder(of rubric: String) -> String {
    let folder = (rubric as NSString).deletingLastPathComponent
    return folder.isEmpty ? "." : folder
  }

  static func absolute(_ path: String) -> String {
    let full =
      path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    return (full as NSString).standardizingPath
  }

  /// What identifies the author's tests for `PythonSuites`, for the rubric at `rubricPath`.
  func suiteKey(rubricPath: String) -> PythonSuites.Key {
    let folder = Self.folder(of: rubricPath)
    return PythonSuites.Key(
      tests: Self.absolute((folder as NSString).appendingPathComponent(configuration.tests)),
      reference: configuration.reference.map { Self.absolute((folder as NSString).appendingPathComponent($0)) },
      interpreter: interpreter, limits: limits, workingCopy: configuration.limits.workingCopyBytes)
  }

  var interpreter: String {
    configuration.interpreter.hasPrefix("/") ? configuration.interpreter : "/usr/bin/" + configuration.interpreter
  }

  /// What is wrong with the author's tests, each at the rubric line that names it, found by running
  /// pytest on them in the sandbox (`mastery validate`). A sandbox that cannot run is a warning: the
  /// tests were not checked.
  public func findings(rubricPath: String, sandbox: any CommandSandbox, cache: (any SuiteCache)? = nil) async
    -> [Finding]
  {
    let suite = await PythonSuites.shared.suite(suiteKey(rubricPath: rubricPath), sandbox: sandbox, cache: cache)
    if suite.transient {
      return suite.problems.map {
        Finding(
          rule: RubricRules.authorTests, message: "the author's tests were not run: \($0.message)",
          at: configuration.location, severity: .warning)
      }
    }
    var found = suite.problems.map {
      Finding(rule: RubricRules.authorTests, message: $0.message, at: configuration.location)
    }
    if suite.problems.isEmpty {
      for (key, message) in suite.points(configuration.points).problems.sorted(by: { $0.key < $1.key }) {
        found.append(
          Finding(
            rule: RubricRules.authorTests, message: message, at: configuration.pointLocations[key] ?? configuration.location
          ))
      }
    }
    return found
  }

  private func judge(_ input: EvaluationInput) async throws -> Verdict {
    guard let mapping = configuration.mapping else { return .error("the python-tests evaluator has no level mapping") }
    let key = suiteKey(rubricPath: input.rubric.path)
    let suite = await PythonSuites.shared.suite(
      key, sandbox: input.context.sandbox, cache: input.context.suiteCache)
    if !suite.problems.isEmpty { return .error(suite.problems.map(\.message).joined(separator: "; ")) }
    let (points, pointProblems) = suite.points(configuration.points)
    if !pointProblems.isEmpty {
      return .error(pointProblems.sorted { $0.key < $1.key }.map(\.value).joined(separator: "; "))
    }
    let run = try PythonRun(
      sandbox: input.context.sandbox, bytes: input.evidence.flatMap(\.files).reduce(0) { $0 + $1.bytes })
    defer { run.remove() }
    // A few canaries, chosen afresh each run: a forger cannot know which tests are watched.
    let canaries = Array(suite.soundCanaries.shuffled().prefix(Self.canariesPerRun))
    let canaryFiles = Set(canaries.map(PythonSuite.file))
    try run.copyTests(from: key.tests, canaries: suite.canaries.filter { canaryFiles.contains($0.key) })
    let skipped = try run.copyCandidateCode(input.evidence, submissionFolder: input.submission.folder)
    try run.handOver()
    let files = suite.files + canaries.compactMap(run.canaryID) + [run.sentinelFile]
    let result = await input.context.sandbox.run(
      run.sandboxRun(
        mode: .candidate, files: files, interpreter: key.interpreter, limits: limits,
        workingCopy: configuration.limits.workingCopyBytes))
    var verdict = interpret(
      result, run: run, suite: suite, canaries: canaries, points: points, mapping: mapping, input: input)
    if !skipped.isEmpty {
      verdict.feedback.append(
        "Not used in the run: \(skipped.joined(separator: ", ")) (files that configure pytest or Python, or that share a name with the hidden tests)."
      )
    }
    return verdict
  }

  /// How the memory limit was held, for the candidate: "(resident memory, peak 256 MiB; cgroup v1)",
  /// or "(address space; a cgroup was not available)".
  static func memoryDetail(_ result: SandboxResult) -> String {
    switch result.memoryMechanism {
    case .some("address space"): return " (its address space: this machine gives runs no memory cgroup)"
    case .some(let mechanism):
      return " (resident memory" + (result.peakMemoryBytes.map { ", peak \($0 >> 20) MiB" } ?? "") + "; \(mechanism))"
    case nil: return ""
    }
  }

  var limits: SandboxLimits {
    SandboxLimits(
      wallSeconds: configuration.limits.wallSeconds, cpuSeconds: configuration.limits.cpuSeconds,
      memoryBytes: configuration.limits.memoryBytes, cgroup: true, processes: configuration.limits.processes,
      fileSizeBytes: configuration.limits.fileSizeBytes, outputBytes: configuration.limits.outputBytes)
  }

  // MARK: Reading the outcome

  func interpret(
    _ result: SandboxResult, run: PythonRun, suite: PythonSuite, canaries: [String], points: [String: Double],
    mapping: LevelMapping, input: EvaluationInput
  ) -> Verdict {
    let floor = mapping.floor
    let running = result.stderr.isEmpty ? nil : Self.lastStarted(in: String(decoding: result.stderr, as: UTF8.self))
    let inTest = running.map { " in \(Self.shortName(run.original(ofCanary: $0) ?? $0))" } ?? ""
    func ended(_ outcome: TestRunResult.Outcome, _ summary: String, _ feedback: String) -> Verdict {
      var verdict = Verdict.scored(floor, summary: summary, feedback: [feedback])
      verdict.tests = TestRunResult(
        outcome: outcome, seconds: result.wallSeconds, tests: [])
      verdict.tests?.memoryLimit = result.memoryMechanism
      return verdict
    }
    switch result.termination {
    case .unavailable(let reason):
      return .error("the sandbox is unavailable: \(reason)")
    case .timedOut:
      return ended(
        .timeout, "stopped at the time limit", "Your code ran past the \(configuration.limits.wallSeconds.compact) s limit\(inTest).")
    case .outputLimit:
      return ended(
        .outputLimit, "stopped at the output limit",
        "Your code printed more than \(configuration.limits.outputBytes >> 10) KiB\(inTest); the run was stopped there. Print less, or nothing, outside your functions."
      )
    case .memoryExceeded:
      return ended(
        .memoryExceeded, "stopped at the memory limit",
        "Your code used more than \(configuration.limits.memoryBytes >> 20) MiB\(inTest)"
          + Self.memoryDetail(result) + ".")
    case .killed(let signal):
      return ended(.crashed, "stopped by signal \(signal)", "Your code was stopped by signal \(signal)\(inTest).")
    case .completed(let status):
      if String(decoding: result.stderr.suffix(4096), as: UTF8.self).contains(PythonRun.workingCopyFull) {
        return ended(
          .workingCopyLimit, "stopped at the working-copy limit",
          "Your code filled its \(configuration.limits.workingCopyBytes >> 20) MiB working folder (files it wrote); write less."
        )
      }
      return report(
        status: status, result: result, run: run, suite: suite, canaries: canaries, points: points, mapping: mapping,
        input: input)
    }
  }

  private func report(
    status: Int32, result: SandboxResult, run: PythonRun, suite: PythonSuite, canaries chosen: [String],
    points: [String: Double], mapping: LevelMapping, input: EvaluationInput
  ) -> Verdict {
    let floor = mapping.floor
    func untrusted(_ outcome: TestRunResult.Outcome, _ what: String) -> Verdict {
      input.context.sandbox.distrust(runFolder: run.root)
      let log = run.keepLog(
        result, folder: input.context.logFolder, label: "\(input.submission.candidate.id)-\(input.criterion.id)")
      var verdict = Verdict.scored(
        floor, summary: "the test run cannot be trusted",
        feedback: [
          "The test run cannot be trusted: \(what). This is treated as not yet."
            + (log == nil ? "" : " The run's output is kept for the assessors.")
        ])
      verdict.tests = TestRunResult(
        outcome: outcome, seconds: result.wallSeconds, tests: [])
      verdict.tests?.memoryLimit = result.memoryMechanism
      return verdict
    }
    guard let report = run.report(), report.mode == "candidate" else {
      return untrusted(
        .noResult,
        "pytest ended (exit status \(status)) without a readable report; code that exits the test run early (sys.exit or os._exit at import) does this"
      )
    }
    // A collection error names a test file (or none: a conftest.py), not a test: the tests could
    // not import the code.
    let ownFiles = Set(run.canaryFiles.keys).union([run.sentinelFile])
    if let error = report.errors.first(where: { !ownFiles.contains(String($0.id.prefix { $0 != ":" })) }) {
      let message = error.message.isEmpty ? Self.errorLine(in: result.stderr) : error.message
      var verdict = Verdict.scored(
        floor, summary: "the tests could not load your code",
        feedback: ["The hidden tests could not import your code: \(Self.firstLines(message, 3))"])
      verdict.tests = TestRunResult(
        outcome: .completed, seconds: result.wallSeconds, peakMemoryBytes: report.peakMemoryBytes,
        counts: TestRunResult.Counts(collected: 0, error: 1), earnedPoints: 0, totalPoints: nil, tests: [])
      verdict.tests?.memoryLimit = result.memoryMechanism
      return verdict
    }
    var outcomes: [String: PytestReport.Test] = [:]
    for test in report.tests { outcomes[test.id] = test }
    guard let sentinel = outcomes[run.sentinelID] else {
      return untrusted(.tampering, "the engine's own check is missing from the report")
    }
    if sentinel.outcome != .failed {
      return untrusted(.tampering, "a test that must fail passed, so results were forged")
    }
    if status == 0 {
      return untrusted(.tampering, "pytest reported success although a test must fail")
    }
    // The report lists exactly the author's tests and this run's canaries, each with an outcome.
    var canaries: [String: TestOutcome?] = [:]
    var scored: [PytestReport.Test] = []
    for test in report.tests where test.id != run.sentinelID {
      if let original = run.original(ofCanary: test.id) {
        canaries[original] = test.outcome
      } else {
        scored.append(test)
      }
    }
    let expected = Set(suite.tests.map(\.id))
    let found = Set(scored.map(\.id))
    if found != expected || Set(canaries.keys) != Set(chosen) {
      let missing = expected.subtracting(found).sorted().map(Self.shortName)
      let extra = found.subtracting(expected).sorted().map(Self.shortName)
      var parts: [String] = []
      if !missing.isEmpty { parts.append("tests missing from the report: \(missing.joined(separator: ", "))") }
      if !extra.isEmpty { parts.append("tests that are not the author's: \(extra.joined(separator: ", "))") }
      if parts.isEmpty { parts.append("the engine's checks are missing from the report") }
      return untrusted(.tampering, parts.joined(separator: "; "))
    }
    if scored.contains(where: { $0.outcome == nil }) {
      return untrusted(.tampering, "a test started and never ended")
    }
    let byID = Dictionary(scored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    // A canary states the opposite of its test: on honest code they never both pass.
    if let forged = chosen.sorted().first(where: {
      byID[$0]?.outcome == .passed && canaries[$0] == .some(.passed)
    }) {
      return untrusted(.tampering, "\(Self.shortName(forged)) and its opposite both passed, so results were forced")
    }
    return scoredVerdict(
      suite: suite, byID: byID, points: points, mapping: mapping, result: result, peak: report.peakMemoryBytes)
  }

  private func scoredVerdict(
    suite: PythonSuite, byID: [String: PytestReport.Test], points: [String: Double], mapping: LevelMapping,
    result: SandboxResult, peak: Int?
  ) -> Verdict {
    var earned = 0.0
    var total = 0.0
    var feedback: [String] = []
    var counts = TestRunResult.Counts(collected: suite.tests.count)
    var tests: [TestRunResult.Test] = []
    var notPassed = 0
    for test in suite.tests {
      guard let run = byID[test.id], let outcome = run.outcome else { continue }
      let worth = points[test.id] ?? 1
      var gained = 0.0
      switch outcome {
      case .passed: counts.passed += 1
      case .failed: counts.failed += 1
      case .error: counts.error += 1
      case .skipped: counts.skipped += 1
      case .xfailed: counts.xfailed += 1
      case .xpassed: counts.xpassed += 1
      }
      switch outcome {
      case .passed, .xfailed, .xpassed:
        gained = worth
        total += worth
      case .skipped:
        switch configuration.skipped {
        case .passed:
          gained = worth
          total += worth
        case .notPassed: total += worth
        case .excluded: break
        }
      case .failed, .error:
        total += worth
        notPassed += 1
      }
      earned += gained
      let name = Self.shortName(test.id)
      let message = run.message.contains("MemoryError")
        ? "ran out of memory (\(configuration.limits.memoryBytes >> 20) MiB)" : Self.firstLines(run.message, 2)
      if outcome == .failed || outcome == .error {
        if message.hasPrefix("ran out of memory") {
          feedback.append("\(name): \(message).")
        } else {
          let verb = outcome == .error ? "Error in" : "Failed:"
          switch configuration.showFailures {
          case .none: break
          case .names: feedback.append("\(verb) \(name)")
          case .messages: feedback.append("\(verb) \(name)" + (message.isEmpty ? "" : ": \(message)"))
          }
        }
      }
      if configuration.showFailures != .none {
        let shown = configuration.showFailures == .messages && outcome != .passed && !message.isEmpty
        tests.append(
          TestRunResult.Test(
            id: test.id, outcome: outcome, points: worth, earned: gained, message: shown ? message : nil))
      }
    }
    if configuration.showFailures == .none, notPassed > 0 {
      feedback.append("\(notPassed) hidden \(notPassed == 1 ? "test" : "tests") failed.")
    }
    let level = mapping.level(count: earned, of: total)
    let passed = counts.passed + counts.xfailed + counts.xpassed
    let skippedNote = counts.skipped > 0 ? ", \(counts.skipped) skipped" : ""
    let summary =
      "\(passed) of \(suite.tests.count) tests passed\(skippedNote) (\(earned.compact) of \(total.compact) points)"
    var verdict = Verdict.scored(level, summary: summary, feedback: feedback)
    verdict.tests = TestRunResult(
      outcome: .completed, seconds: result.wallSeconds, peakMemoryBytes: peak, counts: counts,
      earnedPoints: earned, totalPoints: total, tests: tests)
    verdict.tests?.memoryLimit = result.memoryMechanism
    return verdict
  }

  /// The test that was running when the run was stopped, from the engine's runner.
  static func lastStarted(in stderr: String) -> String? {
    stderr.split(separator: "\n").last { $0.hasPrefix("MASTERY-START ") }.map { String($0.dropFirst(14)) }
  }

  /// The error pytest printed last ("E   ModuleNotFoundError: ..."), for a run that stopped before its session.
  static func errorLine(in stderr: [UInt8]) -> String {
    let lines = String(decoding: stderr.suffix(16384), as: UTF8.self).split(separator: "\n")
    let line = lines.last { $0.hasPrefix("E ") } ?? lines.last { $0.contains("Error") } ?? ""
    return String(line.hasPrefix("E ") ? line.dropFirst(2) : line).trimmingWhitespace
  }

  /// "test_2000" from "test_leap.py::LeapTest::test_2000".
  static func shortName(_ id: String) -> String {
    id.components(separatedBy: "::").last ?? id
  }

  static func firstLines(_ text: String, _ count: Int) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }.prefix(count)
    let joined = lines.joined(separator: " ")
    return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
  }
}
