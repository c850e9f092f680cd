/// Earlier attempts of the candidate at the credential, as grading a new one needs them.
public struct EarlierAttempts: Sendable {
  /// Attempts before this one, oldest first (copies of an identical attempt included).
  public var records: [AttemptRecord]
  /// The fingerprint of this attempt's evidence (`AttemptRecord.evidenceSHA256`).
  public var evidenceSHA256: String

  public init(records: [AttemptRecord], evidenceSHA256: String) {
    self.records = records.sorted { $0.attempt < $1.attempt }
    self.evidenceSHA256 = evidenceSHA256
  }

  /// The attempts that were graded (not copies of an identical one).
  var graded: [AttemptRecord] { records.filter { $0.identicalTo == nil } }
}

extension AttemptsPolicy {
  /// One criterion's score across attempts from each attempt's own score, oldest first (the
  /// last is the newest): `latest` the newest, `highest` the best, `average` the mean,
  /// `decaying-average` each newer score weighted `decay` against the running average of the
  /// ones before (d₁ = s₁, dₖ = decay·sₖ + (1 − decay)·dₖ₋₁), `n-mastery` the highest score
  /// reached in at least `n` attempts (nil while fewer than `n` attempts were scored).
  public func combine(_ scores: [Double]) -> Double? {
    guard let first = scores.first, let newest = scores.last else { return nil }
    switch rule {
    case .latest: return newest
    case .highest: return scores.max()
    case .average: return scores.reduce(0, +) / Double(scores.count)
    case .decayingAverage:
      let weight = decay ?? 0.65
      return scores.dropFirst().reduce(first) { weight * $1 + (1 - weight) * $0 }
    case .nMastery:
      let needed = Swift.max(1, count ?? 1)
      let best = scores.sorted(by: >)
      return best.count >= needed ? best[needed - 1] : nil
    }
  }

  /// How the combination reads in feedback ("the average of 1, 2").
  func phrase(_ scores: [Double]) -> String {
    let list = scores.map(\.compact).joined(separator: ", ")
    switch rule {
    case .latest: return "the latest of \(list)"
    case .highest: return "the highest of \(list)"
    case .average: return "the average of \(list)"
    case .decayingAverage: return "the decaying average (decay \((decay ?? 0.65).compact)) of \(list)"
    case .nMastery: return "the best score reached in \(count ?? 1) attempts of \(list)"
    }
  }
}

extension Grader {
  /// The criteria whose level an earlier attempt already met (`carry-over`): by criterion index,
  /// the level and the attempt it was judged in. The best such level counts (the newest of equals).
  static func carried(
    _ rubric: Microcredential, earlier: EarlierAttempts?, requirements: [String: Level]
  ) -> [Int: (level: Level, from: Int)] {
    guard let earlier else { return [:] }
    var carried: [Int: (level: Level, from: Int)] = [:]
    for (index, criterion) in rubric.criteria.enumerated() where criterion.carryOver {
      guard let required = requirements[criterion.id] else { continue }
      for record in earlier.records {
        guard let past = record.criterion(criterion.id), past.definition == criterion.definition else { continue }
        let kept: (String, Int)? =
          past.carriedFrom.flatMap { from in past.level.map { ($0, from) } }
          ?? past.ownLevel.map { ($0, record.identicalTo ?? record.attempt) }
        guard let (id, from) = kept, let level = rubric.level(id), level.score >= required.score else { continue }
        if level.score >= (carried[index]?.level.score ?? -.infinity) { carried[index] = (level, from) }
      }
    }
    return carried
  }

  /// `result` as it stands across attempts: the attempts policy applied to this attempt's own
  /// score and the earlier attempts' scores of the same criterion (same definition), with the
  /// previous attempt's level for progress.
  static func acrossAttempts(
    _ result: CriterionResult, criterion: Criterion, verdict: Verdict, rubric: Microcredential, required: Level?,
    attempt: Int, earlier: EarlierAttempts, carriedFrom: Int?
  ) -> CriterionResult {
    let policy = rubric.policy.attempts
    // A first attempt stands alone, except under n-mastery, where one attempt is not yet n.
    guard !earlier.records.isEmpty || policy.rule == .nMastery else { return result }
    let previous = earlier.records.last.map { record in
      let level = record.criterion(criterion.id)?.level.flatMap { rubric.level($0) }
      return CriterionResult.AcrossAttempts.Previous(attempt: record.attempt, level: level?.id, label: level?.label)
    }
    var across = CriterionResult.AcrossAttempts(own: nil, carriedFrom: carriedFrom, previous: previous, scores: [])
    guard carriedFrom == nil, result.status == .scored, let ownLevel = result.level.flatMap({ rubric.level($0) })
    else {
      var unchanged = result
      unchanged.acrossAttempts = across
      return unchanged
    }
    across.own = .init(level: ownLevel.id, label: ownLevel.label, score: ownLevel.score)
    across.scores =
      earlier.graded.compactMap { record in
        guard let past = record.criterion(criterion.id), past.definition == criterion.definition,
          let score = past.ownScore
        else { return nil }
        return .init(attempt: record.attempt, score: score)
      } + [.init(attempt: attempt, score: ownLevel.score)]
    let scores = across.scores.map(\.score)
    let combined = policy.combine(scores)
    let floor = rubric.levels.first ?? ownLevel
    let score = combined ?? floor.score
    let level = rubric.levels.last { $0.score <= score + 1e-9 } ?? floor
    var standing = result
    if level != ownLevel || combined != ownLevel.score {
      var lowered = verdict
      lowered.level = level.id
      standing = Self.result(criterion, lowered, rubric: rubric, required: required)
      standing.evidence = result.evidence
      standing.score = score
      standing.points = score * criterion.weight
      if combined == nil {
        standing.feedback.insert(
          "This attempt reached \(ownLevel.label). This credential counts a level once it is reached in \(plural(policy.count ?? 1, "attempt")); so far \(scores.count) \(scores.count == 1 ? "attempt was" : "attempts were") scored.",
          at: 0)
      } else {
        standing.feedback.insert(
          "This attempt reached \(ownLevel.label); across your attempts (\(policy.phrase(scores)): \(score.compact(places: 2))) it stands at \(level.label).",
          at: 0)
      }
    }
    standing.acrossAttempts = across
    return standing
  }
}

extension Double {
  /// At most `places` decimals, trailing zeros dropped ("1.65", "2.53", "2").
  func compact(places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return ((self * scale).rounded() / scale).compact
  }
}

extension Decision {
  /// The previous attempt, when there is one: "Since attempt 1".
  public var progressHeading: String? {
    criteria.lazy.compactMap(\.acrossAttempts?.previous).first.map { "Since attempt \($0.attempt)" }
  }

  /// Each criterion's level since the previous attempt ("Program correctness: Developing → Proficient").
  public var progress: [String] {
    criteria.compactMap { result in
      guard let across = result.acrossAttempts, let previous = across.previous else { return nil }
      let now: String
      switch result.status {
      case .scored: now = result.levelLabel ?? "?"
      case .pending: now = "waiting for review"
      case .error: now = "not judged"
      }
      let kept = across.carriedFrom.map { " (kept from attempt \($0))" } ?? ""
      return "\(result.title): \(previous.label ?? "no level") → \(now)\(kept)"
    }
  }

  /// How many attempts are left after a not-yet decision, when the rubric limits them ("1 attempt left of 3.").
  public var attemptsLeftSentence: String? {
    guard outcome == .notYet, let attempts, let maximum = attempts.max, let left = attempts.left else { return nil }
    return left == 0
      ? "No attempts left: this credential allows \(plural(maximum, "attempt"))."
      : "\(plural(left, "attempt")) left of \(maximum)."
  }
}
