import Foundation

/// The author's tests as pytest itself collects them, found by running pytest in the sandbox on
/// the author's files alone: on the reference solution when the rubric names one (which also
/// proves the tests sound), else with stand-in modules for what the tests import. Candidates'
/// runs are checked against it, so their code never decides which tests exist.
struct PythonSuite: Sendable, Hashable, Codable {
  struct Test: Sendable, Hashable, Codable {
    /// pytest's node id, relative to the tests folder.
    var id: String
    var line: Int?
    /// The qualified name of the defining function.
    var function: String
  }

  /// Why the author's tests cannot grade anyone fairly.
  struct Problem: Sendable, Hashable, Codable {
    var message: String
  }

  var tests: [Test]
  /// The canaries' source, by the author's file each copies (relative to the tests folder).
  var canaries: [String: String]
  /// The author's tests whose canary is sound: its assertions inverted and, with a reference,
  /// failing there while the test passes.
  var soundCanaries: Set<String>
  var problems: [Problem]
  /// True when the answer depends on this machine's state, not on the files (the sandbox could
  /// not run): not worth keeping.
  var transient = false

  /// The author's test files, relative to the tests folder, in pytest's order.
  var files: [String] {
    var seen: Set<String> = []
    return tests.compactMap { test in
      let file = Self.file(test.id)
      return seen.insert(file).inserted ? file : nil
    }
  }

  /// The file part of a node id: `test_leap.py` of `test_leap.py::LeapTest::test_2000`.
  static func file(_ id: String) -> String { String(id.prefix { $0 != ":" }) }

  static func failed(_ message: String, transient: Bool = false) -> PythonSuite {
    PythonSuite(
      tests: [], canaries: [:], soundCanaries: [], problems: [Problem(message: message)],
      transient: transient)
  }

  // MARK: Points

  /// Each test's points from the rubric's `<points test="...">`, keyed by what the author wrote: a
  /// node id, or its end after a `::` (`LeapTest::test_2000`, `test_2000`), with or without
  /// parameters. A key that names no test, or tests of more than one definition, is a problem.
  func points(_ keys: [String: Double]) -> (points: [String: Double], problems: [String: String]) {
    var points: [String: Double] = [:]
    var problems: [String: String] = [:]
    // Longest keys first: the most specific key wins for a test.
    for key in keys.keys.sorted(by: { ($0.count, $0) > ($1.count, $1) }) {
      let matches = tests.filter { Self.names($0.id, key) }
      if matches.isEmpty {
        problems[key] =
          "<points test=\"\(key)\"> names no test pytest collects; the tests are: "
          + Self.listing(tests.map(\.id))
        continue
      }
      let definitions = Set(matches.map { Self.base($0.id) })
      if definitions.count > 1 {
        problems[key] =
          "<points test=\"\(key)\"> could mean any of " + Self.listing(definitions.sorted())
          + "; write the whole id"
        continue
      }
      for test in matches where points[test.id] == nil { points[test.id] = keys[key] }
    }
    return (points, problems)
  }

  /// Whether `key` names the test `id` (whole, or its end after `::`, with or without parameters).
  static func names(_ id: String, _ key: String) -> Bool {
    for candidate in [id, base(id)] where candidate == key || candidate.hasSuffix("::" + key) {
      return true
    }
    return false
  }

  /// The id without pytest's parameters: `test_x.py::test_f` for `test_x.py::test_f[1-2]`.
  static func base(_ id: String) -> String {
    id.firstIndex(of: "[").map { String(id[..<$0]) } ?? id
  }

  static func listing(_ ids: [String], limit: Int = 8) -> String {
    ids.count <= limit ? ids.joined(separator: ", ") : ids.prefix(limit).joined(separator: ", ") + ", …"
  }
}

/// Keeps `PythonSuite`s between processes, by the SHA-256 of everything they depend on (the
/// ledger does). Failures to read or write are misses: the suite is then found again.
public protocol SuiteCache: Sendable {
  func cachedSuite(_ key: String) -> Data?
  func cacheSuite(_ key: String, _ suite: Data)
}

/// Finds each tests folder's `PythonSuite` once per process, and with a cache once per content:
/// concurrent requests, in this process or (through a lock per content) in others, wait for one run.
actor PythonSuites {
  static let shared = PythonSuites()

  /// Where the locks of suites being found live: fixed for the host, like the uid leases.
  static let lockFolder = "/run/lock/mastery-suites"

  struct Key: Hashable, Sendable {
    /// Absolute folders.
    var tests: String
    var reference: String?
    var interpreter: String
    var limits: SandboxLimits
    var workingCopy: Int
  }

  private var suites: [Key: Task<PythonSuite, Never>] = [:]
  private var identities: [String: Task<String?, Never>] = [:]

  func suite(_ key: Key, sandbox: any CommandSandbox, cache: (any SuiteCache)? = nil) async -> PythonSuite {
    if let known = suites[key] { return await known.value }
    let identity = cache == nil ? nil : await interpreterIdentity(key.interpreter)
    let task = Task { await Self.find(key, identity: identity, sandbox: sandbox, cache: cache) }
    suites[key] = task
    let suite = await task.value
    if suite.transient { suites[key] = nil }
    return suite
  }

  /// The interpreter's and pytest's versions ("3.11.2 7.2.1"), once per process; nil when they cannot be read.
  private func interpreterIdentity(_ interpreter: String) async -> String? {
    if let known = identities[interpreter] { return await known.value }
    let task = Task { () -> String? in
      let script = "import sys, _pytest._version as v; print(sys.version.split()[0], v.version)"
      guard
        let outcome = try? await ProcessLauncher.launch(
          executable: interpreter, arguments: ["-I", "-c", script], environment: ["PATH": "/usr/bin:/bin"],
          deadline: 30, outputLimit: 4096, killGroup: false), outcome.status == 0
      else { return nil }
      return String(decoding: outcome.stdout, as: UTF8.self).trimmingWhitespace
    }
    identities[interpreter] = task
    return await task.value
  }

  /// The cache's key: the SHA-256 of the tests and reference files, the interpreter and its
  /// versions, the limits, and the engine's own scripts (a change to any runs the tests again).
  static func contentKey(_ key: Key, identity: String) -> String {
    var lines = ["python-suite 1", key.interpreter, identity, PythonScripts.runner, PythonScripts.canaryMaker]
    lines.append("\(key.limits.wallSeconds) \(key.limits.cpuSeconds) \(key.limits.memoryBytes ?? -1)")
    lines.append("\(key.limits.processes) \(key.limits.fileSizeBytes) \(key.limits.outputBytes) \(key.workingCopy)")
    lines += RubricCatalog.Entry.fileLines(in: key.tests, prefix: "tests")
    if let reference = key.reference {
      lines += RubricCatalog.Entry.fileLines(in: reference, prefix: "reference")
    }
    return EvidenceResolver.sha256(of: Data(lines.joined(separator: "\n").utf8))
  }

  private static func find(_ key: Key, identity: String?, sandbox: any CommandSandbox, cache: (any SuiteCache)?)
    async -> PythonSuite
  {
    guard let cache, let identity else { return await build(key, sandbox: sandbox) }
    let digest = contentKey(key, identity: identity)
    if let known = cached(digest, in: cache) { return known }
    // Another process may be finding the same suite: wait for it, then read its answer.
    let lock = await ProcessLauncher.onOwnThread { FileLock(folder: lockFolder, name: digest) }
    defer { lock?.release() }
    if let known = cached(digest, in: cache) { return known }
    let suite = await build(key, sandbox: sandbox)
    if !suite.transient, let data = try? JSONEncoder().encode(suite) { cache.cacheSuite(digest, data) }
    return suite
  }

  private static func cached(_ digest: String, in cache: any SuiteCache) -> PythonSuite? {
    cache.cachedSuite(digest).flatMap { try? JSONDecoder().decode(PythonSuite.self, from: $0) }
  }

  static func build(_ key: Key, sandbox: any CommandSandbox) async -> PythonSuite {
    let canaries = await canarySources(key)
    let run: PythonRun
    do {
      run = try PythonRun(sandbox: sandbox)
    } catch {
      return .failed("a run folder could not be made: \(error)", transient: true)
    }
    defer { run.remove() }
    let mode: PythonRun.Mode = key.reference == nil ? .standIns : .reference
    let against = key.reference.map { "the reference solution in \($0)" } ?? "stand-ins for the code"
    do {
      if let reference = key.reference { try run.copyReference(from: reference) }
      try run.copyTests(from: key.tests, canaries: canaries.mapValues(\.source))
      try run.handOver()
    } catch {
      return .failed("the tests in \(key.tests) could not be prepared: \(error)", transient: true)
    }
    let result = await sandbox.run(
      run.sandboxRun(
        mode: mode, files: nil, interpreter: key.interpreter, limits: key.limits, workingCopy: key.workingCopy))
    if case .unavailable(let reason) = result.termination {
      return .failed("the sandbox is unavailable: \(reason)", transient: true)
    }
    guard case .completed = result.termination, let report = run.report() else {
      let tail = result.output.split(separator: "\n").suffix(3).joined(separator: " | ")
      return .failed(
        "the author's tests in \(key.tests) did not complete on \(against) (\(result.termination))"
          + (tail.isEmpty ? "" : ": \(tail)"))
    }
    return suite(from: report, stderr: result.stderr, run: run, canaries: canaries, key: key, against: against)
  }

  private static func suite(
    from report: PytestReport, stderr: [UInt8], run: PythonRun, canaries: [String: CanarySource], key: Key, against: String
  ) -> PythonSuite {
    let file = PythonSuite.file
    let ownFiles = Set(run.canaryFiles.keys).union([run.sentinelFile])
    var problems: [PythonSuite.Problem] = []
    var brokenCanaries: Set<String> = []
    for error in report.errors {
      if let original = run.canaryFiles[file(error.id)] {
        brokenCanaries.insert(original)
      } else if !ownFiles.contains(file(error.id)) {
        let place = error.id.isEmpty ? "the tests' conftest.py" : error.id
        let message = error.message.isEmpty ? PythonTestsEvaluator.errorLine(in: stderr) : error.message
        problems.append(.init(message: "pytest cannot collect \(place) on \(against): \(message)"))
      }
    }
    let tests = report.collected.filter { !ownFiles.contains(file($0.id)) }.map {
      PythonSuite.Test(id: $0.id, line: $0.line, function: $0.function)
    }
    if tests.isEmpty, problems.isEmpty {
      problems.append(
        .init(
          message:
            "pytest collects no tests in \(key.tests) (test_*.py or *_test.py files with test functions or test classes)"
        ))
    }
    var outcomes: [String: TestOutcome] = [:]
    var messages: [String: String] = [:]
    for test in report.tests {
      outcomes[test.id] = test.outcome
      messages[test.id] = test.message
    }
    if key.reference != nil {
      let failing = tests.filter { outcomes[$0.id].map { [.failed, .error].contains($0) } ?? true }
      if !failing.isEmpty {
        let named = failing.prefix(5).map { test -> String in
          let message = messages[test.id].flatMap { $0.split(separator: "\n").first.map(String.init) } ?? "did not run"
          return "\(test.id) (\(message.isEmpty ? outcomes[test.id]?.rawValue ?? "did not run" : message))"
        }
        problems.append(
          .init(
            message: "the author's tests fail on \(against): " + named.joined(separator: "; ")
              + (failing.count > 5 ? "; and \(failing.count - 5) more" : "")))
      }
    }
    // Canaries: those pytest collected from a canary file that compiled, in the author's id form.
    let functions = Dictionary(report.collected.map { ($0.id, $0.function) }, uniquingKeysWith: { first, _ in first })
    var kept: [String: String] = [:]
    var sound: Set<String> = []
    for collected in report.collected {
      guard let original = run.original(ofCanary: collected.id), let source = canaries[file(original)],
        !brokenCanaries.contains(file(original))
      else { continue }
      kept[file(original)] = source.source
      guard source.tests.contains(collected.function), functions[original] == collected.function else { continue }
      if key.reference == nil || (outcomes[collected.id] == .failed && outcomes[original] == .passed) {
        sound.insert(original)
      }
    }
    return PythonSuite(
      tests: tests, canaries: kept, soundCanaries: sound, problems: problems)
  }

  struct CanarySource: Decodable {
    var source: String
    /// The qualified names of the functions whose assertions were inverted.
    var tests: Set<String>
  }

  /// The canaries for the author's test files, from `PythonScripts.canaryMaker` (none if it fails:
  /// the run is then guarded by the sentinel and the id check alone).
  static func canarySources(_ key: Key) async -> [String: CanarySource] {
    guard
      let outcome = try? await ProcessLauncher.launch(
        executable: key.interpreter, arguments: ["-I", "-c", PythonScripts.canaryMaker, key.tests],
        environment: ["PATH": "/usr/bin:/bin"], deadline: 30, outputLimit: 32 << 20, killGroup: false),
      outcome.status == 0
    else { return [:] }
    return (try? JSONDecoder().decode([String: CanarySource].self, from: Data(outcome.stdout))) ?? [:]
  }
}
