import ArgumentParser
import MasteryKit

/// Writes decisions, and the reviewer criteria still waiting, to the ledger in
/// batches (one transaction per 256 decisions, so a large run is not bound by
/// one disk flush per submission).
struct DecisionRecorder {
  let ledger: any Ledger
  let catalog: RubricCatalog
  private var decisions: [Decision] = []
  private var waiting: [SubmissionKey: [(criterion: String, title: String, reviewers: Int)]] = [:]

  init(ledger: any Ledger, catalog: RubricCatalog) {
    self.ledger = ledger
    self.catalog = catalog
  }

  mutating func add(_ report: GradeReport) throws {
    guard case .decided(let decision) = report else { return }
    let key = SubmissionKey(
      credential: decision.credential.id, candidate: decision.submission.candidate.id,
      attempt: decision.submission.attempt)
    let rubric = catalog.rubric(id: decision.credential.id, version: decision.credential.version)
    waiting[key] = decision.criteria.filter {
      $0.status == .pending && $0.evaluator == ReviewerConfiguration.description.kind
    }
    .map { result in
      let reviewers =
        (rubric?.criterion(result.criterion)?.evaluator.configuration as? ReviewerConfiguration)?.reviewers ?? 1
      return (result.criterion, result.title, reviewers)
    }
    decisions.append(decision)
    if decisions.count >= 256 { try flush() }
  }

  mutating func flush() throws {
    do {
      try ledger.record(decisions, waiting: waiting)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
    decisions.removeAll(keepingCapacity: true)
    waiting.removeAll(keepingCapacity: true)
  }
}
