/// Records decisions as they finish, from concurrent grading, with no
/// decision left waiting for long: what `DecisionRecorder` queues is written
/// at least every quarter second even when no other decision arrives (a
/// long Python run after a quick one), so an interrupted run loses at most a
/// quarter second of work.
public actor DecisionWriter {
  private var recorder: DecisionRecorder
  private var ticker: Task<Void, Never>?
  private var failure: (any Error)?

  public init(recorder: DecisionRecorder) {
    self.recorder = recorder
  }

  /// Queues a decision; writes when the recorder's batch is due.
  ///
  /// - Throws: the ledger's error, from this or an earlier write.
  public func add(_ decision: RecordedDecision) throws {
    if let failure { throw failure }
    if ticker == nil {
      ticker = Task { [weak self] in
        while !Task.isCancelled {
          try? await Task.sleep(for: .milliseconds(250))
          await self?.tick()
        }
      }
    }
    do {
      try recorder.add(decision)
    } catch {
      failure = error
      throw error
    }
  }

  private func tick() {
    guard failure == nil, recorder.hasQueued else { return }
    do {
      try recorder.flush()
    } catch {
      failure = error
    }
  }

  /// Writes what is queued and stops the timer.
  ///
  /// - Throws: the ledger's error, from this or an earlier write.
  public func finish() throws {
    ticker?.cancel()
    ticker = nil
    if let failure { throw failure }
    try recorder.flush()
  }
}
