import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a plugin (`command`) on one criterion, in the sandbox: the plugin's folder and the
/// criterion's evidence read-only, a capped memory file system to work in, no network, the
/// criterion's limits. Anything wrong with the plugin is a grader error naming it, never a low
/// level for the candidate.
public struct CommandEvaluator: Evaluator {
  let configuration: CommandConfiguration

  public init(configuration: CommandConfiguration) {
    self.configuration = configuration
  }

  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    let name = configuration.run
    let outside =
      configuration.trusted && input.context.trustPlugins && configuration.interface == .mastery1
    let sandbox: any CommandSandbox = outside ? UnconfinedRunner() : input.context.sandbox
    let run: PluginRun
    do {
      run = try PluginRun(sandbox: sandbox, bytes: input.evidence.flatMap(\.files).reduce(0) { $0 + $1.bytes })
    } catch {
      return .error("the plugin \(name) could not be prepared: \(error)")
    }
    defer { run.remove() }
    let rubricDirectory = (input.rubric.path as NSString).deletingLastPathComponent
    let request: PluginProtocol.Request
    do {
      try run.copyPlugin(from: (rubricDirectory as NSString).appendingPathComponent(configuration.pluginFolder))
      request = try run.copyEvidence(input, configuration: configuration, inside: !outside)
      try run.write(request)
      run.handOver()
    } catch {
      return .error("the plugin \(name) could not be prepared: \(error)")
    }
    let result = await sandbox.run(run.sandboxRun(configuration))
    switch result.termination {
    case .unavailable(let reason):
      return .error("the sandbox is unavailable for the plugin \(name): \(reason)")
    case .timedOut:
      return .error("the plugin \(name) ran past its time limit (\(configuration.timeoutSeconds.compact) s)")
    case .memoryExceeded:
      return .error("the plugin \(name) ran out of memory (limit \(Quantity.describe(bytes: configuration.memoryBytes)))")
    case .outputLimit:
      return .error(
        "the plugin \(name) wrote more than its output limit (\(Quantity.describe(bytes: configuration.outputBytes)))")
    case .killed(let signal):
      return .error("the plugin \(name) was killed by signal \(signal)\(Self.stderr(result))")
    case .completed(let status):
      switch configuration.interface {
      case .mastery1:
        return verdict(mastery1: result, status: status, input: input)
      case .autograderResults:
        guard status == 0 else {
          return .error("the plugin \(name) (run_autograder) exited with status \(status)\(Self.stderr(result))")
        }
        return verdict(autograder: run.results(), input: input)
      }
    }
  }

  /// The last lines of what the plugin wrote on standard error, for the grader-error message.
  static func stderr(_ result: SandboxResult) -> String {
    let text = String(decoding: result.stderr.suffix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "" : "; its standard error ends: \(PluginProtocol.excerpt(text))"
  }

  private func verdict(mastery1 result: SandboxResult, status: Int32, input: EvaluationInput) -> Verdict {
    let name = configuration.run
    guard status == 0 else {
      return .error("the plugin \(name) exited with status \(status) without a result\(Self.stderr(result))")
    }
    let decoded: PluginProtocol.Result
    switch PluginProtocol.decodeResult(result.stdout) {
    case .success(let value): decoded = value
    case .failure(let failure): return .error("the plugin \(name) broke the mastery-1 protocol: \(failure.reason)")
    }
    switch decoded.status {
    case .error: return .error("the plugin \(name) could not judge: \(decoded.message ?? "")")
    case .pending: return .pending(decoded.message ?? "waiting")
    case .scored: break
    }
    var feedback = (decoded.feedback ?? []).map { line in
      [line.file, line.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        + (line.file == nil ? "" : ": ") + line.text
    }
    for test in decoded.tests ?? [] where test.outcome == "failed" || test.outcome == "error" {
      feedback.append("\(test.name): \(test.outcome)" + (test.message.map { ": \($0)" } ?? ""))
    }
    let level: String
    if let named = decoded.level {
      guard input.rubric.level(named) != nil else {
        return .error(
          "the plugin \(name) gave level '\(named)', which the rubric does not define (\(input.rubric.levels.map(\.id).joined(separator: ", ")))"
        )
      }
      level = named
    } else if let points = decoded.points, let maxPoints = decoded.maxPoints {
      guard let mapping = configuration.mapping else {
        return .error(
          "the plugin \(name) gave points, but the rubric has no <level-at score=\"...\"/> to turn them into a level")
      }
      level = mapping.level(count: points, of: maxPoints)
    } else {
      return .error("the plugin \(name) gave neither a level nor points")
    }
    let summary =
      decoded.summary
      ?? decoded.points.map { points in "\(points.compact) of \((decoded.maxPoints ?? 0).compact) points" }
    return .scored(level, summary: summary, feedback: feedback)
  }

  private func verdict(autograder read: Result<AutograderResults, PluginFailure>, input: EvaluationInput) -> Verdict {
    let name = configuration.run
    let results: AutograderResults
    switch read {
    case .success(let value): results = value
    case .failure(let failure): return .error("the autograder \(name) \(failure.reason)")
    }
    let tests = results.tests ?? []
    let maximum = tests.compactMap(\.maxScore).reduce(0, +)
    guard maximum > 0 else {
      return .error(
        "the autograder \(name) gave no tests with a max_score, so its score cannot be turned into a share")
    }
    let score = results.score ?? tests.compactMap(\.score).reduce(0, +)
    guard score.isFinite, score >= 0 else { return .error("the autograder \(name) gave a score of \(score)") }
    guard let mapping = configuration.mapping else {
      return .error("the autograder \(name) needs <level-at score=\"...\"/> steps in the rubric")
    }
    // Hidden, after_due_date and after_published tests count but are not shown: the engine
    // decides at once, so "later" never comes.
    var feedback: [String] = []
    var hidden = 0
    for test in tests {
      let visibility = test.visibility ?? results.visibility ?? "visible"
      guard visibility == "visible" else {
        hidden += 1
        continue
      }
      let title = test.name ?? test.number ?? "test"
      var line = "\(title): \((test.score ?? 0).compact) of \((test.maxScore ?? 0).compact)"
      if let output = test.output?.trimmingCharacters(in: .whitespacesAndNewlines), !output.isEmpty {
        line += ": " + output
      }
      feedback.append(line)
    }
    if hidden > 0 { feedback.append("\(plural(hidden, "hidden test")) also counted.") }
    if let output = results.output?.trimmingCharacters(in: .whitespacesAndNewlines), !output.isEmpty,
      (results.visibility ?? "visible") == "visible"
    {
      feedback.insert(output, at: 0)
    }
    return .scored(
      mapping.level(count: score, of: maximum), summary: "\(score.compact) of \(maximum.compact) points",
      feedback: feedback)
  }
}

/// The private folder of one plugin run: `plugin` (a copy of the plugin's folder), `evidence`
/// (the criterion's evidence, by item), `in` (the request), `work` (the plugin's working folder:
/// inside the sandbox a capped memory file system) and `out` (an autograder's `results.json`).
final class PluginRun: Sendable {
  let root: String
  let runUID: UInt32?
  private let sandbox: any CommandSandbox

  init(sandbox: any CommandSandbox, bytes: Int? = nil) throws {
    self.sandbox = sandbox
    (root, runUID) = try SandboxFolder.makeRun(
      prefix: "mastery-plugin", sandbox: sandbox, folders: ["plugin", "evidence", "in", "work", "out"], bytes: bytes)
  }

  func remove() {
    SandboxFolder.removeTree(root)
    sandbox.releaseUID(runUID)
  }

  func copyPlugin(from folder: String) throws {
    try SandboxFolder.copyTree(folder, to: "\(root)/plugin")
  }

  /// Copies each evidence item's files to `evidence/ITEM/` (a folder's contents, or the file by
  /// its name) and says where they are in the request.
  ///
  /// - Parameter inside: true when the plugin runs in the sandbox (paths under `/box`), false for
  ///   a trusted plugin run outside it (host paths).
  func copyEvidence(_ input: EvaluationInput, configuration: CommandConfiguration, inside: Bool) throws
    -> PluginProtocol.Request
  {
    var evidence: [PluginProtocol.Request.Evidence] = []
    for item in input.evidence {
      var entry = PluginProtocol.Request.Evidence(
        item: item.item.id, kind: item.item.kind.rawValue, present: item.isPresent, path: nil, url: nil, files: [])
      if case .url(let url) = item.state { entry.url = url }
      if item.isPresent, let itemPath = item.path, item.item.kind != .url {
        let base = (inside ? "/box/evidence" : "\(root)/evidence") + "/\(item.item.id)"
        try FileManager.default.createDirectory(
          atPath: "\(root)/evidence/\(item.item.id)", withIntermediateDirectories: true)
        entry.path = item.item.kind == .folder ? base : base + "/" + (itemPath as NSString).lastPathComponent
        for file in item.files {
          let relative =
            item.item.kind == .folder && file.path.hasPrefix(itemPath + "/")
            ? String(file.path.dropFirst(itemPath.count + 1)) : (file.path as NSString).lastPathComponent
          let target = "\(root)/evidence/\(item.item.id)/\(relative)"
          try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
          try FileManager.default.copyItem(
            atPath: (input.submission.folder as NSString).appendingPathComponent(file.path), toPath: target)
          entry.files.append(.init(path: base + "/" + relative, name: file.path, sha256: file.sha256, bytes: file.bytes))
        }
      }
      evidence.append(entry)
    }
    let criterion = input.criterion
    let required = PolicyEvaluation.requirements(of: input.rubric)[criterion.id]
    return PluginProtocol.Request(
      protocol: PluginProtocol.version,
      criterion: .init(
        id: criterion.id, title: criterion.title, weight: criterion.weight,
        levels: input.rubric.levels.map {
          .init(id: $0.id, label: $0.label, score: $0.score, descriptor: criterion.descriptor(for: $0.id)?.text)
        }, requiredLevel: required?.id),
      configuration: .init(attributes: configuration.pluginAttributes, elements: configuration.pluginElements),
      evidence: evidence, credential: input.rubric.id, candidate: input.submission.candidate.id,
      attempt: input.submission.attempt)
  }

  func write(_ request: PluginProtocol.Request) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(request).write(to: URL(fileURLWithPath: "\(root)/in/request.json"))
  }

  /// Everything readable by the run's uid; `work` its own; `out/results.json` the one file it may
  /// write outside its working folder.
  func handOver() {
    SandboxFolder.handOver("\(root)/plugin", keepExecutable: true)
    for folder in ["evidence", "in"] { SandboxFolder.handOver("\(root)/\(folder)") }
    SandboxFolder.handOver("\(root)/work", to: runUID)
    FileManager.default.createFile(atPath: "\(root)/out/results.json", contents: nil)
    SandboxFolder.handOver("\(root)/out")
    SandboxFolder.handOver("\(root)/out/results.json", to: runUID)
  }

  func sandboxRun(_ configuration: CommandConfiguration) -> SandboxRun {
    let program = (configuration.run as NSString).lastPathComponent
    let common = [
      SandboxMount(source: "\(root)/plugin", target: "/box/plugin"),
      SandboxMount(source: "\(root)/evidence", target: "/box/evidence"),
      SandboxMount(source: "\(root)/in", target: "/box/in"),
    ]
    let environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"]
    switch configuration.interface {
    case .mastery1:
      return SandboxRun(
        command: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < /box/in/request.json", "/box/plugin/\(program)"]
          + configuration.arguments,
        mounts: common + [
          SandboxMount(source: "\(root)/work", target: "/box/work", capacity: configuration.workingCopyBytes)
        ],
        workingDirectory: "/box/work", environment: environment, limits: configuration.limits, uid: runUID)
    case .autograderResults:
      // Gradescope's layout: the autograder's files in /autograder/source, the submission's in
      // /autograder/submission, run_autograder at /autograder, results in /autograder/results.
      let setup = """
        mkdir -p /autograder/source /autograder/submission && cp -R /box/plugin/. /autograder/source/ \
        && for item in /box/evidence/*/; do [ -d "$item" ] && cp -R "$item". /autograder/submission/; done; \
        cp /autograder/source/\(program) /autograder/run_autograder && chmod +x /autograder/run_autograder \
        && cd /autograder && exec /autograder/run_autograder
        """
      return SandboxRun(
        command: ["/bin/sh", "-c", setup],
        mounts: common + [
          SandboxMount(source: "\(root)/work", target: "/autograder", capacity: configuration.workingCopyBytes),
          SandboxMount(source: "\(root)/out", target: "/autograder/results", writable: true),
        ],
        workingDirectory: "/box/plugin", environment: environment, limits: configuration.limits, uid: runUID)
    }
  }

  /// The autograder's `results/results.json`.
  func results() -> Result<AutograderResults, PluginFailure> {
    guard let data = FileManager.default.contents(atPath: "\(root)/out/results.json"), !data.isEmpty else {
      return .failure(PluginFailure("wrote no results/results.json"))
    }
    guard data.count <= 16 << 20 else { return .failure(PluginFailure("wrote a results.json over 16 MiB")) }
    do {
      return .success(try JSONDecoder().decode(AutograderResults.self, from: data))
    } catch {
      return .failure(PluginFailure("wrote a results.json that is not Gradescope's format: \(error)"))
    }
  }
}
