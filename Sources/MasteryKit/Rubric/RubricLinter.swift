/// The semantic rules a schema cannot express: unique ids, ordered levels,
/// references that resolve, positive weights, a policy some submission can
/// meet and not every submission meets, a semantic version.
struct RubricLinter {
  let rubric: Microcredential
  private(set) var findings: [Finding] = []
  /// The highest score each criterion's evaluator can give, by criterion index.
  private let highestReachable: [Double]

  init(rubric: Microcredential) {
    self.rubric = rubric
    let maximum = rubric.maximumScore
    highestReachable = rubric.criteria.map { criterion in
      guard let reachable = criterion.evaluator.configuration?.reachableLevels else { return maximum }
      return rubric.levels.filter { reachable.contains($0.id) }.map(\.score).max() ?? maximum
    }
    checkVersion()
    checkLevels()
    checkEvidence()
    checkCriteria()
    checkPolicy()
  }

  private mutating func add(
    _ rule: LintRule, _ message: String, at location: Location, severity: Finding.Severity? = nil
  ) {
    findings.append(Finding(rule: rule, message: message, at: location, severity: severity))
  }

  private var levelList: String {
    var seen = Set<String>()
    return rubric.levels.map(\.id).filter { seen.insert($0).inserted }.joined(separator: ", ")
  }

  private mutating func requireLevel(_ id: String, at location: Location) {
    if rubric.level(id) == nil {
      add(RubricRules.undefinedLevel, "level '\(id)' is not defined; use one of: \(levelList)", at: location)
    }
  }

  private mutating func requireUnique<T>(_ items: [T], noun: String, id: (T) -> String, location: (T) -> Location) {
    var seen: [String: Location] = [:]
    for item in items {
      let key = id(item)
      if let first = seen[key] {
        add(
          RubricRules.duplicateID, "duplicate \(noun) '\(key)' (first defined at line \(first.line))",
          at: location(item))
      } else {
        seen[key] = location(item)
      }
    }
  }

  // MARK: Rules

  private mutating func checkVersion() {
    if !SemanticVersion.isValid(rubric.version) {
      add(
        RubricRules.versionNotSemantic,
        "version '\(rubric.version)' is not a semantic version; write MAJOR.MINOR.PATCH such as 1.0.0",
        at: rubric.versionLocation)
    }
  }

  private mutating func checkLevels() {
    requireUnique(rubric.levels, noun: "level id", id: \.id, location: \.location)
    for (lower, higher) in zip(rubric.levels, rubric.levels.dropFirst()) where higher.score <= lower.score {
      add(
        RubricRules.levelOrder,
        "level '\(higher.id)' has score \(higher.score.compact), not above '\(lower.id)' (\(lower.score.compact)); list levels lowest first with rising scores",
        at: higher.location)
    }
    if rubric.levels.count < 2, let only = rubric.levels.first {
      add(RubricRules.tooFewLevels, "only one level is defined; mastery cannot be told from not-yet", at: only.location)
    }
  }

  private mutating func checkEvidence() {
    requireUnique(rubric.evidence, noun: "evidence id", id: \.id, location: \.location)
    let used = Set(rubric.criteria.flatMap(\.evidence))
    for item in rubric.evidence {
      if let path = item.path, !Quantity.isContainedRelativePath(path) {
        let problem = path.hasPrefix("/") || path.hasPrefix("~") ? "is absolute" : "leaves the submission folder"
        add(
          RubricRules.unsafePath,
          "evidence '\(item.id)' has path '\(path)', which \(problem); write a path inside the submission folder, such as \"\(item.id).md\"",
          at: item.location)
      }
      if let low = item.minWords, let high = item.maxWords, low > high {
        add(
          RubricRules.wordLimits, "evidence '\(item.id)' has min-words \(low) above max-words \(high)",
          at: item.location)
      }
      if item.kind != .text, item.minWords != nil || item.maxWords != nil {
        add(
          RubricRules.wordLimits,
          "word limits on '\(item.id)' do nothing: it is \(item.kind.rawValue) evidence, not text",
          at: item.location, severity: .warning)
      }
      if !used.contains(item.id) {
        add(
          RubricRules.unusedEvidence,
          "no criterion judges evidence '\(item.id)'; add it to a criterion's evidence attribute, or remove the item",
          at: item.location)
      }
    }
  }

  private mutating func checkCriteria() {
    requireUnique(rubric.criteria, noun: "criterion id", id: \.id, location: \.location)
    let evidenceIDs = Set(rubric.evidence.map(\.id))
    for criterion in rubric.criteria {
      if criterion.weight < 0 {
        add(
          RubricRules.weightNotPositive,
          "criterion '\(criterion.id)' has weight \(criterion.weight.compact); weights cannot be negative",
          at: criterion.location)
      } else if criterion.weight == 0 {
        add(
          RubricRules.weightNotPositive,
          "criterion '\(criterion.id)' has weight 0: it counts toward no total, only its gate and every-criterion apply",
          at: criterion.location, severity: .warning)
      }
      for id in criterion.evidence where !evidenceIDs.contains(id) {
        add(
          RubricRules.undefinedEvidence,
          "criterion '\(criterion.id)' names evidence '\(id)', which is not defined; use one of: \(rubric.evidence.map(\.id).joined(separator: ", "))",
          at: criterion.location)
      }
      requireUnique(criterion.descriptors, noun: "descriptor for level", id: \.level, location: \.location)
      for descriptor in criterion.descriptors {
        requireLevel(descriptor.level, at: descriptor.location)
      }
    }
  }

  private mutating func checkPolicy() {
    let policy = rubric.policy
    var required: [String: (score: Double, level: String, location: Location)] = [:]
    if let every = policy.everyCriterion {
      requireLevel(every.level, at: every.location)
      if let level = rubric.level(every.level) {
        for criterion in rubric.criteria { required[criterion.id] = (level.score, level.id, every.location) }
      }
    }
    var gated: [String: Location] = [:]
    for gate in policy.gates {
      if let first = gated[gate.criterion] {
        add(
          RubricRules.duplicateID, "criterion '\(gate.criterion)' is gated twice (first at line \(first.line))",
          at: gate.location)
      }
      gated[gate.criterion] = gate.location
      requireLevel(gate.level, at: gate.levelLocation)
      guard rubric.criterion(gate.criterion) != nil else {
        add(
          RubricRules.undefinedCriterion,
          "the policy names criterion '\(gate.criterion)', which is not defined; use one of: \(rubric.criteria.map(\.id).joined(separator: ", "))",
          at: gate.location)
        continue
      }
      if let level = rubric.level(gate.level), level.score >= (required[gate.criterion]?.score ?? -.infinity) {
        required[gate.criterion] = (level.score, level.id, gate.levelLocation)
      }
    }
    for (index, criterion) in rubric.criteria.enumerated() {
      guard let requirement = required[criterion.id] else { continue }
      let best = highestReachable[index]
      if best < requirement.score {
        let bestLabel = rubric.levels.last { $0.score == best }?.label ?? best.compact
        let requiredLabel = rubric.level(requirement.level)?.label ?? requirement.level
        add(
          RubricRules.policyUnreachable,
          "no submission can earn this: '\(criterion.id)' must reach \(requiredLabel), but its \(criterion.evaluator.kind) evaluator gives at most \(bestLabel)",
          at: requirement.location)
      }
    }
    let reachablePoints = zip(rubric.criteria, highestReachable).reduce(0) { $0 + $1.0.weight * $1.1 }
    let lowest = rubric.levels.first?.score ?? 0
    let floorPoints = rubric.criteria.reduce(0) { $0 + $1.weight * lowest }
    let maximum = rubric.maximumPoints
    var totalIsTrivial = true
    if let total = policy.total {
      let needed: Double
      switch total.threshold {
      case .percent(let percent): needed = maximum * percent / 100
      case .amount(let points): needed = points
      }
      if needed > reachablePoints + 1e-9 {
        add(
          RubricRules.policyUnreachable,
          "no submission can earn this: the total must be at least \(total.threshold), but at most \(reachablePoints.compact) of \(maximum.compact) points can be reached",
          at: total.location)
      }
      totalIsTrivial = needed <= floorPoints + 1e-9
    }
    let levelsTrivial = required.values.allSatisfy { $0.score <= lowest }
    // A requirement naming an undefined level is already an error; do not also call the policy trivial.
    let requirementLevels = (policy.everyCriterion.map { [$0.level] } ?? []) + policy.gates.map(\.level)
    let allDefined = requirementLevels.allSatisfy { rubric.level($0) != nil }
    if levelsTrivial, totalIsTrivial, allDefined, !rubric.criteria.isEmpty {
      add(
        RubricRules.policyTrivial,
        "every submission earns this: nothing above the lowest level and no total above the minimum is required; add <every-criterion at-least=\"...\"/>, a criterion gate or a <total>",
        at: policy.location)
    }
    for criterion in rubric.criteria where criterion.carryOver && required[criterion.id] == nil {
      add(
        RubricRules.carryOverUnmet,
        "'\(criterion.id)' has carry-over, but no level is required of it, so nothing is ever carried; require a level (<every-criterion> or a gate) or remove carry-over",
        at: criterion.location)
    }
    let attempts = policy.attempts
    let attemptsLocation = attempts.location ?? policy.location
    if attempts.rule == .nMastery {
      if let count = attempts.count {
        if let maximum = attempts.maximum, count > maximum {
          add(
            RubricRules.attemptsPolicy,
            "n-mastery counts a level once it is reached in \(count) attempts, but at most \(maximum) are allowed",
            at: attemptsLocation)
        }
      } else {
        add(
          RubricRules.attemptsPolicy,
          "n-mastery needs n, in how many attempts a criterion must reach its level, e.g. n=\"2\"",
          at: attemptsLocation)
      }
    }
    if attempts.rule == .decayingAverage {
      if let decay = attempts.decay {
        if decay <= 0 || decay >= 1 {
          add(
            RubricRules.attemptsPolicy, "decay \(decay.compact) must be between 0 and 1, exclusive",
            at: attemptsLocation)
        }
      } else {
        add(RubricRules.attemptsPolicy, "decaying-average needs a decay, e.g. decay=\"0.65\"", at: attemptsLocation)
      }
    }
  }
}
