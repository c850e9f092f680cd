import ArgumentParser
import Foundation
import MasteryKit

extension FindingsReport.Format: ExpressibleByArgument {}

struct Validate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check rubric files: XML, schema and meaning, with line-numbered findings.",
    discussion: """
      Folders are searched for rubric.xml and other *.xml files with a <microcredential> root. \
      Exits 0 when every rubric is valid, 3 when any has an error (with --strict, any warning).
      """)

  @Argument(help: "Rubric files or folders.", completion: .file())
  var paths: [String]

  @Option(help: "Output: text, json, sarif (2.1.0) or github (workflow commands).")
  var format: FindingsReport.Format = .text

  @Flag(help: "Treat warnings as errors.")
  var strict = false

  @Option(help: "Rubrics validated at once (default: the number of cores).")
  var jobs: Int?

  @Flag(name: .customLong("no-run"), help: "Run nothing: skip running the author's tests on the reference solution.")
  var noRun = false

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() async throws {
    let validation = try RubricValidation()
    let candidates = RubricValidation.discover(paths)
    var loads = await validation.load(candidates, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    if !noRun {
      // What the tests are, and how they did on the reference, is kept in the ledger when there is
      // one already (validate never creates it), so grading does not run them again.
      let cache = FileManager.default.fileExists(atPath: ledger.path) ? try? SQLiteLedger(path: ledger.path) : nil
      loads = await RubricValidation.runChecks(
        loads, sandbox: BubblewrapSandbox(), cache: cache, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }
    if loads.isEmpty {
      Output.error("no rubric files found in \(paths.joined(separator: ", "))")
      throw ExitStatus.invalidInput.exitCode
    }
    var report = FindingsReport(
      files: loads.map {
        FindingsReport.File(path: $0.path, rubricID: $0.rubric?.id, version: $0.rubric?.version, findings: $0.findings)
      })
    if strict { report = report.strict() }
    Output.write(report.render(format))
    if format == .text { Output.error(report.summary) }
    if !report.isValid { throw ExitStatus.invalidInput.exitCode }
  }
}
