/// A human reviewer's level and feedback for one criterion of one submission.
public struct Review: Sendable, Hashable, Codable {
  public var reviewer: String
  public var criterion: String
  public var level: String
  public var feedback: String?
  /// A final level set by an adjudicator for a disputed criterion.
  public var adjudicated: Bool

  public init(reviewer: String, criterion: String, level: String, feedback: String? = nil, adjudicated: Bool = false) {
    self.reviewer = reviewer
    self.criterion = criterion
    self.level = level
    self.feedback = feedback
    self.adjudicated = adjudicated
  }
}

/// Where the `reviewer` evaluator finds the reviews saved so far.
///
/// A conforming type returns, for one submission and criterion, the current
/// review of each reviewer (a revised review replaces the one it supersedes).
public protocol ReviewSource: Sendable {
  func reviews(for submission: Submission, criterion: String) async throws -> [Review]
}

/// No reviews at all: every reviewer criterion waits.
public struct NoReviews: ReviewSource {
  public init() {}

  public func reviews(for submission: Submission, criterion: String) async throws -> [Review] { [] }
}

/// Reviews held in memory, keyed by candidate id (for tests and imports).
public struct InMemoryReviews: ReviewSource {
  public var byCandidate: [String: [Review]]

  public init(_ byCandidate: [String: [Review]]) {
    self.byCandidate = byCandidate
  }

  public func reviews(for submission: Submission, criterion: String) async throws -> [Review] {
    (byCandidate[submission.candidate.id] ?? []).filter { $0.criterion == criterion }
  }
}
