/// Every rule `mastery validate` applies to a rubric, in the order they are documented.
public enum RubricRules {
  public static let duplicateID = LintRule(
    id: "duplicate-id", severity: .error, summary: "Two things of the same kind share an id.",
    help:
      "Ids of levels, evidence items, criteria, descriptors and evaluator items must be unique within their list; rename one."
  )
  public static let levelOrder = LintRule(
    id: "level-order", severity: .error, summary: "Level scores do not strictly increase.",
    help: "List levels from lowest to highest, each with a higher score than the one before.")
  public static let tooFewLevels = LintRule(
    id: "too-few-levels", severity: .warning, summary: "Fewer than two levels.",
    help: "A rubric with one level cannot tell mastery from not-yet; add at least a 'not yet' level.")
  public static let undefinedLevel = LintRule(
    id: "undefined-level", severity: .error, summary: "A reference names a level that is not defined.",
    help: "Use one of the ids listed under <levels>.")
  public static let undefinedCriterion = LintRule(
    id: "undefined-criterion", severity: .error, summary: "A reference names a criterion that is not defined.",
    help: "Use one of the ids of the <criterion> elements under <criteria>.")
  public static let undefinedEvidence = LintRule(
    id: "undefined-evidence", severity: .error, summary: "A criterion names an evidence item that is not defined.",
    help: "Use one of the ids listed under <evidence>.")
  public static let unknownEvaluator = LintRule(
    id: "unknown-evaluator", severity: .error, summary: "The evaluator kind is not registered.",
    help: "Use one of: checklist, text, python-tests, web, reviewer, command.")
  public static let evaluatorConfig = LintRule(
    id: "evaluator-config", severity: .error, summary: "The evaluator's configuration is not valid for its kind.",
    help: "See the evaluator's section in docs/rubric-format.md for its attributes and child elements.")
  public static let thresholdOrder = LintRule(
    id: "threshold-order", severity: .error, summary: "Level thresholds do not descend.",
    help: "List <level-at> from the highest threshold to the lowest, each naming a level no higher than the one before."
  )
  public static let missingFile = LintRule(
    id: "missing-file", severity: .error, summary: "A file or folder the configuration names is not beside the rubric.",
    help: "Paths in evaluator configuration are relative to the rubric's folder; create the file or fix the path.")
  public static let badImage = LintRule(
    id: "bad-image", severity: .error, summary: "A badge or issuer image is not a PNG or SVG file of at most 256 KiB, nor an https URL.",
    help: "Give a PNG or SVG file beside the rubric (src=\"badge.png\"), or the https URL of one.")
  public static let weightNotPositive = LintRule(
    id: "weight-not-positive", severity: .error,
    summary: "A criterion's weight is negative (an error) or zero (a warning).",
    help:
      "Give every criterion a weight of zero or more. A zero weight keeps the criterion out of the total; its gate and every-criterion still apply."
  )
  public static let policyUnreachable = LintRule(
    id: "policy-unreachable", severity: .error, summary: "No submission can meet the mastery policy.",
    help: "Lower the requirement, or let the criterion's evaluator reach the level required.")
  public static let policyTrivial = LintRule(
    id: "policy-trivial", severity: .warning, summary: "Every submission meets the mastery policy.",
    help: "Require a level above the lowest for every criterion, a gate, or a total above zero.")
  public static let attemptsPolicy = LintRule(
    id: "attempts-policy", severity: .error, summary: "The attempts policy is incomplete or contradicts itself.",
    help: "n-mastery needs n (no more than max); decaying-average needs a decay between 0 and 1, exclusive.")
  public static let carryOverUnmet = LintRule(
    id: "carry-over-unmet", severity: .warning, summary: "carry-over on a criterion no level is required of.",
    help: "carry-over keeps a level that met the criterion's required level: require one, or remove carry-over.")
  public static let versionNotSemantic = LintRule(
    id: "version-not-semver", severity: .error, summary: "The version is not a semantic version.",
    help: "Write MAJOR.MINOR.PATCH, e.g. 1.0.0; raise MAJOR when a change can turn an earned decision into not-yet.")
  public static let wordLimits = LintRule(
    id: "word-limits", severity: .error, summary: "Word limits contradict each other or do not apply.",
    help: "min-words must not exceed max-words; word limits apply to text evidence.")
  public static let unsafePath = LintRule(
    id: "unsafe-path", severity: .error, summary: "A path is absolute or leaves its folder.",
    help: "Write paths relative to the submission or rubric folder, without '..'.")
  public static let authorTests = LintRule(
    id: "author-tests", severity: .error,
    summary: "The author's tests do not collect, fail on the reference, or a <points> names no single test.",
    help:
      "Run pytest on the tests folder with the reference solution and fix what it reports; name tests in <points> by their pytest node id."
  )
  public static let unusedEvidence = LintRule(
    id: "unused-evidence", severity: .warning, summary: "An evidence item no criterion judges.",
    help: "Reference the item from a criterion's evidence attribute, or remove it.")

  /// All rules, in documentation order.
  public static let all: [LintRule] =
    DocumentRules.all + [
      duplicateID, levelOrder, tooFewLevels,
      undefinedLevel, undefinedCriterion, undefinedEvidence, unknownEvaluator, evaluatorConfig, thresholdOrder,
      missingFile, badImage, weightNotPositive, policyUnreachable, policyTrivial, attemptsPolicy, carryOverUnmet, versionNotSemantic,
      wordLimits,
      unsafePath, authorTests,
      unusedEvidence,
    ]
}
