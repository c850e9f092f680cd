/// The attempts a grading run has in hand, so that a candidate's later attempt in the same run is
/// graded after the earlier ones and sees them before the ledger has them.
///
/// An attempt waits only for earlier attempts already started in this run (each of those is
/// running, so the wait always ends). An earlier attempt that starts after a later one (given
/// later on the command line) is not waited for: the later attempt's recorded decision then no
/// longer stands (`AttemptRecord.basis`), and the next run grades it again.
actor AttemptBook {
  private struct Candidate: Hashable {
    var credential: String
    var candidate: String
  }

  private var running: [Candidate: [Int: Int]] = [:]
  /// The last attempts finished, by candidate: enough to cover what the ledger may not have yet
  /// (decisions are written at least every quarter second, at most 256 at a time), so memory
  /// stays flat however long the run.
  private var finished: [Candidate: [Int: AttemptRecord]] = [:]
  private var finishedOrder: [SubmissionKey] = []
  private let finishedLimit: Int
  /// The last few decisions made, for an identical later attempt in the same run.
  private var recent: [SubmissionKey: Decision] = [:]
  private var recentOrder: [SubmissionKey] = []
  private let recentLimit: Int
  private var waiters: [Candidate: [CheckedContinuation<Void, Never>]] = [:]

  init(recentLimit: Int = 64, finishedLimit: Int = 1024) {
    self.recentLimit = recentLimit
    self.finishedLimit = finishedLimit
  }

  private static func candidate(_ key: SubmissionKey) -> Candidate {
    Candidate(credential: key.credential, candidate: key.candidate)
  }

  /// Notes that `key` is being graded.
  func begin(_ key: SubmissionKey) {
    running[Self.candidate(key), default: [:]][key.attempt, default: 0] += 1
  }

  /// Notes that `key` is done, with its decision when there is one.
  func finish(_ key: SubmissionKey, record: AttemptRecord?, decision: Decision?) {
    let person = Self.candidate(key)
    if let count = running[person]?[key.attempt] {
      running[person]?[key.attempt] = count > 1 ? count - 1 : nil
      if running[person]?.isEmpty == true { running[person] = nil }
    }
    // Each kept once, in the order first finished, the oldest let go past the limit.
    if let record, finished[person, default: [:]].updateValue(record, forKey: key.attempt) == nil {
      finishedOrder.append(key)
      if finishedOrder.count > finishedLimit {
        let oldest = finishedOrder.removeFirst()
        let candidate = Self.candidate(oldest)
        finished[candidate]?[oldest.attempt] = nil
        if finished[candidate]?.isEmpty == true { finished[candidate] = nil }
      }
    }
    if let decision {
      if recent.updateValue(decision, forKey: key) == nil { recentOrder.append(key) }
      if recentOrder.count > recentLimit { recent[recentOrder.removeFirst()] = nil }
    }
    for waiter in waiters.removeValue(forKey: person) ?? [] { waiter.resume() }
  }

  /// This run's attempts of the candidate, once every earlier attempt started in it is done.
  func settled(before key: SubmissionKey) async -> [AttemptRecord] {
    let person = Self.candidate(key)
    while running[person]?.contains(where: { $0.key < key.attempt && $0.value > 0 }) == true {
      await withCheckedContinuation { waiters[person, default: []].append($0) }
    }
    return Array((finished[person] ?? [:]).values)
  }

  /// A decision made in this run, if it is still held.
  func decision(_ key: SubmissionKey) -> Decision? { recent[key] }
}
