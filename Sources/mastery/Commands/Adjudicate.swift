import ArgumentParser
import MasteryKit

struct Adjudicate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Record the final level of a disputed reviewer criterion, with the reason.",
    discussion: "An adjudication outranks the reviews of the criterion; the reviews stay in the history.")

  @Argument(help: "The submission folder (or its submission.xml).", completion: .directory)
  var submission: String

  @Option(help: "Who is adjudicating.")
  var reviewer: String

  @Option(help: "CRITERION=LEVEL, the level by id, label or number (1 = lowest).")
  var score: String

  @Option(help: "Why this level: the candidate sees it.")
  var reason: String

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason cannot be empty") }
    try checkReviewer(reviewer)
  }

  func run() async throws {
    let target = try await ReviewTarget.load(submission, rubrics: rubrics)
    let entry: ReviewEntry
    do {
      guard let (criterionID, levelText) = try pairs([score], option: "score").first else { return }
      let criterion = try target.reviewerCriterion(criterionID)
      let level = try target.level(levelText)
      entry = ReviewEntry(
        submission: target.key, criterion: criterion.id, reviewer: reviewer, level: level.id, kind: .adjudication,
        reason: reason, rubricVersion: target.rubric.version)
    } catch let error as ValidationError {
      Output.error("error: \(error.message)")
      throw ExitStatus.invalidInput.exitCode
    }
    let store = try ledger.open()
    let record = try Review.check { try store.add(entry, revise: false) }
    let label = target.rubric.level(record.level)?.label ?? record.level
    Output.write(
      "saved adjudication #\(record.id): \(record.criterion) = \(label) by \(record.reviewer) for \(record.submission)\n"
    )
  }
}
