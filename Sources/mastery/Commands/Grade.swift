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
      3 for invalid input, 4 when the grader failed (the most severe wins; 4 over 3); --fail-on narrows this.
      """)

  @Argument(help: "Submission folders, manifests, or folders of submissions.", completion: .file())
  var submissions: [String]

  @Option(
    help: "Output: text, json, junit, markdown, github (workflow annotations), or html (the candidate's feedback page)."
  )
  var format: GradeFormat = .text

  @Option(help: "Write the report to this file instead of standard output.", completion: .file())
  var output: String?

  @OptionGroup var options: GradingOptions

  func run() async throws {
    let sink = try OutputSink.opening(output)
    let run = try await options.prepare(submissions)
    let colour =
      format == .text && output == nil && isatty(STDOUT_FILENO) == 1
      && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    var writer = format.writer(colour: colour)
    var statuses = Set<Int32>()
    // In GitHub Actions, a Markdown summary is appended to the job's step summary too.
    var summary = MarkdownSummaryWriter()
    var summaryText = StepSummary.path == nil ? "" : summary.begin()
    do {
      try sink.write(writer.begin())
      try await run.session.grade(
        run.paths, jobs: run.jobs, ledger: run.store, reuse: false, finished: { try await run.record($0) }
      ) { item in
        statuses.insert(item.report.exitStatus)
        try sink.write(writer.write(item.report))
        if StepSummary.path != nil { summaryText += summary.write(item.report) }
      }
      try await run.flush()
      try sink.write(writer.end())
      try sink.finish()
    } catch let failure as OutputFailure {
      // The report is lost, but every decision graded so far still reaches the ledger.
      try await run.flush()
      Output.error("error: \(failure)")
      throw ExitStatus.graderError.exitCode
    }
    if StepSummary.path != nil { StepSummary.append(summaryText + summary.end()) }
    let status = options.exitStatus(statuses)
    if status != 0 { throw ExitCode(status) }
  }
}
