import Foundation

/// Grades one submission against its rubric: every criterion concurrently
/// (at most `jobs` at a time), then the mastery policy.
///
/// A criterion whose required evidence is missing gets the lowest level with
/// feedback naming the item (the candidate's shortfall); an evaluator that
/// throws, or a kind whose evaluator has not shipped, gives `error` for that
/// criterion only, never a low level.
public struct Grader: Sendable {
  public var context: EvaluationContext
  public var jobs: Int
  /// The time every decision records.
  public var clock: @Sendable () -> Date

  public init(
    context: EvaluationContext = EvaluationContext(), jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    clock: @escaping @Sendable () -> Date = Grader.environmentClock
  ) {
    self.context = context
    self.jobs = max(1, jobs)
    self.clock = clock
  }

  /// `SOURCE_DATE_EPOCH` when it is set to whole seconds since 1970, as the reproducible-builds
  /// convention defines it; anything else is ignored.
  static let sourceDateEpoch: Date? = {
    guard let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(epoch),
      seconds >= 0, seconds < 253_402_300_800
    else { return nil }
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }()

  /// True for reproducible output: measurements of runs are left out.
  static var reproducible: Bool { sourceDateEpoch != nil }

  /// The current time, or `SOURCE_DATE_EPOCH` when set (reproducible output).
  public static let environmentClock: @Sendable () -> Date = { sourceDateEpoch ?? Date() }

  /// Grades a checked submission.
  ///
  /// - Parameters:
  ///   - submission: the submission, already checked against the rubric.
  ///   - rubric: the rubric.
  ///   - rubricSHA256: the SHA-256 of the rubric file.
  ///   - evidence: the submission's evidence, resolved.
  ///   - manifestSHA256: the manifest's SHA-256.
  ///   - findings: warnings to carry in the decision.
  /// - Returns: the decision.
  public func grade(
    _ submission: Submission, rubric: Microcredential, rubricSHA256: String, evidence: [ResolvedEvidence],
    manifestSHA256: String, findings: [Finding] = []
  ) async -> Decision {
    await measuredGrade(
      submission, rubric: rubric, rubricSHA256: rubricSHA256, evidence: evidence, manifestSHA256: manifestSHA256,
      findings: findings
    ).decision
  }

  /// Grades as `grade` does, and times each criterion.
  ///
  /// - Returns: the decision, and the seconds each criterion's evaluator took, in rubric order.
  ///
  /// - Parameter earlier: the candidate's earlier attempts: criteria they already met with
  ///   `carry-over` are not judged again, and the rubric's attempts policy combines each
  ///   criterion's results across attempts. Nil for an attempt judged alone.
  public func measuredGrade(
    _ submission: Submission, rubric: Microcredential, rubricSHA256: String, evidence: [ResolvedEvidence],
    manifestSHA256: String, findings: [Finding] = [], earlier: EarlierAttempts? = nil
  ) async -> (decision: Decision, seconds: [Double]) {
    let criteria = rubric.criteria
    let requirements = PolicyEvaluation.requirements(of: rubric)
    let carried = Self.carried(rubric, earlier: earlier, requirements: requirements)
    var verdicts = [Verdict?](repeating: nil, count: criteria.count)
    for (index, kept) in carried {
      verdicts[index] = .scored(kept.level.id, summary: "kept from attempt \(kept.from); not judged again")
    }
    var seconds = [Double](repeating: 0, count: criteria.count)
    let toJudge = criteria.indices.filter { carried[$0] == nil }
    await withTaskGroup(of: (Int, Verdict, Duration).self) { group in
      var position = 0
      func start() {
        let index = toJudge[position]
        position += 1
        let input = EvaluationInput(
          criterion: criteria[index], rubric: rubric, submission: submission,
          evidence: evidence.filter { criteria[index].evidence.contains($0.item.id) }, context: context)
        group.addTask {
          let started = ContinuousClock.now
          let verdict = await Self.judge(input)
          return (index, verdict, ContinuousClock.now - started)
        }
      }
      while position < min(jobs, toJudge.count) { start() }
      for await (index, verdict, duration) in group {
        verdicts[index] = verdict
        seconds[index] = duration.inSeconds
        if position < toJudge.count { start() }
      }
    }
    let results = criteria.indices.map { index in
      let criterion = criteria[index]
      let verdict = verdicts[index] ?? .error("not judged")
      var result = Self.result(criterion, verdict, rubric: rubric, required: requirements[criterion.id])
      // The files judged: the criterion's evidence items, then what the evaluator added (attachments).
      if carried[index] == nil {
        result.evidence =
          evidence.filter { criterion.evidence.contains($0.item.id) }.flatMap(\.files) + result.evidence
      }
      guard let earlier else { return result }
      return Self.acrossAttempts(
        result, criterion: criterion, verdict: verdict, rubric: rubric, required: requirements[criterion.id],
        attempt: submission.attempt, earlier: earlier, carriedFrom: carried[index]?.from)
    }
    var seen = Set<String>()
    let files = (evidence.flatMap(\.files) + results.flatMap(\.evidence)).filter {
      seen.insert($0.item + "\u{0}" + $0.path).inserted
    }
    let total = PolicyEvaluation.total(results, rubric: rubric)
    var (outcome, reasons) = PolicyEvaluation.decide(results, total: total, rubric: rubric)
    for (index, kept) in carried.sorted(by: { $0.key < $1.key }) {
      reasons.append(
        "carried over: \(criteria[index].title) keeps \(kept.level.label) from attempt \(kept.from); it was not judged again")
    }
    var attempts: Decision.Attempts?
    if let earlier {
      let policy = rubric.policy.attempts
      let counted = earlier.graded.map(\.attempt)
      attempts = Decision.Attempts(
        policy: policy.rule.rawValue, max: policy.maximum,
        left: policy.maximum.map { Swift.max(0, $0 - counted.count - 1) }, earlier: counted, identicalTo: nil,
        evidenceSHA256: earlier.evidenceSHA256)
    }
    let decision = Decision(
      outcome: outcome, reasons: reasons,
      credential: .init(
        id: rubric.id, version: rubric.version, title: rubric.title, rubricPath: rubric.path, rubricSHA256: rubricSHA256
      ),
      submission: .init(
        path: submission.folder, manifestSHA256: manifestSHA256, candidate: submission.candidate,
        attempt: submission.attempt, submitted: submission.submitted, version: submission.version),
      total: total, criteria: results, evidence: files, findings: findings,
      gradedAt: Self.timestamp(clock()), engineVersion: MasteryVersion.current, attempts: attempts)
    return (decision, seconds)
  }

  /// Runs the criterion's evaluator, or explains why it cannot run.
  static func judge(_ input: EvaluationInput) async -> Verdict {
    let criterion = input.criterion
    let missing = input.evidence.filter { $0.item.required && !$0.isPresent }
    if !missing.isEmpty, let floor = input.rubric.levels.first {
      let lines = missing.map { evidence -> String in
        if case .missing(let reason) = evidence.state {
          return "Missing evidence '\(evidence.item.id)': \(reason)."
        }
        return "Missing evidence '\(evidence.item.id)'."
      }
      var verdict = Verdict.scored(floor.id, summary: "required evidence is missing", feedback: lines)
      verdict.missingEvidence = true
      return verdict
    }
    guard let configuration = criterion.evaluator.configuration else {
      return .error("the rubric's evaluator kind '\(criterion.evaluator.kind)' is not registered")
    }
    guard let evaluator = EvaluatorRegistry.evaluatorsByKind[criterion.evaluator.kind] else {
      return .error("the \(criterion.evaluator.kind) evaluator is not available in mastery \(MasteryVersion.current)")
    }
    do {
      let verdict = try await evaluator.evaluate(configuration, input)
      if verdict.status == .scored, let level = verdict.level, input.rubric.level(level) == nil {
        return .error(
          "the \(criterion.evaluator.kind) evaluator gave level '\(level)', which the rubric does not define")
      }
      return verdict
    } catch {
      return .error("the \(criterion.evaluator.kind) evaluator failed: \(error)")
    }
  }

  static func result(_ criterion: Criterion, _ verdict: Verdict, rubric: Microcredential, required: Level?)
    -> CriterionResult
  {
    let level = verdict.status == .scored ? verdict.level.flatMap { rubric.level($0) } : nil
    var next: CriterionResult.NextLevel?
    if let level, !verdict.missingEvidence, let index = rubric.levels.firstIndex(of: level),
      index + 1 < rubric.levels.count
    {
      let up = rubric.levels[index + 1]
      next = .init(level: up.id, label: up.label, descriptor: criterion.descriptor(for: up.id)?.text)
    }
    return CriterionResult(
      criterion: criterion.id, title: criterion.title, evaluator: criterion.evaluator.kind, weight: criterion.weight,
      status: verdict.status, level: level?.id, levelLabel: level?.label, score: level?.score,
      points: level.map { $0.score * criterion.weight }, maximumPoints: rubric.maximumScore * criterion.weight,
      requiredLevel: required?.id, requiredLabel: required?.label,
      meetsRequirement: required.flatMap { required in level.map { $0.score >= required.score } },
      summary: verdict.summary, descriptor: level.flatMap { criterion.descriptor(for: $0.id)?.text }, nextLevel: next,
      feedback: verdict.feedback, message: verdict.message, evidence: verdict.evidence,
      failedChecks: verdict.failedChecks.isEmpty ? nil : verdict.failedChecks,
      tests: reproducible ? verdict.tests?.withoutMeasurements : verdict.tests)
  }

  /// ISO 8601 in UTC, to the second ("2026-11-20T14:03:00Z").
  ///
  /// Formatted by hand: a formatter object per decision costs more than the grading.
  public static func timestamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }
}
