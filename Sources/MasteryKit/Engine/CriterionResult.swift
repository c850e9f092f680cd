/// How one criterion of one submission was judged: the level and points,
/// what the policy requires of it, and feedback for the candidate.
public struct CriterionResult: Sendable, Hashable, Codable {
  /// The next level up and what it looks like ("to reach Proficient: ...").
  public struct NextLevel: Sendable, Hashable, Codable {
    public var level: String
    public var label: String
    public var descriptor: String?
  }

  /// How earlier attempts shaped this result (present once there is an earlier attempt).
  public struct AcrossAttempts: Sendable, Hashable, Codable {
    public struct Own: Sendable, Hashable, Codable {
      public var level: String
      public var label: String
      public var score: Double
    }

    public struct Previous: Sendable, Hashable, Codable {
      public var attempt: Int
      /// Nil when the previous attempt had no level for it (pending, an error, or no such criterion).
      public var level: String?
      public var label: String?
    }

    public struct Score: Sendable, Hashable, Codable {
      public var attempt: Int
      public var score: Double
    }

    /// What this attempt reached on its own; nil when carried over or not scored.
    public var own: Own?
    /// The earlier attempt whose level is kept (`carry-over`): not judged again.
    public var carriedFrom: Int?
    /// The standing level after the previous attempt, for progress ("Developing → Proficient").
    public var previous: Previous?
    /// Each attempt's own score that the attempts policy combined, oldest first.
    public var scores: [Score]
  }

  public var criterion: String
  public var title: String
  public var evaluator: String
  public var weight: Double
  public var status: Verdict.Status
  /// The level reached; nil while pending or after an error.
  public var level: String?
  public var levelLabel: String?
  public var score: Double?
  /// weight × score; nil while pending or after an error.
  public var points: Double?
  /// weight × the top score.
  public var maximumPoints: Double
  /// The lowest level the mastery policy accepts for this criterion, if any.
  public var requiredLevel: String?
  public var requiredLabel: String?
  /// Whether the level reached meets `requiredLevel` (nil when nothing is required or nothing was scored).
  public var meetsRequirement: Bool?
  /// One line on what was found ("5 of 7 checks affirmed").
  public var summary: String?
  /// The descriptor of the level reached.
  public var descriptor: String?
  public var nextLevel: NextLevel?
  /// The evaluator's own lines for the candidate.
  public var feedback: [String]
  /// Why it is pending, or why it could not be judged.
  public var message: String?
  /// The files the judgement rests on.
  public var evidence: [EvidenceFile]
  /// Built-in checks that failed, each with every problem found (`web`); nil when none failed.
  public var failedChecks: [CheckFailure]? = nil
  /// The test run as data (`python-tests`); nil for other evaluators.
  public var tests: TestRunResult? = nil
  public var acrossAttempts: AcrossAttempts? = nil
}
