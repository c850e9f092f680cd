/// Applies a rubric's mastery policy to criterion results and says why, in words.
enum PolicyEvaluation {
  /// The lowest level each criterion must reach: the higher of the
  /// every-criterion level and the criterion's gate.
  static func requirements(of rubric: Microcredential) -> [String: Level] {
    var required: [String: Level] = [:]
    if let every = rubric.policy.everyCriterion, let level = rubric.level(every.level) {
      for criterion in rubric.criteria { required[criterion.id] = level }
    }
    for gate in rubric.policy.gates {
      guard let level = rubric.level(gate.level) else { continue }
      if level.score > (required[gate.criterion]?.score ?? -.infinity) { required[gate.criterion] = level }
    }
    return required
  }

  /// The weighted total of the scored criteria against the maximum of all.
  static func total(_ results: [CriterionResult], rubric: Microcredential) -> Decision.Total {
    let points = results.compactMap(\.points).reduce(0, +)
    let maximum = results.map(\.maximumPoints).reduce(0, +)
    let percent = maximum > 0 ? points / maximum * 100 : 100
    var total = Decision.Total(points: points, maximum: maximum, percent: percent, required: nil, meetsRequirement: nil)
    if let requirement = rubric.policy.total {
      total.required = requirement.threshold.description
      total.meetsRequirement = Self.total(total, meets: requirement.threshold)
    }
    return total
  }

  /// The outcome and its reasons: `error` when any criterion could not be
  /// judged; else `not-yet` as soon as a requirement is missed that no review
  /// can make up (a criterion already below its required level, or a total
  /// that even the best reviews cannot lift), with the reviews still waiting
  /// named as wanted for feedback; else `pending` while any criterion waits
  /// for a person; else `not-yet` for every requirement missed, else `earned`.
  static func decide(_ results: [CriterionResult], total: Decision.Total, rubric: Microcredential)
    -> (Decision.Outcome, [String])
  {
    // What is already known to fall short is said whatever else happens, so
    // a grader error or a pending review never hides it.
    let failed = results.filter { $0.status == .error }
    let waiting = results.filter { $0.status == .pending }
    let shortfalls = results.filter { $0.meetsRequirement == false }.map {
      "not yet: \($0.title) is \($0.levelLabel ?? "not scored"); this credential needs \($0.requiredLabel ?? "more")"
    }
    if !failed.isEmpty {
      return (
        .error,
        failed.map { "error: \($0.title) could not be judged: \($0.message ?? "unknown failure")" }
          + waiting.map { "pending: \($0.title): \($0.message ?? "waiting")" } + shortfalls
      )
    }
    var reasons = shortfalls
    if !waiting.isEmpty {
      // The best the reviews could do: every waiting criterion at its maximum.
      var best = total
      best.points += waiting.map(\.maximumPoints).reduce(0, +)
      let bestMeetsTotal = Self.total(best, meets: rubric.policy.total?.threshold)
      if shortfalls.isEmpty && bestMeetsTotal {
        return (.pending, waiting.map { "pending: \($0.title): \($0.message ?? "waiting")" })
      }
      if !bestMeetsTotal, let required = total.required {
        reasons.append(
          "not yet: the weighted total cannot reach \(required)\(required.hasSuffix("%") ? "" : " points") even with the best reviews (\(best.points.compact) of \(best.maximum.compact) points at most)"
        )
      }
      return (
        .notYet,
        reasons + waiting.map { "feedback to come: \($0.title) is still to be reviewed; the review gives feedback but cannot change this decision" }
      )
    }
    if total.meetsRequirement == false, let required = total.required {
      var threshold: Double?
      if case .percent(let value)? = rubric.policy.total?.threshold { threshold = value }
      reasons.append(
        "not yet: the weighted total is \(percent(total.percent, below: threshold)) (\(total.points.compact) of \(total.maximum.compact) points); this credential needs \(required)\(required.hasSuffix("%") ? "" : " points")"
      )
    }
    if !reasons.isEmpty { return (.notYet, reasons) }
    var met: [String] = []
    if let every = rubric.policy.everyCriterion, let level = rubric.level(every.level) {
      met.append("every criterion is at least \(level.label)")
    }
    for gate in rubric.policy.gates {
      if let title = rubric.criterion(gate.criterion)?.title, let level = rubric.level(gate.level) {
        met.append("\(title) is at least \(level.label)")
      }
    }
    if let required = total.required {
      met.append("the weighted total is \(percent(total.percent)) (needs \(required))")
    }
    return (.earned, ["earned: " + (met.isEmpty ? "every criterion was judged" : met.joined(separator: "; "))])
  }

  /// Whether `total`'s points meet `threshold` (true when there is none).
  static func total(_ total: Decision.Total, meets threshold: Threshold?) -> Bool {
    switch threshold {
    case nil: return true
    case .percent(let value)?: return total.maximum > 0 ? total.points * 100 >= value * total.maximum - 1e-9 : true
    case .amount(let value)?: return total.points >= value - 1e-9
    }
  }

  /// The total's percentage as shown: never rounded up to a threshold it misses.
  static func percent(of total: Decision.Total) -> String {
    var threshold: Double?
    if total.meetsRequirement == false, let required = total.required, required.hasSuffix("%") {
      threshold = Double(required.dropLast())
    }
    return percent(total.percent, below: threshold)
  }

  /// "83%" or "66.7%": rounded to one decimal; when that would reach a
  /// threshold the value misses, more decimals ("74.96%").
  static func percent(_ value: Double, below threshold: Double? = nil) -> String {
    var places = 1.0
    var shown = (value * 10).rounded() / 10
    while let threshold, value < threshold, shown >= threshold, places < 1e6 {
      places *= 10
      shown = (value * 10 * places + 1e-6).rounded(.down) / (10 * places)
    }
    return shown.compact + "%"
  }
}
