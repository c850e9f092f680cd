import ArgumentParser
import Foundation
import MasteryKit

struct Export: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a gradebook from the ledger: each candidate's standing decision and its criteria's levels.",
    discussion: """
      One row per candidate and credential: the decision of the candidate's latest attempt, which the rubric's \
      attempts policy made from every attempt (--all-attempts: a row per attempt). CSV (RFC 4180, CRLF line ends) \
      with the columns candidate_id, candidate_name, credential, version, attempt, decision, total_percent, points, \
      maximum, graded_at, then one column per criterion (its level id, or pending or error). Cells a spreadsheet \
      would run as a formula are prefixed with '.
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

  @Flag(help: "A row for every attempt, not only each candidate's standing decision.")
  var allAttempts = false

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    let store = try ledger.openForReading()
    var rows = try Review.check { try store.gradebook(credential: credential) }
    if !allAttempts {
      // The ledger orders rows by credential, candidate and attempt: keep each candidate's last.
      rows = rows.enumerated().filter { index, row in
        index + 1 == rows.count || rows[index + 1].submission.credential != row.submission.credential
          || rows[index + 1].submission.candidate != row.submission.candidate
      }.map(\.element)
    }
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
