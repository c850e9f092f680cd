import Foundation
import LibXML

#if canImport(Glibc)
import Glibc
#endif

/// Grades a `python-tests` criterion: the author's hidden pytest tests run
/// against a private copy of the candidate's code inside the sandbox.
///
/// Nothing the candidate's process writes is trusted. The expected test ids
/// come from the author's source; a sentinel test, named afresh each run,
/// imports the candidate's modules and must fail; a report that is missing,
/// malformed, lacks or adds ids, or whose sentinel passed is tampering:
/// the candidate's not-yet with a message, and the run's log is kept. Files
/// that configure pytest or Python (conftest.py, pytest.ini, *.pth, ...) are
/// not copied into the run. A timeout or memory blow-up is the candidate's
/// not-yet; a sandbox that cannot run, or author tests that do not parse,
/// are grader errors.
public struct PythonTestsEvaluator: Evaluator {
  public let configuration: PythonTestsConfiguration

  public init(configuration: PythonTestsConfiguration) {
    self.configuration = configuration
  }

  /// Files that would let the candidate's code configure pytest or Python itself.
  static let configurationFiles: Set<String> = [
    "conftest.py", "pytest.ini", ".pytest.ini", "pytest.toml", "pyproject.toml", "tox.ini", "setup.cfg",
    "sitecustomize.py", "usercustomize.py",
  ]

  /// The verdict as the candidate sees it: no path of the grading machine, no hint for developers.
  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    let rubricFolder = (input.rubric.path as NSString).deletingLastPathComponent
    let absoluteRubricFolder =
      rubricFolder.hasPrefix("/")
      ? rubricFolder
      : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(
        rubricFolder.isEmpty ? "." : rubricFolder)
    let text = CandidateText(folders: [
      absoluteRubricFolder, FileManager.default.currentDirectoryPath, input.submission.folder,
    ])
    return text.clean(try await judge(input))
  }

  private func judge(_ input: EvaluationInput) async throws -> Verdict {
    guard let mapping = configuration.mapping else { return .error("the python-tests evaluator has no level mapping") }
    let rubricFolder = (input.rubric.path as NSString).deletingLastPathComponent
    var testsFolder = ((rubricFolder.isEmpty ? "." : rubricFolder) as NSString).appendingPathComponent(
      configuration.tests)
    if !testsFolder.hasPrefix("/") {
      testsFolder = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(testsFolder)
    }
    testsFolder = (testsFolder as NSString).standardizingPath
    let interpreter =
      configuration.interpreter.hasPrefix("/") ? configuration.interpreter : "/usr/bin/" + configuration.interpreter
    let catalog: PythonTestCatalog.Tests
    switch await PythonTestCatalog.shared.tests(in: testsFolder, interpreter: interpreter) {
    case .success(let tests): catalog = tests
    case .failure(let failure): return .error(failure.description)
    }
    if let reference = configuration.reference {
      let folder = ((rubricFolder.isEmpty ? "." : rubricFolder) as NSString).appendingPathComponent(reference)
      if let problem = await ReferenceCheck.shared.problem(
        tests: testsFolder, reference: folder, evaluator: self, catalog: catalog, interpreter: interpreter,
        sandbox: input.context.sandbox)
      {
        return .error(problem)
      }
    }
    let run = try PythonRun(catalog: catalog, sandbox: input.context.sandbox)
    defer { run.remove() }
    let skipped = try run.copyCandidateCode(input.evidence, submissionFolder: input.submission.folder)
    try run.copyTests(from: testsFolder)
    try run.handOver()
    let result = await input.context.sandbox.run(run.sandboxRun(interpreter: interpreter, limits: limits, workingCopy: configuration.limits.workingCopyBytes))
    var verdict = interpret(result, run: run, mapping: mapping, input: input)
    if !skipped.isEmpty {
      verdict.feedback.append(
        "Not used in the run: \(skipped.joined(separator: ", ")) (files that configure pytest or Python, or that share a name with the hidden tests)."
      )
    }
    return verdict
  }

  var limits: SandboxLimits {
    SandboxLimits(
      wallSeconds: configuration.limits.wallSeconds, cpuSeconds: configuration.limits.cpuSeconds,
      memoryBytes: configuration.limits.memoryBytes, processes: configuration.limits.processes,
      fileSizeBytes: configuration.limits.fileSizeBytes, outputBytes: configuration.limits.outputBytes)
  }

  // MARK: Reading the outcome

  func interpret(_ result: SandboxResult, run: PythonRun, mapping: LevelMapping, input: EvaluationInput) -> Verdict {
    let floor = mapping.floor
    let running = result.stderr.isEmpty ? nil : Self.lastStarted(in: String(decoding: result.stderr, as: UTF8.self))
    let inTest = running.map { " in \(Self.shortName($0))" } ?? ""
    switch result.termination {
    case .unavailable(let reason):
      return .error("the sandbox is unavailable: \(reason)")
    case .timedOut:
      return .scored(
        floor, summary: "stopped at the time limit",
        feedback: ["Your code ran past the \(configuration.limits.wallSeconds.compact) s limit\(inTest)."])
    case .outputLimit:
      return .scored(
        floor, summary: "stopped at the output limit",
        feedback: [
          "Your code printed more than \(configuration.limits.outputBytes >> 10) KiB\(inTest); the run was stopped there. Print less, or nothing, outside your functions."
        ])
    case .memoryExceeded:
      return .scored(
        floor, summary: "stopped at the memory limit",
        feedback: ["Your code used more than \(configuration.limits.memoryBytes >> 20) MiB\(inTest)."])
    case .killed(let signal):
      return .scored(
        floor, summary: "stopped by signal \(signal)", feedback: ["Your code was stopped by signal \(signal)\(inTest)."]
      )
    case .completed(let status):
      if String(decoding: result.stderr.suffix(4096), as: UTF8.self).contains(PythonRun.workingCopyFull) {
        return .scored(
          floor, summary: "stopped at the working-copy limit",
          feedback: [
            "Your code filled its \(configuration.limits.workingCopyBytes >> 20) MiB working folder (files it wrote); write less."
          ])
      }
      return report(status: status, result: result, run: run, mapping: mapping, input: input)
    }
  }

  private func report(
    status: Int32, result: SandboxResult, run: PythonRun, mapping: LevelMapping, input: EvaluationInput
  )
    -> Verdict
  {
    let floor = mapping.floor
    func tampered(_ what: String) -> Verdict {
      let log = run.keepLog(
        result, folder: input.context.logFolder, label: "\(input.submission.candidate.id)-\(input.criterion.id)")
      return .scored(
        floor, summary: "the test run cannot be trusted",
        feedback: [
          "The test run cannot be trusted: \(what). This is treated as not yet."
            + (log == nil ? "" : " The run's output is kept for the assessors.")
        ])
    }
    guard let bytes = try? MarkupDocument.read(run.reportPath, limit: 16 << 20), !bytes.isEmpty,
      let document = try? MarkupDocument(xml: bytes, path: "report.xml", limit: 16 << 20), let root = document.root
    else {
      return tampered(
        "pytest ended (exit status \(status)) without a readable report; code that exits the test run early (sys.exit or os._exit at import) does this"
      )
    }
    let cases = Self.testcases(root)
    // A collection error names a test module, not a test: the tests could not import the code.
    let collection = cases.filter { !$0.id.contains("::") && $0.outcome != .passed }
    if !collection.isEmpty {
      let detail = collection.first.map { Self.firstLines($0.message, 3) } ?? ""
      return .scored(
        floor, summary: "the tests could not load your code",
        feedback: ["The hidden tests could not import your code: \(detail)"])
    }
    let sentinelID = run.sentinelID
    guard let sentinel = cases.first(where: { $0.id == sentinelID }) else {
      return tampered("the engine's own check is missing from the report")
    }
    if sentinel.outcome == .passed {
      return tampered("a test that must fail passed, so results were forged")
    }
    if status == 0 {
      return tampered("pytest reported success although a test must fail")
    }
    let scored = cases.filter { $0.id != sentinelID }
    let expected = Set(run.catalog.ids)
    let found = Set(scored.map(\.base))
    if found != expected {
      let missing = expected.subtracting(found).sorted().map(Self.shortName)
      let extra = found.subtracting(expected).sorted().map(Self.shortName)
      var parts: [String] = []
      if !missing.isEmpty { parts.append("tests missing from the report: \(missing.joined(separator: ", "))") }
      if !extra.isEmpty { parts.append("tests that are not the author's: \(extra.joined(separator: ", "))") }
      return tampered(parts.joined(separator: "; "))
    }
    if let declared = Self.declaredCount(root), declared != cases.count {
      return tampered("the report counts \(declared) tests but lists \(cases.count)")
    }
    var earned = 0.0
    var total = 0.0
    var feedback: [String] = []
    var failed = 0
    for test in scored {
      let points = configuration.points[test.base] ?? configuration.points[Self.fileForm(test.base)] ?? 1
      total += points
      if test.outcome == .passed {
        earned += points
        continue
      }
      failed += 1
      let name = Self.shortName(test.id)
      if test.message.contains("MemoryError") {
        feedback.append("\(name): ran out of memory (\(configuration.limits.memoryBytes >> 20) MiB).")
        continue
      }
      switch configuration.showFailures {
      case .none: break
      case .names: feedback.append("Failed: \(name)")
      case .messages:
        let message = Self.firstLines(test.message, 2)
        feedback.append("Failed: \(name)" + (message.isEmpty ? "" : ": \(message)"))
      }
    }
    if configuration.showFailures == .none, failed > 0 {
      feedback.append("\(failed) hidden \(failed == 1 ? "test" : "tests") failed.")
    }
    let level = mapping.level(count: earned, of: total)
    let summary =
      "\(scored.count - failed) of \(scored.count) tests passed (\(earned.compact) of \(total.compact) points)"
    return .scored(level, summary: summary, feedback: feedback)
  }

  // MARK: Report parsing

  struct TestCase {
    enum Outcome { case passed, failed, skipped }

    var id: String
    var base: String
    var outcome: Outcome
    var message: String
  }

  static func testcases(_ root: Element) -> [TestCase] {
    var cases: [TestCase] = []
    func walk(_ element: Element) {
      if element.name == "testcase" {
        let classname = element[attribute: "classname"] ?? ""
        let name = element[attribute: "name"] ?? ""
        let id = classname.isEmpty ? name : "\(classname)::\(name)"
        let base = id.firstIndex(of: "[").map { String(id[..<$0]) } ?? id
        var outcome = TestCase.Outcome.passed
        var message = ""
        for child in element.children {
          switch child.name {
          case "failure", "error":
            outcome = .failed
            // "collection failure" says little; the error's last line says what went wrong.
            let attribute = child[attribute: "message"] ?? ""
            var last = child.text.split(separator: "\n").last { !$0.trimmingWhitespace.isEmpty }.map(String.init) ?? ""
            if last.hasPrefix("E ") { last.removeFirst(2) }
            message =
              attribute == "collection failure" && !last.isEmpty
              ? last.trimmingWhitespace : attribute.isEmpty ? child.text : attribute
          case "skipped":
            if outcome == .passed { outcome = .skipped }
          default: break
          }
        }
        cases.append(TestCase(id: id, base: base, outcome: outcome, message: message))
        return
      }
      element.children.forEach(walk)
    }
    walk(root)
    return cases
  }

  /// The number of tests the report's testsuite claims.
  static func declaredCount(_ root: Element) -> Int? {
    let suite = root.name == "testsuite" ? root : root.child(named: "testsuite")
    return suite?[attribute: "tests"].flatMap { Int($0) }
  }

  /// The test that was running when the run was stopped, from the engine's progress plugin.
  static func lastStarted(in stderr: String) -> String? {
    stderr.split(separator: "\n").last { $0.hasPrefix("MASTERY-START ") }.map { String($0.dropFirst(14)) }
  }

  /// "test_average" from "test_grades::test_average" or "tests/test_grades.py::test_average".
  static func shortName(_ id: String) -> String {
    id.components(separatedBy: "::").last ?? id
  }

  /// "test_grades.py::test_x" for "test_grades::test_x", the form rubric authors write.
  static func fileForm(_ id: String) -> String {
    let parts = id.components(separatedBy: "::")
    guard parts.count == 2 else { return id }
    let module = parts[0].split(separator: ".")
    guard let file = module.first else { return id }
    return ([String(file) + ".py"] + module.dropFirst().map(String.init) + [parts[1]]).joined(separator: "::")
  }

  static func firstLines(_ text: String, _ count: Int) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }.prefix(count)
    let joined = lines.joined(separator: " ")
    return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
  }
}

/// Runs the author's tests on the author's reference solution once per
/// process and remembers the answer: if they do not all pass there, no
/// candidate can be graded fairly, and that is the grader's failure.
actor ReferenceCheck {
  static let shared = ReferenceCheck()
  private var answers: [String: String?] = [:]

  /// Nil when every test passes on the reference; otherwise what went wrong.
  func problem(
    tests: String, reference: String, evaluator: PythonTestsEvaluator, catalog: PythonTestCatalog.Tests,
    interpreter: String, sandbox: any CommandSandbox
  ) async -> String? {
    let key = tests + "\u{0}" + reference
    if let known = answers[key] { return known }
    let answer = await check(
      reference, evaluator: evaluator, catalog: catalog, interpreter: interpreter, tests: tests, sandbox: sandbox)
    answers[key] = answer
    return answer
  }

  private func check(
    _ reference: String, evaluator: PythonTestsEvaluator, catalog: PythonTestCatalog.Tests, interpreter: String,
    tests: String, sandbox: any CommandSandbox
  ) async -> String? {
    do {
      let run = try PythonRun(catalog: catalog, sandbox: sandbox)
      defer { run.remove() }
      try run.copyReference(from: reference)
      try run.copyTests(from: tests)
      try run.handOver()
      let result = await sandbox.run(run.sandboxRun(
          interpreter: interpreter, limits: evaluator.limits,
          workingCopy: evaluator.configuration.limits.workingCopyBytes))
      if case .unavailable(let reason) = result.termination { return "the sandbox is unavailable: \(reason)" }
      guard case .completed = result.termination,
        let bytes = try? MarkupDocument.read(run.reportPath, limit: 16 << 20),
        let document = try? MarkupDocument(xml: bytes, path: "report.xml"), let root = document.root
      else {
        return "the author's tests did not complete on the reference solution in \(reference) (\(result.termination))"
      }
      let cases = PythonTestsEvaluator.testcases(root).filter { $0.id != run.sentinelID }
      let failing = cases.filter { $0.outcome != .passed }.map { PythonTestsEvaluator.shortName($0.id) }
      if !failing.isEmpty {
        return "the author's tests fail on the reference solution in \(reference): \(failing.joined(separator: ", "))"
      }
      if Set(cases.map(\.base)) != Set(catalog.ids) {
        return "the author's tests did not all run on the reference solution in \(reference)"
      }
      return nil
    } catch {
      return "the reference solution in \(reference) could not be prepared: \(error)"
    }
  }
}
