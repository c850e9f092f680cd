import ArgumentParser
import Foundation
import MasteryKit

struct Review: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Record a reviewer's levels and feedback for a submission's reviewer criteria.",
    discussion: """
      Every --score is checked before anything is saved: a level that does not exist, a criterion that reviewers \
      do not judge, or a criterion this reviewer already scored (without --revise) saves nothing and exits 3. \
      A saved review is on disk when its line is printed. Reviews are never changed: --revise adds one that \
      supersedes the old, which stays in `mastery history`.
      """)

  @Argument(help: "The submission folder (or its submission.xml).", completion: .directory)
  var submission: String

  @Option(help: "Who is reviewing (an id such as an email address).")
  var reviewer: String

  @Option(help: "CRITERION=LEVEL, the level by id, label or number (1 = lowest). Repeatable.")
  var score: [String] = []

  @Option(help: "CRITERION=TEXT, feedback for the candidate. Repeatable.")
  var feedback: [String] = []

  @Flag(help: "Replace this reviewer's earlier review of the criteria scored (the old ones stay in the history).")
  var revise = false

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if score.isEmpty {
      throw ValidationError(
        "give at least one --score CRITERION=LEVEL (the interactive review in a terminal is not available yet)")
    }
    if reviewer.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reviewer cannot be empty") }
  }

  func run() async throws {
    let target = try await ReviewTarget.load(submission, rubrics: rubrics)
    var entries: [ReviewEntry] = []
    do {
      let notes = Dictionary(try pairs(feedback, option: "feedback"), uniquingKeysWith: { $1 })
      let scores = try pairs(score, option: "score")
      for criterion in notes.keys where !scores.contains(where: { $0.0 == criterion }) {
        throw ValidationError("--feedback for '\(criterion)' without a --score for it")
      }
      var seen = Set<String>()
      for (criterionID, levelText) in scores {
        guard seen.insert(criterionID).inserted else { throw ValidationError("'\(criterionID)' is scored twice") }
        let criterion = try target.reviewerCriterion(criterionID)
        let level = try target.level(levelText)
        entries.append(
          ReviewEntry(
            submission: target.key, criterion: criterion.id, reviewer: reviewer, level: level.id,
            feedback: notes[criterion.id], rubricVersion: target.rubric.version))
      }
    } catch let error as ValidationError {
      Output.error("error: \(error.message)")
      throw ExitStatus.invalidInput.exitCode
    }
    let store = try ledger.open()
    // Check every criterion before saving any, so a refused review changes nothing.
    for entry in entries {
      let mine = try Self.check { try store.current(entry.submission, criterion: entry.criterion) }
        .filter { $0.reviewer == reviewer && $0.kind == .review }
      if !mine.isEmpty, !revise {
        Output.error(
          "error: \(LedgerError.alreadyReviewed(reviewer: reviewer, criterion: entry.criterion, submission: entry.submission.description, id: mine[0].id))"
        )
        throw ExitStatus.invalidInput.exitCode
      }
      if mine.isEmpty, revise {
        Output.error(
          "error: \(LedgerError.nothingToRevise(reviewer: reviewer, criterion: entry.criterion, submission: entry.submission.description))"
        )
        throw ExitStatus.invalidInput.exitCode
      }
    }
    for entry in entries {
      let record = try Self.check { try store.add(entry, revise: revise) }
      let label = target.rubric.level(record.level)?.label ?? record.level
      let superseding = record.supersedes.map { ", replacing #\($0)" } ?? ""
      Output.write(
        "saved review #\(record.id): \(record.criterion) = \(label) by \(record.reviewer) for \(record.submission)\(superseding)\n"
      )
    }
  }

  /// Runs a ledger call, turning its failure into a message and the right exit status.
  static func check<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as LedgerError {
      Output.error("error: \(error)")
      if case .unusable = error { throw ExitStatus.graderError.exitCode }
      throw ExitStatus.invalidInput.exitCode
    }
  }
}
