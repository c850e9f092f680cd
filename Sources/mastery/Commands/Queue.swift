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
    let store = try ledger.open()
    let items = try Review.check { try store.queue(for: reviewer) }
    if items.isEmpty { Output.write("nothing waits for review\n") }
    for item in items {
      Output.write(
        "\(item.submission)  \(item.criterion) (\(item.title)): \(item.reviewsIn) of \(item.reviewersNeeded) reviews  \(item.path)\n"
      )
    }
  }
}
