import ArgumentParser
import Foundation
import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

extension GradeFormat: ExpressibleByArgument {}

struct Grade: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Grade submissions against their rubrics and decide mastery.",
    discussion: """
      Each SUBMISSION is a folder holding submission.xml, the manifest itself, or a folder searched for \
      submission folders. The rubric is found by the manifest's credential id and version under --rubrics. \
      Exits 0 when every submission earned, 1 when any is not yet, 2 when any waits for review, \
      3 for invalid input, 4 when the grader failed (the most severe wins; 4 over 3).
      """)

  @Argument(help: "Submission folders, manifests, or folders of submissions.", completion: .file())
  var submissions: [String]

  @Option(help: "The folder searched for rubrics.", completion: .directory)
  var rubrics: String = "rubrics"

  @Option(help: "Grade every submission with this rubric file instead.", completion: .file())
  var rubric: String?

  @Option(help: "Output: text, json, junit, markdown, or github (workflow annotations).")
  var format: GradeFormat = .text

  @Option(help: "Grade only shard I of N (1-based), a stable split of the submissions for parallel CI jobs.")
  var shard: String?

  @Option(help: "Write the report to this file instead of standard output.", completion: .file())
  var output: String?

  @Option(help: "Submissions graded at once (default: the number of cores).")
  var jobs: Int?

  @Flag(
    name: .customLong("no-sandbox"),
    help:
      "DANGEROUS: run candidate code without the sandbox, as your own user, with this machine and its network open to it."
  )
  var noSandbox = false

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

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if shard != nil, shardNumbers == nil { throw ValidationError("--shard takes I/N with 1 <= I <= N, e.g. 2/4") }
  }

  func run() async throws {
    let sink: OutputSink
    do {
      sink = try OutputSink(path: output)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    let catalog = try await RubricCatalog(folder: rubrics, rubric: rubric)
    if rubric != nil, let broken = catalog.invalid.first {
      for finding in broken.findings { Output.error(finding.description) }
      Output.error("\(broken.path) is not a valid rubric; fix it first (`mastery validate \(broken.path)`)")
      throw ExitStatus.invalidInput.exitCode
    }
    var paths = GradingSession.discover(submissions)
    let found = paths.count
    if let (index, count) = shardNumbers { paths = GradingSession.shard(paths, index: index, of: count) }
    if paths.isEmpty, found > 0 {
      // An empty shard is not an error: its report is empty.
      Output.error("shard \(shard ?? "") has none of the \(found) submissions found")
    }
    if found == 0 {
      Output.error("no submissions found in \(submissions.joined(separator: ", "))")
      throw ExitStatus.invalidInput.exitCode
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if noSandbox {
      Output.error(
        "warning: --no-sandbox: candidate code runs unconfined, as uid \(getuid()), able to read and change this machine and reach its network. Use it only for code you trust."
      )
    }
    let sandbox: any CommandSandbox = noSandbox ? UnconfinedRunner() : BubblewrapSandbox()
    let store = try ledger.open()
    let context = EvaluationContext(reviews: LedgerReviewSource(ledger: store), sandbox: sandbox)
    let session = try GradingSession(catalog: catalog, grader: Grader(context: context, jobs: cores))
    var recorder = DecisionRecorder(ledger: store, catalog: catalog)
    let colour =
      format == .text && output == nil && isatty(STDOUT_FILENO) == 1
      && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    var writer = format.writer(colour: colour)
    var statuses = Set<Int32>()
    // In GitHub Actions, a Markdown summary is appended to the job's step summary too.
    let stepSummary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
    var summary = MarkdownSummaryWriter()
    var summaryText = stepSummary == nil ? "" : summary.begin()
    sink.write(writer.begin())
    try await session.grade(paths, jobs: jobs ?? cores) { report in
      statuses.insert(report.exitStatus)
      sink.write(writer.write(report))
      if stepSummary != nil { summaryText += summary.write(report) }
      try recorder.add(report)
    }
    try recorder.flush()
    sink.write(writer.end())
    try sink.finish()
    if let stepSummary {
      summaryText += summary.end()
      if let handle = FileHandle(forWritingAtPath: stepSummary)
        ?? {
          FileManager.default.createFile(atPath: stepSummary, contents: nil)
            ? FileHandle(forWritingAtPath: stepSummary) : nil
        }()
      {
        handle.seekToEndOfFile()
        handle.write(Data((summaryText + "\n").utf8))
        try? handle.close()
      } else {
        Output.error("warning: cannot append to GITHUB_STEP_SUMMARY (\(stepSummary))")
      }
    }
    let status = GradeReport.combinedExitStatus(Array(statuses))
    if status != 0 { throw ExitCode(status) }
  }
}
