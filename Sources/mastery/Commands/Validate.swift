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

  @Option(
    help: ArgumentHelp(
      "An earlier version of the rubric: list what the new version breaks for candidates graded under it, and check that the version number says so.",
      valueName: "OLD_RUBRIC"), completion: .file())
  var against: String?

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
    if let against { loads = try compare(loads, with: against) }
    var report = FindingsReport(
      files: loads.map {
        FindingsReport.File(path: $0.path, rubricID: $0.rubric?.id, version: $0.rubric?.version, findings: $0.findings)
      })
    if strict { report = report.strict() }
    Output.write(report.render(format))
    if format == .text { Output.error(report.summary) }
    if !report.isValid { throw ExitStatus.invalidInput.exitCode }
  }

  /// Each rubric's findings with what it breaks against `oldPath`'s version, and the earned
  /// decisions in the ledger (when there is one) that its policy would no longer grant.
  private func compare(_ loads: [RubricLoad], with oldPath: String) throws -> [RubricLoad] {
    let old = try RubricLoader().load(oldPath)
    guard let oldRubric = old.rubric, old.isValid else {
      for finding in old.findings { Output.error(finding.description) }
      Output.error("error: --against \(oldPath) is not a valid rubric; fix it first (`mastery validate \(oldPath)`)")
      throw ExitStatus.invalidInput.exitCode
    }
    let store = FileManager.default.fileExists(atPath: ledger.path) ? try? SQLiteLedger(readingAt: ledger.path) : nil
    return loads.map { load in
      guard let rubric = load.rubric else { return load }
      var compared = load
      let sameFile = FileManager.default.contentsEqual(atPath: oldPath, andPath: load.path)
      let comparison = RubricComparison(old: oldRubric, new: rubric, sameFile: sameFile)
      compared.findings += comparison.findings
      if let rows = try? store?.gradebook(credential: rubric.id) {
        let lost = RubricComparison.earnedDecisionsLost(rows, oldVersion: oldRubric.version, new: rubric)
        if !lost.isEmpty {
          let names = lost.prefix(5).map(\.description).joined(separator: ", ") + (lost.count > 5 ? ", ..." : "")
          compared.findings.append(
            Finding(
              rule: RubricComparison.breakingChange,
              message:
                "\(lost.count) earned \(lost.count == 1 ? "decision" : "decisions") graded under \(oldRubric.version) in \(ledger.path) would not meet this version's policy: \(names)",
              at: rubric.policy.location))
        }
      }
      return compared
    }
  }
}
