/// The built-in evaluator kinds.
///
/// One explicit, immutable list, turned into a dictionary once. A test
/// checks that the kinds are unique.
public enum EvaluatorRegistry {
  public static let configurations: [any EvaluatorConfiguration.Type] = [
    ChecklistConfiguration.self,
    TextConfiguration.self,
    PythonTestsConfiguration.self,
    WebConfiguration.self,
    ReviewerConfiguration.self,
    CommandConfiguration.self,
  ]

  public static let byKind: [String: any EvaluatorConfiguration.Type] = Dictionary(
    configurations.map { ($0.description.kind, $0) }, uniquingKeysWith: { first, _ in first })

  /// The evaluators that grade.
  ///
  /// One per kind whose grading has shipped. A kind with a configuration but no evaluator yet is
  /// reported as a grader error when a rubric uses it, never as a low level.
  public static let evaluators: [any Evaluator.Type] = [
    ChecklistEvaluator.self,
    TextEvaluator.self,
    ReviewerEvaluator.self,
    PythonTestsEvaluator.self,
    WebEvaluator.self,
    CommandEvaluator.self,
  ]

  public static let evaluatorsByKind: [String: any Evaluator.Type] = Dictionary(
    evaluators.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

  /// Every registered kind, in registration order.
  public static var kinds: [String] { configurations.map { $0.description.kind } }
}
