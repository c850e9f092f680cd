import ArgumentParser
import Foundation
import MasteryKit

struct Merge: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the reports or ledgers of several runs (the shards of one cohort) into one.",
    discussion: """
      All inputs must be of one kind, judged by their content: JSON reports (--format json of grade or batch) \
      become one JSON report, JUnit reports one JUnit report (totals counted again), in the order given. \
      Ledgers are merged into the ledger named by --output (created when missing; a ledger merged twice adds \
      nothing the second time); the inputs are only read.
      """)

  @Argument(help: "The reports or ledgers to combine.", completion: .file())
  var inputs: [String]

  @Option(help: "Write here instead of standard output (required for ledgers: the ledger merged into).")
  var output: String?

  func run() async throws {
    let kind: ReportMerger.Kind
    do {
      kind = try ReportMerger.kind(of: inputs)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    if kind == .ledger {
      try mergeLedgers()
      return
    }
    let sink = try OutputSink.opening(output)
    do {
      switch kind {
      case .json: try ReportMerger.mergeJSON(inputs, write: sink.write)
      case .junit: try ReportMerger.mergeJUnit(inputs, write: sink.write)
      case .ledger: break
      }
      try sink.finish()
    } catch let failure as OutputFailure {
      Output.error("error: \(failure)")
      throw ExitStatus.graderError.exitCode
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
  }

  private func mergeLedgers() throws {
    guard let output else {
      Output.error("error: merging ledgers needs --output LEDGER, the ledger to merge them into")
      throw ExitStatus.invalidInput.exitCode
    }
    let target: SQLiteLedger
    do {
      target = try SQLiteLedger(path: output)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
    let outputFile = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
    for input in inputs {
      if URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath() == outputFile {
        Output.error("\(input): is the --output ledger itself; skipped")
        continue
      }
      do {
        let added = try target.merge(from: input)
        Output.error(
          "\(input): \(added.submissions) submissions, \(added.decisions) decisions, \(added.reviews) reviews added")
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
    do {
      try target.checkpoint()
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }
}
