import ArgumentParser
import MasteryKit

struct Queue: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Reviewer criteria waiting for reviews, oldest submission first (as of the last `mastery grade`).",
    discussion: "With --reviewer, criteria that reviewer has already scored on a submission are left out.")

  @Option(help: "Leave out what this reviewer has already scored.")
  var reviewer: String?

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    let store = try ledger.openForReading()
    let items = try Review.check { try store.queue(for: reviewer) }
    if items.isEmpty { Output.write("nothing waits for review\n") }
    for item in items {
      var notes: [String] = []
      if item.needsAdjudication { notes.append("needs adjudication: the reviews disagree (`mastery adjudicate`)") }
      if item.decision == Decision.Outcome.notYet.rawValue {
        notes.append("already not yet: reviewed for feedback only")
      }
      let marks = notes.isEmpty ? "" : "  [" + notes.joined(separator: "; ") + "]"
      Output.write(
        "\(item.submission)  \(item.criterion) (\(item.title)): \(item.reviewsIn) of \(item.reviewersNeeded) reviews\(marks)  \(item.path)\n"
      )
    }
  }
}
