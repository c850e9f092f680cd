import Foundation

/// `mastery plugin test`: runs a plugin on its own examples, in the sandbox, as grading would.
///
/// An example is a folder under the plugin's `examples/`: `request.json` (what the engine would
/// write; evidence paths under `/box/evidence`), `evidence/` (the files it names, mounted at
/// `/box/evidence`), and `expected.json`: for a `mastery-1` plugin the fields of the result that
/// must match (`status`, `level`, `points`, `maxPoints`, `summary`, `message`: those given); for an
/// autograder (`protocol="autograder-results"`) the `score` its results.json must add up to.
public enum PluginExamples {
  public struct Outcome: Sendable, Hashable {
    public var name: String
    /// Nil when the example passed; else what differed or went wrong.
    public var problem: String?
  }

  /// The examples of the plugin `executable`, each run and compared, in name order.
  ///
  /// - Throws: `PluginFailure` when the plugin or its examples folder cannot be used.
  public static func run(
    executable: String, interface: CommandConfiguration.Interface, examples folder: String?,
    sandbox: any CommandSandbox, timeoutSeconds: Double = 30
  ) async throws -> [Outcome] {
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw PluginFailure("\(executable) is not an executable file")
    }
    let pluginFolder = (executable as NSString).deletingLastPathComponent
    let examples = folder ?? (pluginFolder as NSString).appendingPathComponent("examples")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []).filter {
      !$0.hasPrefix(".") && FileManager.default.fileExists(atPath: "\(examples)/\($0)/expected.json")
    }.sorted()
    guard !names.isEmpty else {
      throw PluginFailure("no examples in \(examples): each is a folder with request.json, evidence/ and expected.json")
    }
    let configuration = CommandConfiguration(
      run: (executable as NSString).lastPathComponent, interface: interface, timeoutSeconds: timeoutSeconds)
    var outcomes: [Outcome] = []
    for name in names {
      outcomes.append(
        Outcome(
          name: name,
          problem: await problem(
            "\(examples)/\(name)", pluginFolder: pluginFolder, configuration: configuration, sandbox: sandbox)))
    }
    return outcomes
  }

  private static func problem(
    _ example: String, pluginFolder: String, configuration: CommandConfiguration, sandbox: any CommandSandbox
  ) async -> String? {
    guard let expectedData = FileManager.default.contents(atPath: "\(example)/expected.json"),
      let expected = try? JSONSerialization.jsonObject(with: expectedData) as? [String: Any]
    else { return "expected.json is not a JSON object" }
    let run: PluginRun
    do {
      run = try PluginRun(sandbox: sandbox)
    } catch {
      return "the run could not be prepared: \(error)"
    }
    defer { run.remove() }
    do {
      try SandboxFolder.copyTree(pluginFolder, to: "\(run.root)/plugin")
      if FileManager.default.fileExists(atPath: "\(example)/evidence") {
        try SandboxFolder.copyTree("\(example)/evidence", to: "\(run.root)/evidence")
      }
      let request = FileManager.default.contents(atPath: "\(example)/request.json") ?? Data("{}".utf8)
      try request.write(to: URL(fileURLWithPath: "\(run.root)/in/request.json"))
      run.handOver()
    } catch {
      return "the example could not be prepared: \(error)"
    }
    let result = await sandbox.run(run.sandboxRun(configuration))
    guard case .completed(let status) = result.termination else {
      return "the plugin did not finish: \(result.termination)\(CommandEvaluator.stderr(result))"
    }
    guard status == 0 else { return "the plugin exited with status \(status)\(CommandEvaluator.stderr(result))" }
    switch configuration.interface {
    case .mastery1:
      let decoded: PluginProtocol.Result
      switch PluginProtocol.decodeResult(result.stdout) {
      case .success(let value): decoded = value
      case .failure(let failure): return "the result breaks the mastery-1 protocol: \(failure.reason)"
      }
      let actual: [String: Any?] = [
        "status": decoded.status.rawValue, "level": decoded.level, "points": decoded.points,
        "maxPoints": decoded.maxPoints, "summary": decoded.summary, "message": decoded.message,
      ]
      var differences: [String] = []
      for key in ["status", "level", "points", "maxPoints", "summary", "message"] {
        guard let wanted = expected[key] else { continue }
        let got = actual[key] ?? nil
        let same: Bool
        if let number = wanted as? NSNumber, !(wanted is String), let value = got as? Double {
          same = abs(number.doubleValue - value) < 1e-9
        } else {
          same = "\(wanted)" == got.map { "\($0)" }
        }
        if !same {
          let shown = (got as? Double)?.compact ?? got.map { "\($0)" } ?? "absent"
          differences.append("\(key) is \(shown), expected \(wanted)")
        }
      }
      return differences.isEmpty ? nil : differences.joined(separator: "; ")
    case .autograderResults:
      switch run.results() {
      case .failure(let failure): return "the autograder \(failure.reason)"
      case .success(let results):
        let score = results.score ?? (results.tests ?? []).compactMap(\.score).reduce(0, +)
        if let wanted = (expected["score"] as? NSNumber)?.doubleValue, abs(wanted - score) > 1e-9 {
          return "score is \(score.compact), expected \(wanted.compact)"
        }
        return nil
      }
    }
  }
}

extension CommandConfiguration {
  /// A configuration for running a plugin outside a rubric (`mastery plugin test`).
  init(run: String, interface: Interface, timeoutSeconds: Double) {
    self.run = run
    self.interface = interface
    arguments = []
    self.timeoutSeconds = timeoutSeconds
    memoryBytes = 512 << 20
    processes = 64
    outputBytes = 1 << 20
    workingCopyBytes = 64 << 20
    trusted = false
    mapping = nil
    pluginAttributes = [:]
    pluginElements = []
  }
}
