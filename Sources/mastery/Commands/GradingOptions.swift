import ArgumentParser
import Foundation
import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

/// The options `grade` and `batch` share: where rubrics are, how many at once, which shard, the
/// sandbox, the ledger, and which decisions fail the run.
struct GradingOptions: ParsableArguments {
  @OptionGroup var rubrics: RubricOptions

  // .unconditional: "-1/2" is a (wrong) value to explain, not an unknown option.
  @Option(
    parsing: .unconditional,
    help: "Grade only shard I of N (1-based), a stable split of the submissions for parallel CI jobs.")
  var shard: String?

  @Option(parsing: .unconditional, help: "Submissions graded at once (default: the number of cores).")
  var jobs: Int?

  @Option(
    name: .customLong("fail-on"),
    help: ArgumentHelp(
      "Decisions that make the exit status non-zero: a comma-separated list of not-yet, pending, invalid, error, or all (the default) or none.",
      valueName: "DECISIONS"))
  var failOn: String = "all"

  @Flag(
    name: .customLong("no-sandbox"),
    help:
      "DANGEROUS: run candidate code without the sandbox, as your own user, with this machine and its network open to it."
  )
  var noSandbox = false

  @Flag(
    name: .customLong("trust-plugins"),
    help: "Run the plugins whose rubric marks them trusted=\"true\" outside the sandbox (a warning is printed).")
  var trustPlugins = false

  @Option(
    name: .customLong("python-runner"),
    help: ArgumentHelp(
      "How python-tests runs start: warm (the default: forked from a sandboxed Python that has imported pytest, where this machine passes its self-check; else fresh, with the reason printed once) or fresh (a new sandbox and interpreter for every run).",
      valueName: "warm|fresh"))
  var pythonRunner: PythonRunner = .warm

  @OptionGroup var ledger: LedgerOptions

  /// `--shard I/N` as numbers.
  var shardNumbers: (index: Int, count: Int)? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      (1...count).contains(index)
    else { return nil }
    return (index, count)
  }

  /// The exit statuses `--fail-on` lets through (0 always does).
  var failingStatuses: Set<Int32>? {
    let names = failOn.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let statuses: [String: Int32] = ["not-yet": 1, "pending": 2, "invalid": 3, "error": 4]
    if names == ["all"] { return [1, 2, 3, 4] }
    if names == ["none"] { return [] }
    var chosen = Set<Int32>()
    for name in names {
      guard let status = statuses[name] else { return nil }
      chosen.insert(status)
    }
    return chosen.isEmpty ? nil : chosen
  }

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
    if let shard, shardNumbers == nil {
      throw ValidationError("--shard takes I/N with 1 <= I <= N, e.g. 2/4, not '\(shard)'")
    }
    if failingStatuses == nil {
      throw ValidationError(
        "--fail-on takes all, none, or a comma-separated list of not-yet, pending, invalid, error (e.g. invalid,error)")
    }
  }

  /// The run's exit status: the most severe of `statuses` that `--fail-on` names, else 0.
  func exitStatus(_ statuses: Set<Int32>) -> Int32 {
    let failing = failingStatuses ?? [1, 2, 3, 4]
    return GradeReport.combinedExitStatus(statuses.filter { failing.contains($0) })
  }

  /// Everything a grading run needs, set up from the options.
  struct Run {
    var session: GradingSession
    var store: SQLiteLedger
    var writer: DecisionWriter
    var paths: [String]
    var jobs: Int
  }

  /// Loads the rubrics, finds (and shards) the submissions, opens the ledger and the sandbox.
  ///
  /// - Throws: an exit code after printing why, when the rubric, the submissions or the ledger cannot be used.
  func prepare(_ submissions: [String]) async throws -> Run {
    let catalog = try await RubricCatalog(folder: rubrics.rubrics, rubric: rubrics.rubric)
    if rubrics.rubric != nil, let broken = catalog.invalid.first {
      for finding in broken.findings { Output.error(finding.description) }
      Output.error("\(broken.path) is not a valid rubric; fix it first (`mastery validate \(broken.path)`)")
      throw ExitStatus.invalidInput.exitCode
    }
    var paths = GradingSession.discover(submissions)
    let found = paths.count
    if found == 0 {
      Output.error("no submissions found in \(submissions.joined(separator: ", "))")
      throw ExitStatus.invalidInput.exitCode
    }
    if let (index, count) = shardNumbers { paths = GradingSession.shard(paths, index: index, of: count) }
    if paths.isEmpty {
      // An empty shard is not an error: its report is empty.
      Output.error("shard \(shard ?? "") has none of the \(found) submissions found")
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if noSandbox {
      Output.error(
        "warning: --no-sandbox: candidate code runs unconfined, as uid \(getuid()), able to read and change this machine and reach its network. Use it only for code you trust."
      )
    }
    let sandbox = pythonRunner.sandbox(noSandbox: noSandbox)
    let store = try ledger.open()
    var context = EvaluationContext(reviews: LedgerReviewSource(ledger: store), sandbox: sandbox, suiteCache: store)
    if trustPlugins {
      context.trustPlugins = true
      Output.error(
        "warning: --trust-plugins: plugins whose rubric says trusted=\"true\" run outside the sandbox, as uid \(getuid()), able to read and change this machine and reach its network"
      )
    }
    let session = try GradingSession(catalog: catalog, grader: Grader(context: context, jobs: cores))
    return Run(
      session: session, store: store,
      writer: DecisionWriter(recorder: DecisionRecorder(ledger: store, catalog: catalog)),
      paths: paths,
      jobs: jobs ?? cores)
  }
}

extension GradingOptions.Run {
  /// Queues a finished submission's decision for the ledger.
  ///
  /// - Throws: exit status 4 after printing the ledger's problem.
  func record(_ item: GradedSubmission) async throws {
    do {
      if let refusal = item.refusal { try store.record(refusal) }
      guard let recorded = item.recorded else { return }
      try await writer.add(recorded)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }

  /// Writes what is still queued.
  func flush() async throws {
    do {
      try await writer.finish()
      try store.checkpoint()
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }
}

/// Appends Markdown to the GitHub Actions step summary named by `GITHUB_STEP_SUMMARY`, if set.
enum StepSummary {
  static var path: String? {
    ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
  }

  static func append(_ text: String) {
    guard let path else { return }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      Output.error("warning: cannot append to GITHUB_STEP_SUMMARY (\(path)): \(String(cString: strerror(errno)))")
      return
    }
    defer { close(descriptor) }
    let code = Output.writeAll(text + "\n", to: descriptor)
    if code != 0 {
      Output.error("warning: \(OutputFailure(destination: "GITHUB_STEP_SUMMARY (\(path))", code: code))")
    }
  }

}

/// `--python-runner`.
enum PythonRunner: String, ExpressibleByArgument, CaseIterable {
  case warm, fresh

  /// The sandbox runs go to: unconfined with `--no-sandbox`, else bubblewrap, with warm Python
  /// servers unless `fresh` was asked for.
  func sandbox(noSandbox: Bool) -> any CommandSandbox {
    if noSandbox { return UnconfinedRunner() }
    if self == .fresh { return BubblewrapSandbox() }
    return WarmPythonSandbox(notice: { Output.error("note: \($0)") })
  }
}
