import Foundation

/// Grades submissions end to end: finds them, loads and checks each
/// manifest, picks its rubric, resolves and hashes its evidence, grades, and
/// hands each report on in input order as soon as it and those before it are
/// done (at most a few in flight, so memory stays flat however many there are).
public struct GradingSession: Sendable {
  public let catalog: RubricCatalog
  public let grader: Grader
  private let loader: SubmissionLoader

  public init(catalog: RubricCatalog, grader: Grader = Grader()) throws {
    self.catalog = catalog
    self.grader = grader
    loader = try SubmissionLoader()
  }

  /// The submissions named by `paths`.
  ///
  /// Each path is a manifest file, a folder holding `submission.xml`, or a folder searched (hidden folders
  /// skipped, never inside a submission) for folders that hold one. Sorted within each folder
  /// searched. A path that does not exist is kept, so grading reports it.
  public static func discover(_ paths: [String]) -> [String] {
    let manager = FileManager.default
    var found: [String] = []
    for path in paths {
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
        !manager.fileExists(atPath: (path as NSString).appendingPathComponent(SubmissionLoader.manifestName))
      else {
        found.append(path)
        continue
      }
      var inFolder: [String] = []
      var pending = [path]
      while let folder = pending.popLast() {
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
        for name in names where !name.hasPrefix(".") {
          let child = (folder as NSString).appendingPathComponent(name)
          var childIsFolder: ObjCBool = false
          guard manager.fileExists(atPath: child, isDirectory: &childIsFolder), childIsFolder.boolValue else {
            continue
          }
          if manager.fileExists(atPath: (child as NSString).appendingPathComponent(SubmissionLoader.manifestName)) {
            inFolder.append(child)
          } else {
            pending.append(child)
          }
        }
      }
      found += inFolder.sorted()
    }
    return found
  }

  /// The paths of shard `index` (1-based) of `count`: a stable split by each
  /// path's FNV-1a hash, so every path falls in exactly one shard and the same
  /// shard on every machine that names the submissions the same way.
  public static func shard(_ paths: [String], index: Int, of count: Int) -> [String] {
    paths.filter { path in
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in path.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
      }
      return Int(hash % UInt64(count)) == index - 1
    }
  }

  /// A submission loaded, checked against its rubric, and its evidence resolved and hashed: ready
  /// to grade (or to compare with a recorded decision).
  public struct PreparedSubmission: Sendable {
    public var submission: Submission
    public var entry: RubricCatalog.Entry
    public var manifestSHA256: String
    public var evidence: [ResolvedEvidence]
    /// Warnings (errors make the submission invalid instead).
    public var findings: [Finding]
  }

  /// Loads a submission and checks it against its rubric, or says why it cannot be graded.
  public func prepare(_ path: String) -> Result<PreparedSubmission, InvalidSubmission> {
    let load = loader.load(path)
    guard let submission = load.submission, let manifestSHA = load.sha256 else {
      return .failure(
        InvalidSubmission(
          path: load.path, candidate: nil, credential: nil, version: nil,
          reasons: ["invalid: the manifest \(load.path) cannot be used"], findings: load.findings))
    }
    func invalid(_ reasons: [String], _ findings: [Finding]) -> Result<PreparedSubmission, InvalidSubmission> {
      .failure(
        InvalidSubmission(
          path: submission.folder, candidate: submission.candidate, credential: submission.credential,
          version: submission.version, reasons: reasons, findings: findings))
    }
    let entry: RubricCatalog.Entry
    switch catalog.rubric(for: submission) {
    case .success(let found): entry = found
    case .failure(let failure): return invalid(["invalid: " + failure.message], load.findings + failure.findings)
    }
    let (evidence, evidenceFindings) = grader.context.resolver.resolve(submission, rubric: entry.rubric)
    var findings =
      load.findings + (SubmissionLoader.check(submission, against: entry.rubric) + evidenceFindings).cappedPerRule()
    findings.sort { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
    let errors = findings.filter { $0.severity == .error }
    guard errors.isEmpty else {
      return invalid(
        ["invalid: the submission has \(plural(errors.count, "error")); fix the manifest or the files named"], findings)
    }
    return .success(
      PreparedSubmission(
        submission: submission, entry: entry, manifestSHA256: manifestSHA, evidence: evidence, findings: findings))
  }

  /// Grades one submission (folder or manifest).
  public func grade(_ path: String) async -> GradeReport {
    await grade(path, ledger: nil, reuse: false).report
  }

  /// Grades one submission (folder or manifest), or reports its recorded decision again when that
  /// still stands (`RecordedDecision.stands`).
  ///
  /// - Parameters:
  ///   - path: the submission folder or manifest.
  ///   - ledger: where recorded decisions, earlier attempts and the review watermark are read; nil for none.
  ///   - reuse: false to grade even when a recorded decision stands.
  /// - Returns: the report, and how it came about.
  public func grade(_ path: String, ledger: (any Ledger)?, reuse: Bool) async -> GradedSubmission {
    await grade(path, ledger: ledger, reuse: reuse, book: AttemptBook())
  }

  func grade(_ path: String, ledger: (any Ledger)?, reuse: Bool, book: AttemptBook) async -> GradedSubmission {
    let prepared: PreparedSubmission
    switch prepare(path) {
    case .success(let ready): prepared = ready
    case .failure(let invalid): return GradedSubmission(report: .invalid(invalid))
    }
    let key = SubmissionKey(prepared.submission)
    await book.begin(key)
    let graded = await grade(prepared, key: key, ledger: ledger, reuse: reuse, book: book)
    var decision: Decision?
    if case .decided(let made) = graded.report { decision = made }
    await book.finish(
      key, record: decision.map { AttemptRecord($0, rubric: prepared.entry.rubric) }, decision: decision)
    return graded
  }

  private func grade(
    _ prepared: PreparedSubmission, key: SubmissionKey, ledger: (any Ledger)?, reuse: Bool, book: AttemptBook
  ) async -> GradedSubmission {
    let submission = prepared.submission
    let entry = prepared.entry
    let manifestSHA = prepared.manifestSHA256
    let evidence = prepared.evidence
    let findings = prepared.findings
    let policy = entry.rubric.policy.attempts
    // This run's attempts of the candidate over the ledger's, attempt by attempt.
    var byAttempt: [Int: AttemptRecord] = [:]
    // A ledger that cannot be read here is not fatal: the submission is graded, and recording
    // the decision reports the ledger's problem.
    for record in (try? ledger?.attempts(credential: key.credential, candidate: key.candidate)) ?? [] {
      byAttempt[record.attempt] = record
    }
    for record in await book.settled(before: key) { byAttempt[record.attempt] = record }
    let evidenceSHA = AttemptRecord.evidenceSHA256(submission, evidence: evidence, resolver: grader.context.resolver)
    let earlier = EarlierAttempts(
      records: byAttempt.values.filter { $0.attempt < key.attempt }, evidenceSHA256: evidenceSHA)

    // The same evidence as an earlier attempt, judged by the same rubric: that decision stands.
    if let same = earlier.records.last(where: {
      $0.evidenceSHA256 == evidenceSHA && $0.rubricSHA256 == entry.sha256 && $0.identicalTo == nil
        && ($0.outcome == .earned || $0.outcome == .notYet)
    }) {
      let sameKey = SubmissionKey(credential: key.credential, candidate: key.candidate, attempt: same.attempt)
      let found =
        await book.decision(sameKey)
        ?? (try? ledger?.resumeState(sameKey) { _ in true })?.latest?.decision
      if let found {
        let decision = identical(
          found, to: same.attempt, submission: submission, manifestSHA256: manifestSHA, findings: findings,
          earlier: earlier, policy: policy)
        return GradedSubmission(
          report: .decided(decision),
          recorded: ledger == nil
            ? nil
            : recorded(decision, entry: entry, reviewsSeen: 0, basis: AttemptRecord.basis(earlier.records)))
      }
    }

    // No attempts left: refused, and recorded.
    if let maximum = policy.maximum {
      let others = byAttempt.values.filter { $0.attempt != key.attempt && $0.identicalTo == nil }.count
      if others >= maximum {
        let reason =
          "refused: \(key.candidate) has already made \(plural(others, "attempt")) at \(entry.rubric.id), the most it allows"
        return GradedSubmission(
          report: .invalid(
            InvalidSubmission(
              path: submission.folder, candidate: submission.candidate, credential: submission.credential,
              version: submission.version,
              reasons: [reason + "; the attempt was not graded (see `mastery history \(key.candidate)`)"],
              findings: findings)),
          refusal: Refusal(
            submission: key, reason: reason, recordedAt: Grader.timestamp(grader.clock())))
      }
    }

    let basis = AttemptRecord.basis(earlier.records)
    let state = try? ledger?.resumeState(key) { header in
      reuse && header.outcome != .pending && header.outcome != .error && header.rubricSHA256 == entry.sha256
        && header.rubricAssetsSHA256 == entry.assetsSHA256 && header.manifestSHA256 == manifestSHA
        && header.engineVersion == MasteryVersion.current && header.attemptsBasis == basis
    }
    let reviewsSeen = state?.reviewWatermark ?? 0
    if let previous = state?.latest,
      previous.stands(
        for: submission, rubric: entry, manifestSHA256: manifestSHA, evidence: evidence, reviewsSeen: reviewsSeen,
        resolver: grader.context.resolver)
    {
      var decision = previous.decision
      decision.submission.path = submission.folder
      return GradedSubmission(report: .decided(decision), reused: true)
    }
    let (decision, seconds) = await grader.measuredGrade(
      submission, rubric: entry.rubric, rubricSHA256: entry.sha256, evidence: evidence, manifestSHA256: manifestSHA,
      findings: findings, earlier: earlier)
    return GradedSubmission(
      report: .decided(decision),
      criterionSeconds: zip(entry.rubric.criteria, seconds).map { ($0.id, $1) },
      recorded: ledger == nil ? nil : recorded(decision, entry: entry, reviewsSeen: reviewsSeen, basis: basis))
  }

  private func recorded(_ decision: Decision, entry: RubricCatalog.Entry, reviewsSeen: Int64, basis: String)
    -> RecordedDecision
  {
    var recorded = RecordedDecision(decision, reviewsSeen: reviewsSeen, rubricAssetsSHA256: entry.assetsSHA256)
    recorded.attempt = AttemptRecord(decision, rubric: entry.rubric)
    recorded.attemptsBasis = basis
    return recorded
  }

  /// The decision of an earlier attempt with the same evidence, as this attempt's: not graded again.
  private func identical(
    _ earlierDecision: Decision, to attempt: Int, submission: Submission, manifestSHA256: String,
    findings: [Finding], earlier: EarlierAttempts, policy: AttemptsPolicy
  ) -> Decision {
    var decision = earlierDecision
    decision.findings = findings
    decision.submission = .init(
      path: submission.folder, manifestSHA256: manifestSHA256, candidate: submission.candidate,
      attempt: submission.attempt, submitted: submission.submitted, version: submission.version)
    decision.reasons.insert(
      "same evidence: attempt \(submission.attempt) submitted exactly what attempt \(attempt) did, so it was not graded again and attempt \(attempt)'s decision stands; it does not count as a further attempt",
      at: 0)
    let counted = earlier.graded.map(\.attempt)
    decision.attempts = .init(
      policy: policy.rule.rawValue, max: policy.maximum,
      left: policy.maximum.map { Swift.max(0, $0 - counted.count) }, earlier: counted, identicalTo: attempt,
      evidenceSHA256: earlier.evidenceSHA256)
    decision.gradedAt = Grader.timestamp(grader.clock())
    return decision
  }

  /// Grades every path, at most `jobs` at a time, and calls `emit` with each
  /// report in the order of `paths`.
  public func grade(
    _ paths: [String], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    emit: (GradeReport) throws -> Void
  ) async rethrows {
    try await grade(paths, jobs: jobs, ledger: nil, reuse: false, finished: { _ in }) { try emit($0.report) }
  }

  /// Grades every path, at most `jobs` at a time, reusing recorded decisions that still stand
  /// when `reuse` is true. Calls `finished` with each as soon as it is done (to record it without
  /// waiting for slower ones before it), and `emit` with each in the order of `paths`.
  public func grade(
    _ paths: [String], jobs: Int = ProcessInfo.processInfo.activeProcessorCount, ledger: (any Ledger)?,
    reuse: Bool, finished: (GradedSubmission) async throws -> Void,
    emit: (GradedSubmission) throws -> Void
  ) async rethrows {
    let window = max(1, jobs)
    let book = AttemptBook(recentLimit: max(64, window * 8))
    var buffered: [Int: GradedSubmission] = [:]
    var nextToEmit = 0
    var nextToStart = 0
    var running = 0
    try await withThrowingTaskGroup(of: (Int, GradedSubmission).self) { group in
      // At most `window` running, and at most 4 × window done but waiting for
      // an earlier one, so memory does not grow with the number of submissions.
      func startMore() {
        while running < window, nextToStart < paths.count, nextToStart - nextToEmit < window * 4 {
          let index = nextToStart
          group.addTask { (index, await self.grade(paths[index], ledger: ledger, reuse: reuse, book: book)) }
          nextToStart += 1
          running += 1
        }
      }
      startMore()
      while let (index, report) = try await group.next() {
        running -= 1
        try await finished(report)
        buffered[index] = report
        while let ready = buffered.removeValue(forKey: nextToEmit) {
          try emit(ready)
          nextToEmit += 1
        }
        startMore()
      }
    }
  }
}
