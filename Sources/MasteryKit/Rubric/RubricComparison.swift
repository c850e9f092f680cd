/// What a new version of a rubric breaks for candidates graded under an older one
/// (`mastery validate --against OLD`), and whether the version number says so.
///
/// A change is breaking when it can turn an earned decision into not yet, or stop earlier
/// attempts' results from counting: a criterion removed, added or changed (its
/// `Criterion.definition`: levels, weight, evidence, evaluator configuration), a higher
/// requirement, a lower `max`, another attempts policy. Breaking changes need a new MAJOR version.
public struct RubricComparison: Sendable {
  public var findings: [Finding]
  /// True when any change is breaking.
  public var isMajor: Bool

  public static let breakingChange = LintRule(
    id: "breaking-change", severity: .warning,
    summary: "A change that can take the credential away, or stops earlier attempts' results from counting.",
    help: "Raise the MAJOR version; candidates' earlier results of a changed criterion no longer carry over.")
  public static let versionChange = LintRule(
    id: "version-change", severity: .error, summary: "The version does not say what changed.",
    help: "Raise MAJOR for a breaking change; raise the version at all for any change.")
  /// The rules a comparison reports, in documentation order.
  public static let rules = [breakingChange, versionChange]

  /// Compares `new` with `old`, the same credential's earlier version; `sameFile` when the two
  /// files hold the same bytes (nothing changed, so the version need not either).
  public init(old: Microcredential, new: Microcredential, sameFile: Bool = false) {
    var findings: [Finding] = []
    func breaking(_ message: String, at location: Location) {
      findings.append(Finding(rule: Self.breakingChange, message: message, at: location))
    }
    if old.id != new.id {
      findings.append(
        Finding(
          rule: Self.versionChange,
          message: "\(old.path) is credential '\(old.id)', not '\(new.id)': compare versions of one credential",
          at: new.location))
      self.findings = findings
      isMajor = false
      return
    }
    let oldLevels = old.levels.map { "\($0.id)=\($0.score.compact)" }
    let newLevels = new.levels.map { "\($0.id)=\($0.score.compact)" }
    if oldLevels != newLevels {
      breaking(
        "the levels changed (\(oldLevels.joined(separator: ", ")) → \(newLevels.joined(separator: ", "))): no criterion's earlier results carry over",
        at: new.levels.first?.location ?? new.location)
    }
    for criterion in old.criteria where new.criterion(criterion.id) == nil {
      breaking(
        "criterion '\(criterion.id)' (\(criterion.title)) was removed: earlier attempts' results of it no longer count",
        at: new.location)
    }
    for criterion in new.criteria {
      guard let before = old.criterion(criterion.id) else {
        breaking(
          "criterion '\(criterion.id)' is new: earlier attempts have no result for it, and it can hold back the credential",
          at: criterion.location)
        continue
      }
      if before.definition != criterion.definition, oldLevels == newLevels {
        var what: [String] = []
        if before.weight != criterion.weight { what.append("weight \(before.weight.compact) → \(criterion.weight.compact)") }
        if before.evidence != criterion.evidence { what.append("evidence") }
        if before.evaluator.kind != criterion.evaluator.kind {
          what.append("evaluator \(before.evaluator.kind) → \(criterion.evaluator.kind)")
        } else {
          what.append("its \(criterion.evaluator.kind) configuration")
        }
        breaking(
          "criterion '\(criterion.id)' changed (\(what.joined(separator: ", "))): earlier attempts' results of it no longer carry over",
          at: criterion.evaluator.location)
      }
    }
    let oldRequired = PolicyEvaluation.requirements(of: old)
    let newRequired = PolicyEvaluation.requirements(of: new)
    for criterion in new.criteria {
      guard let required = newRequired[criterion.id] else { continue }
      let before = oldRequired[criterion.id]
      if before == nil || required.score > before!.score {
        let gate = new.policy.gates.first { $0.criterion == criterion.id }
        breaking(
          "'\(criterion.id)' must now reach \(required.label)\(before.map { " (was \($0.label))" } ?? " (nothing was required)")",
          at: gate?.levelLocation ?? new.policy.everyCriterion?.location ?? new.policy.location)
      }
    }
    if let total = new.policy.total {
      let was = old.policy.total.map { Self.fraction($0.threshold, of: old) } ?? 0
      if Self.fraction(total.threshold, of: new) > was + 1e-9 {
        breaking(
          "the total now needs \(total.threshold)\(old.policy.total.map { " (was \($0.threshold))" } ?? " (nothing was required)")",
          at: total.location)
      }
    }
    let oldAttempts = old.policy.attempts
    let newAttempts = new.policy.attempts
    let attemptsLocation = newAttempts.location ?? new.policy.location
    if let maximum = newAttempts.maximum, maximum < (oldAttempts.maximum ?? .max) {
      breaking(
        "at most \(maximum) attempts are allowed now (was \(oldAttempts.maximum.map(String.init) ?? "no limit")): a candidate may have none left",
        at: attemptsLocation)
    }
    if newAttempts.rule != oldAttempts.rule || newAttempts.count != oldAttempts.count
      || newAttempts.decay != oldAttempts.decay
    {
      breaking(
        "the attempts policy changed (\(Self.describe(oldAttempts)) → \(Self.describe(newAttempts))): standing decisions may change",
        at: attemptsLocation)
    }
    isMajor = !findings.isEmpty
    let oldMajor = Self.major(old.version)
    let newMajor = Self.major(new.version)
    if sameFile {
      // Nothing to say of the version of an unchanged file.
    } else if !SemanticVersion.precedes(old.version, new.version) {
      findings.append(
        Finding(
          rule: Self.versionChange,
          message: "version \(new.version) is not later than \(old.version); raise it"
            + (isMajor ? " to \((oldMajor ?? 0) + 1).0.0: the change is breaking" : ""),
          at: new.versionLocation))
    } else if isMajor, let oldMajor, let newMajor, newMajor <= oldMajor {
      findings.append(
        Finding(
          rule: Self.versionChange,
          message:
            "\(old.version) → \(new.version) raises only MINOR or PATCH, but the change is breaking (see the warnings); make it \(oldMajor + 1).0.0",
          at: new.versionLocation))
    }
    findings.sort { $0.location < $1.location }
    self.findings = findings
  }

  private static func major(_ version: String) -> Int? {
    version.split(separator: ".").first.flatMap { Int($0) }
  }

  /// A threshold as a fraction of the rubric's maximum points.
  private static func fraction(_ threshold: Threshold, of rubric: Microcredential) -> Double {
    switch threshold {
    case .percent(let value): return value / 100
    case .amount(let value): return rubric.maximumPoints > 0 ? value / rubric.maximumPoints : 0
    }
  }

  private static func describe(_ policy: AttemptsPolicy) -> String {
    switch policy.rule {
    case .nMastery: return "n-mastery n=\(policy.count.map(String.init) ?? "?")"
    case .decayingAverage: return "decaying-average decay=\(policy.decay?.compact ?? "?")"
    default: return policy.rule.rawValue
    }
  }
}

extension RubricComparison {
  /// The earned decisions graded under `oldVersion` that `new`'s policy would not grant, from the
  /// ledger's gradebook (each criterion's standing level): a criterion new or without a level,
  /// a level below what `new` requires, or a weighted total below its threshold.
  public static func earnedDecisionsLost(_ rows: [GradebookRow], oldVersion: String, new: Microcredential)
    -> [SubmissionKey]
  {
    let required = PolicyEvaluation.requirements(of: new)
    return rows.filter { row in
      guard row.submission.credential == new.id, row.version == oldVersion, row.outcome == Decision.Outcome.earned.rawValue
      else { return false }
      var points = 0.0
      for criterion in new.criteria {
        let level = row.criteria[criterion.id].flatMap { new.level($0) }
        if let needed = required[criterion.id], (level?.score ?? -.infinity) < needed.score { return true }
        points += (level?.score ?? 0) * criterion.weight
      }
      let total = Decision.Total(
        points: points, maximum: new.maximumPoints,
        percent: new.maximumPoints > 0 ? points / new.maximumPoints * 100 : 100, required: nil, meetsRequirement: nil)
      return !PolicyEvaluation.total(total, meets: new.policy.total?.threshold)
    }.map(\.submission)
  }
}
