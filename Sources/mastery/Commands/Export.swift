import ArgumentParser
import Foundation
import MasteryKit

struct Export: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a gradebook from the ledger: each submission's latest decision and its criteria's levels.",
    discussion: """
      CSV (RFC 4180, CRLF line ends) with the columns candidate_id, candidate_name, credential, version, attempt, \
      decision, total_percent, points, maximum, graded_at, then one column per criterion (its level id, or pending \
      or error). Cells a spreadsheet would run as a formula are prefixed with '.
      """)

  enum Format: String, ExpressibleByArgument {
    case csv
  }

  @Option(help: "Output: csv.")
  var format: Format = .csv

  @Option(help: "Only this credential.")
  var credential: String?

  @Option(help: "Write to this file instead of standard output.", completion: .file())
  var output: String?

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    let store = try ledger.openForReading()
    let rows = try Review.check { try store.gradebook(credential: credential) }
    let sink = try OutputSink.opening(output)
    do {
      try sink.write(GradebookCSV.render(rows))
      try sink.finish()
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }
}
