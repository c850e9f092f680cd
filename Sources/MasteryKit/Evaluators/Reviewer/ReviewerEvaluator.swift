/// Grades a `reviewer` criterion from the reviews saved for it.
///
/// Pending until the configured number of reviewers have scored it, and
/// pending for adjudication when their levels differ by more than allowed;
/// otherwise the levels combine by median (the lower middle for an even
/// count), lowest, or mean rounded down.
public struct ReviewerEvaluator: Evaluator {
  public let configuration: ReviewerConfiguration

  public init(configuration: ReviewerConfiguration) {
    self.configuration = configuration
  }

  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    let all = try await input.context.reviews.reviews(for: input.submission, criterion: input.criterion.id)
    let levels = input.rubric.levels
    // An adjudicator's level is final.
    if let ruling = all.last(where: \.adjudicated), let level = levels.first(where: { $0.id == ruling.level }) {
      let feedback =
        all.filter { !$0.adjudicated }.compactMap { review in review.feedback.map { "Reviewer: \($0)" } }
        + (ruling.feedback.map { ["Adjudicated: \($0)"] } ?? [])
      return .scored(level.id, summary: "adjudicated by \(ruling.reviewer): \(level.label)", feedback: feedback)
    }
    let reviews = all.filter { !$0.adjudicated }
    let indexed = reviews.compactMap { review in levels.firstIndex { $0.id == review.level }.map { (review, $0) } }
    let needed = configuration.reviewers
    guard indexed.count >= needed else {
      let noun = needed == 1 ? "review" : "reviews"
      return .pending("waiting for \(needed) \(noun) (\(indexed.count) of \(needed) in)")
    }
    let positions = indexed.map(\.1).sorted()
    guard let lowest = positions.first, let highest = positions.last else { return .error("no review levels") }
    if highest - lowest > configuration.maxDisagreement {
      return .pending(
        "needs adjudication: reviewers gave \(levels[lowest].label) and \(levels[highest].label), \(highest - lowest) levels apart (at most \(configuration.maxDisagreement) allowed)"
      )
    }
    let combined: Int
    switch configuration.combine {
    case .median: combined = positions[(positions.count - 1) / 2]
    case .lowest: combined = lowest
    case .meanFloor: combined = positions.reduce(0, +) / positions.count
    }
    let feedback = indexed.compactMap { review, _ in review.feedback.map { "Reviewer: \($0)" } }
    let summary =
      "\(indexed.count) \(indexed.count == 1 ? "review" : "reviews"): "
      + indexed.map { levels[$0.1].label }.joined(separator: ", ")
    return .scored(levels[combined].id, summary: summary, feedback: feedback)
  }
}
