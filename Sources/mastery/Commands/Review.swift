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
  var submission: String?

  @Option(help: "Who is reviewing (an id such as an email address).")
  var reviewer: String?

  @Option(
    name: .customLong("import"),
    help: "Save the reviews of a review document (urn:mastery:review:1) instead; all are checked first.",
    completion: .file())
  var importPath: String?

  @Flag(help: "Write the ledger's reviews (of SUBMISSION, or of --credential, or all) as a review document.")
  var export = false

  @Option(help: "With --export: only this credential.")
  var credential: String?

  @Option(help: "CRITERION=LEVEL, the level by id, label or number (1 = lowest). Repeatable.")
  var score: [String] = []

  @Option(help: "CRITERION=TEXT, feedback for the candidate. Repeatable.")
  var feedback: [String] = []

  @Flag(help: "Replace this reviewer's earlier review of the criteria scored (the old ones stay in the history).")
  var revise = false

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if export || importPath != nil {
      if export, importPath != nil { throw ValidationError("--export and --import cannot be used together") }
      if !score.isEmpty || !feedback.isEmpty || revise || reviewer != nil {
        throw ValidationError("--export and --import take no --reviewer, --score, --feedback or --revise")
      }
      if importPath != nil, submission != nil { throw ValidationError("--import takes no SUBMISSION") }
      return
    }
    guard submission != nil else { throw ValidationError("give the SUBMISSION folder to review") }
    guard let reviewer else { throw ValidationError("give --reviewer ID") }
    try checkReviewer(reviewer)
    if score.isEmpty, !InteractiveReview.isTerminal {
      throw ValidationError(
        "give at least one --score CRITERION=LEVEL (without --score, the review is interactive and needs a terminal)")
    }
    if score.isEmpty, !feedback.isEmpty || revise {
      throw ValidationError("--feedback and --revise go with --score")
    }
  }

  func run() async throws {
    if export { return try await exportReviews() }
    if let importPath { return try await importReviews(importPath) }
    guard let submission, let reviewer else { return }
    let target = try await ReviewTarget.load(submission, rubrics: rubrics)
    if score.isEmpty {
      let store = try ledger.open()
      let criteria = target.rubric.criteria.filter { $0.evaluator.kind == ReviewerConfiguration.description.kind }
      let texts = await InteractiveReview.documentTexts(criteria, target: target)
      return try Self.check {
        try InteractiveReview(target: target, reviewer: reviewer, ledger: store, documentTexts: texts).run()
      }
    }
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
    // One transaction: every score given, or none (a refused one, already reviewed or nothing to
    // revise, saves nothing and exits 3).
    let records = try Self.check { try store.add(all: entries.map { ($0, revise) }) }
    for record in records {
      let label = target.rubric.level(record.level)?.label ?? record.level
      let superseding = record.supersedes.map { ", replacing #\($0)" } ?? ""
      Output.write(
        "saved review #\(record.id): \(record.criterion) = \(label) by \(record.reviewer) for \(record.submission)\(superseding)\n"
      )
    }
  }

  private func exportReviews() async throws {
    let store = try ledger.openForReading()
    var records: [ReviewRecord]
    if let submission {
      let target = try await ReviewTarget.load(submission, rubrics: rubrics)
      records = try Self.check { try store.history(target.key) }
    } else {
      records = try Self.check { try store.allReviews(credential: credential) }
    }
    if let credential { records = records.filter { $0.submission.credential == credential } }
    Output.write(ReviewDocument.write(records))
  }

  private func importReviews(_ path: String) async throws {
    let items: [ReviewDocument.Item]
    switch try ReviewDocument.read(path) {
    case .success(let read): items = read
    case .failure(let failure):
      for finding in failure.findings { Output.error(finding.description) }
      Output.error("error: \(path) is not a usable review document; nothing was imported")
      throw ExitStatus.invalidInput.exitCode
    }
    let catalog = try await RubricCatalog(folder: rubrics.rubrics, rubric: rubrics.rubric)
    let store = try ledger.open()
    var problems: [String] = []
    var pending: [String: Int] = [:]
    for item in items {
      let entry = item.entry
      let place = "\(item.location): error:"
      guard let rubric = catalog.rubric(id: entry.submission.credential, version: entry.rubricVersion) else {
        problems.append(
          "\(place) no rubric '\(entry.submission.credential)' version \(entry.rubricVersion) under \(rubrics.rubrics)")
        continue
      }
      guard let criterion = rubric.criterion(entry.criterion),
        criterion.evaluator.kind == ReviewerConfiguration.description.kind
      else {
        problems.append("\(place) '\(entry.criterion)' is not a reviewer criterion of \(rubric.id)")
        continue
      }
      if rubric.level(entry.level) == nil {
        problems.append("\(place) '\(entry.level)' is not a level of \(rubric.id)")
        continue
      }
      guard entry.kind == .review else { continue }
      let slot = "\(entry.submission)\u{0}\(entry.criterion)\u{0}\(entry.reviewer)"
      let existing =
        try Self.check { try store.current(entry.submission, criterion: entry.criterion) }
        .filter { $0.reviewer == entry.reviewer && $0.kind == .review }.count + pending[slot, default: 0]
      if existing > 0, !item.revise {
        problems.append(
          "\(place) \(entry.reviewer) has already reviewed '\(entry.criterion)' of \(entry.submission); add revise=\"true\" to replace it"
        )
      } else if existing == 0, item.revise {
        problems.append(
          "\(place) \(entry.reviewer) has no review of '\(entry.criterion)' of \(entry.submission) to revise")
      }
      pending[slot, default: 0] += 1
    }
    if !problems.isEmpty {
      for problem in problems { Output.error(problem) }
      Output.error("error: nothing was imported; fix the \(plural(problems.count)) above")
      throw ExitStatus.invalidInput.exitCode
    }
    // One transaction: the whole document, or (on a failure while saving) none of it.
    _ = try Self.check { try store.add(all: items.map { ($0.entry, $0.revise && $0.entry.kind == .review) }) }
    Output.write("imported \(items.count) \(items.count == 1 ? "review" : "reviews") from \(path)\n")
  }

  private func plural(_ count: Int) -> String { count == 1 ? "problem" : "\(count) problems" }

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
