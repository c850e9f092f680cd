/// What grading one submission produced: a decision, or the reasons the
/// input could not be graded (a malformed manifest, no rubric, a symbolic link).
public enum GradeReport: Sendable, Hashable {
  case decided(Decision)
  case invalid(InvalidSubmission)

  /// The exit status this report asks for: 0 earned, 1 not yet, 2 pending,
  /// 3 invalid input, 4 grader error.
  public var exitStatus: Int32 {
    switch self {
    case .invalid: return 3
    case .decided(let decision):
      switch decision.outcome {
      case .earned: return 0
      case .notYet: return 1
      case .pending: return 2
      case .error: return 4
      }
    }
  }

  /// The most severe of several statuses: 4 and 3 over 2 over 1 over 0 (4 over 3).
  public static func combinedExitStatus(_ statuses: [Int32]) -> Int32 {
    let rank: [Int32: Int] = [0: 0, 1: 1, 2: 2, 3: 3, 4: 4]
    return statuses.max { (rank[$0] ?? 5) < (rank[$1] ?? 5) } ?? 0
  }
}

/// A submission that could not be graded, and why, at exact places.
public struct InvalidSubmission: Error, Sendable, Hashable, Codable {
  public var path: String
  public var candidate: Submission.Candidate?
  public var credential: String?
  public var version: String?
  public var reasons: [String]
  public var findings: [Finding]
}
