import ArgumentParser
import MasteryKit

struct History: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Every review and adjudication of a submission, oldest first, superseded ones included.")

  @Argument(help: "The submission folder (or its submission.xml).", completion: .directory)
  var submission: String

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    let target = try await ReviewTarget.load(submission, rubrics: rubrics)
    let store = try ledger.openForReading()
    let records = try Review.check { try store.history(target.key) }
    let superseded = Dictionary(
      records.compactMap { record in record.supersedes.map { ($0, record.id) } }, uniquingKeysWith: { $1 })
    if records.isEmpty { Output.write("no reviews of \(target.key)\n") }
    for record in records {
      let label = target.rubric.level(record.level)?.label ?? record.level
      var line =
        "#\(record.id) \(record.recordedAt) \(record.reviewer) \(record.kind == .adjudication ? "adjudicated" : "reviewed") \(record.criterion) = \(label)"
      if let feedback = record.feedback { line += ": \(feedback)" }
      if let reason = record.reason { line += " (reason: \(reason))" }
      if let later = superseded[record.id] { line += " [superseded by #\(later)]" }
      Output.write(line + "\n")
    }
  }
}
