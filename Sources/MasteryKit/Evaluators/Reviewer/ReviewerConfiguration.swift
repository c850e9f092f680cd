/// `reviewer`: trained human reviewers score the criterion; several may be
/// required, with a limit on how far they may disagree before adjudication.
public struct ReviewerConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "reviewer", summary: "Human reviewers' levels and feedback, with disagreement and adjudication.",
    examples: [
      .valid(#"<evaluator kind="reviewer" reviewers="2" max-disagreement="1" combine="median"/>"#),
      .invalid(
        #"<evaluator kind="reviewer" reviewers="0" combine="average"><level-at passed="1" level="proficient"/></evaluator>"#,
        "evaluator-config", "evaluator-config", "evaluator-config"),
    ])

  /// How agreeing reviews combine into one level.
  public enum Combination: String, Sendable, Hashable, CaseIterable {
    case median
    case lowest
    case meanFloor = "mean-floor"
  }

  public var reviewers: Int
  public var maxDisagreement: Int
  public var combine: Combination

  public init(reading reader: ConfigurationReader) {
    reviewers = reader.integer("reviewers", default: 1, in: 1...20)
    maxDisagreement = reader.integer("max-disagreement", default: 1, in: 0...100)
    combine = reader.choice("combine", default: Combination.median)
  }

  public var reachableLevels: Set<String>? { nil }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    let who = reviewers == 1 ? "A trained reviewer scores" : "\(reviewers) trained reviewers score"
    return ["\(who) this against the descriptors below."]
  }
}
