import Foundation

/// One recorded attempt of a candidate at a credential, as later attempts need it: each
/// criterion's own result (before the attempts policy combined it with earlier ones) and the
/// standing one, and what the judged evidence was.
public struct AttemptRecord: Sendable, Hashable {
  public struct Criterion: Sendable, Hashable {
    public var criterion: String
    /// `Criterion.definition` when it was graded; nil in decisions recorded before schema v6.
    public var definition: String?
    public var status: Verdict.Status
    /// The standing level (after the attempts policy), nil while pending or after an error.
    public var level: String?
    /// The level this attempt reached on its own; nil when carried over or not scored.
    public var ownLevel: String?
    public var ownScore: Double?
    /// The attempt whose level was kept (carry-over).
    public var carriedFrom: Int?

    public init(
      criterion: String, definition: String?, status: Verdict.Status, level: String?, ownLevel: String?,
      ownScore: Double?, carriedFrom: Int?
    ) {
      self.criterion = criterion
      self.definition = definition
      self.status = status
      self.level = level
      self.ownLevel = ownLevel
      self.ownScore = ownScore
      self.carriedFrom = carriedFrom
    }
  }

  public var credential: String
  public var attempt: Int
  public var outcome: Decision.Outcome
  public var rubricSHA256: String
  /// `AttemptRecord.evidenceSHA256(...)` of what was judged; nil before schema v6.
  public var evidenceSHA256: String?
  /// The earlier attempt whose evidence this one repeated (it was not graded again).
  public var identicalTo: Int?
  public var criteria: [Criterion]

  public init(
    credential: String, attempt: Int, outcome: Decision.Outcome, rubricSHA256: String, evidenceSHA256: String?,
    identicalTo: Int?, criteria: [Criterion]
  ) {
    self.credential = credential
    self.attempt = attempt
    self.outcome = outcome
    self.rubricSHA256 = rubricSHA256
    self.evidenceSHA256 = evidenceSHA256
    self.identicalTo = identicalTo
    self.criteria = criteria
  }

  /// The record of a decision just made with `rubric`.
  public init(_ decision: Decision, rubric: Microcredential?) {
    self.init(
      credential: decision.credential.id, attempt: decision.submission.attempt, outcome: decision.outcome,
      rubricSHA256: decision.credential.rubricSHA256,
      evidenceSHA256: decision.attempts?.evidenceSHA256, identicalTo: decision.attempts?.identicalTo,
      criteria: decision.criteria.map { result in
        let across = result.acrossAttempts
        let carried = across?.carriedFrom
        return Criterion(
          criterion: result.criterion, definition: rubric?.criterion(result.criterion)?.definition,
          status: result.status, level: result.level,
          ownLevel: carried != nil ? nil : across.map { $0.own?.level } ?? result.level,
          ownScore: carried != nil ? nil : across.map { $0.own?.score } ?? result.score, carriedFrom: carried)
      })
  }

  public func criterion(_ id: String) -> Criterion? { criteria.first { $0.criterion == id } }

  /// A fingerprint of everything a candidate submitted that grading reads: each evidence item's
  /// state and files (path and SHA-256), and each checklist affirmation with its note and the
  /// SHA-256 of its attachment. Two attempts with the same fingerprint submitted the same thing.
  public static func evidenceSHA256(
    _ submission: Submission, evidence: [ResolvedEvidence], resolver: EvidenceResolver
  ) -> String {
    var lines: [String] = []
    for resolved in evidence.sorted(by: { $0.item.id < $1.item.id }) {
      switch resolved.state {
      case .present: lines.append("item \(resolved.item.id) present")
      case .url(let url): lines.append("item \(resolved.item.id) url \(url)")
      case .missing: lines.append("item \(resolved.item.id) missing")
      }
      for file in resolved.files { lines.append("file \(file.path) \(file.sha256)") }
    }
    for affirmation in submission.affirmations {
      var line = "check \(affirmation.criterion)/\(affirmation.check) note \(affirmation.note ?? "")"
      if let file = affirmation.file {
        let label = "check:\(affirmation.criterion)/\(affirmation.check)"
        switch resolver.attachment(file, in: submission, label: label) {
        case .success(let attached): line += " file \(file) \(attached.sha256)"
        case .failure: line += " file \(file) missing"
        }
      }
      lines.append(line)
    }
    return EvidenceResolver.sha256(of: Data(lines.sorted().joined(separator: "\n").utf8))
  }

  /// A fingerprint of earlier attempts as a decision took them into account: a recorded decision
  /// stands only while its earlier attempts are as they were.
  public static func basis(_ earlier: [AttemptRecord]) -> String {
    var text = ""
    for record in earlier.sorted(by: { $0.attempt < $1.attempt }) {
      text += "\(record.attempt) \(record.outcome.rawValue) \(record.evidenceSHA256 ?? "") \(record.identicalTo ?? 0)\n"
      for criterion in record.criteria {
        text +=
          " \(criterion.criterion) \(criterion.definition ?? "") \(criterion.status.rawValue) \(criterion.level ?? "")"
          + " \(criterion.ownLevel ?? "") \(criterion.carriedFrom ?? 0)\n"
      }
    }
    return EvidenceResolver.sha256(of: Data(text.utf8))
  }
}

/// A further attempt that the rubric's `max` does not allow: not graded, and recorded.
public struct Refusal: Sendable, Hashable {
  public var submission: SubmissionKey
  public var reason: String
  public var recordedAt: String

  public init(submission: SubmissionKey, reason: String, recordedAt: String) {
    self.submission = submission
    self.reason = reason
    self.recordedAt = recordedAt
  }
}
