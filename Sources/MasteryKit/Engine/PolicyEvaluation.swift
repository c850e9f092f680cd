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
      switch requirement.threshold {
      case .percent(let threshold):
        total.meetsRequirement = maximum > 0 ? points * 100 >= threshold * maximum - 1e-9 : true
      case .amount(let threshold):
        total.meetsRequirement = points >= threshold - 1e-9
      }
    }
    return total
  }

  /// The outcome and its reasons: `error` when any criterion could not be
  /// judged, else `pending` while any waits for a person, else `not-yet`
  /// for every requirement missed, else `earned`.
  static func decide(_ results: [CriterionResult], total: Decision.Total, rubric: Microcredential)
    -> (Decision.Outcome, [String])
  {
    let failed = results.filter { $0.status == .error }
    if !failed.isEmpty {
      return (.error, failed.map { "error: \($0.title) could not be judged: \($0.message ?? "unknown failure")" })
    }
    let waiting = results.filter { $0.status == .pending }
    if !waiting.isEmpty {
      return (.pending, waiting.map { "pending: \($0.title) is \($0.message ?? "waiting")" })
    }
    var reasons: [String] = []
    for result in results where result.meetsRequirement == false {
      reasons.append(
        "not yet: \(result.title) is \(result.levelLabel ?? "not scored"); this credential needs \(result.requiredLabel ?? "more")"
      )
    }
    if total.meetsRequirement == false, let required = total.required {
      reasons.append(
        "not yet: the weighted total is \(percent(total.percent)) (\(total.points.compact) of \(total.maximum.compact) points); this credential needs \(required)\(required.hasSuffix("%") ? "" : " points")"
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

  /// "83%" or "62.5%": at most one decimal, never rounded up to a threshold it misses.
  static func percent(_ value: Double) -> String {
    let tenths = (value * 10 + 1e-9).rounded(.down) / 10
    return tenths.compact + "%"
  }
}
