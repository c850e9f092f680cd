import Foundation

/// Writes decisions, and the reviewer criteria still waiting, to a ledger in
/// batches: a decision that comes a quarter second or more after the last
/// write is written at once, quicker ones together (up to 256 in one
/// transaction). A fast run is not bound by one disk flush per submission,
/// and an interrupted one loses at most a quarter second of work.
public struct DecisionRecorder {
  public let ledger: any Ledger
  public let catalog: RubricCatalog
  private var decisions: [RecordedDecision] = []
  private var waiting: [SubmissionKey: [WaitingCriterion]] = [:]
  private var lastWrite: ContinuousClock.Instant?

  public init(ledger: any Ledger, catalog: RubricCatalog) {
    self.ledger = ledger
    self.catalog = catalog
  }

  /// Queues a decision.
  ///
  /// - Throws: `LedgerError` when a flush fails.
  public mutating func add(_ recorded: RecordedDecision) throws {
    let decision = recorded.decision
    let rubric = catalog.rubric(id: decision.credential.id, version: decision.credential.version)
    waiting[recorded.key] = decision.criteria.filter {
      $0.status == .pending && $0.evaluator == ReviewerConfiguration.description.kind
    }
    .map { result in
      let reviewers =
        (rubric?.criterion(result.criterion)?.evaluator.configuration as? ReviewerConfiguration)?.reviewers ?? 1
      return WaitingCriterion(criterion: result.criterion, title: result.title, reviewers: reviewers)
    }
    decisions.append(recorded)
    if decisions.count >= 256 || lastWrite.map({ ContinuousClock.now - $0 >= .milliseconds(250) }) ?? true {
      try flush()
    }
  }

  /// Whether decisions wait to be written.
  public var hasQueued: Bool { !decisions.isEmpty }

  /// Writes what is queued, in one transaction.
  ///
  /// - Throws: `LedgerError` when the ledger refuses or fails.
  public mutating func flush() throws {
    try ledger.record(decisions, waiting: waiting)
    decisions.removeAll(keepingCapacity: true)
    waiting.removeAll(keepingCapacity: true)
    lastWrite = ContinuousClock.now
  }
}
