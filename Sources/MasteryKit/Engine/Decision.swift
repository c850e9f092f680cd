/// The mastery decision for one submission, with everything needed to trace
/// it: the rubric (id, version, SHA-256), the manifest and every evidence
/// file (SHA-256), each criterion's result, the total and the reasons in words.
public struct Decision: Sendable, Hashable, Codable {
  public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
    case earned
    case notYet = "not-yet"
    case pending
    /// The grader failed (never the candidate's fault).
    case error
  }

  public struct Credential: Sendable, Hashable, Codable {
    public var id: String
    public var version: String
    public var title: String
    public var rubricPath: String
    public var rubricSHA256: String
  }

  public struct SubmissionReference: Sendable, Hashable, Codable {
    public var path: String
    public var manifestSHA256: String
    public var candidate: Submission.Candidate
    public var attempt: Int
    public var submitted: String
    /// The credential version the candidate submitted for (may differ in MINOR or PATCH).
    public var version: String
  }

  public struct Total: Sendable, Hashable, Codable {
    public var points: Double
    public var maximum: Double
    /// points / maximum × 100; 100 when the maximum is 0 (nothing weighs).
    public var percent: Double
    /// The policy's threshold as written ("70%", "12"), if any.
    public var required: String?
    public var meetsRequirement: Bool?
  }

  /// Where this attempt stands among the candidate's attempts at the credential.
  public struct Attempts: Sendable, Hashable, Codable {
    /// The rubric's attempts policy (`latest`, `highest`, ...).
    public var policy: String
    /// The most attempts the rubric allows; nil for no limit.
    public var max: Int?
    /// Attempts left after this one; nil for no limit.
    public var left: Int?
    /// The earlier attempts this decision took into account, oldest first.
    public var earlier: [Int]
    /// The earlier attempt whose evidence this one repeats: it was not graded again.
    public var identicalTo: Int?
    /// A fingerprint of the evidence judged (`AttemptRecord.evidenceSHA256`).
    public var evidenceSHA256: String
  }

  public var outcome: Outcome
  public var reasons: [String]
  public var credential: Credential
  public var submission: SubmissionReference
  public var total: Total
  public var criteria: [CriterionResult]
  public var evidence: [EvidenceFile]
  /// Warnings about the manifest (errors make it invalid input instead).
  public var findings: [Finding]
  /// When it was graded, ISO 8601 (SOURCE_DATE_EPOCH fixes it for reproducible output).
  public var gradedAt: String
  public var engineVersion: String
  /// Nil in decisions recorded before attempts were tracked.
  public var attempts: Attempts? = nil
}
