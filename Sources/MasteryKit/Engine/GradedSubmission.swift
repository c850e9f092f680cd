/// One submission as a run handled it: the report, whether it was graded or
/// its recorded decision still stood, and how long each criterion took.
public struct GradedSubmission: Sendable {
  public var report: GradeReport
  /// True when the ledger's decision was reported again instead of grading:
  /// same rubric file, manifest, evidence bytes, reviews and engine version.
  public var reused: Bool
  /// Seconds each criterion's evaluator took, by criterion id; empty when nothing was graded.
  public var criterionSeconds: [(criterion: String, seconds: Double)]
  /// The new decision as the ledger will keep it (prepared where it was graded); nil when reused,
  /// invalid, or graded without a ledger.
  public var recorded: RecordedDecision?
  /// An attempt refused because the rubric's `max` was reached, to record.
  public var refusal: Refusal?

  public init(
    report: GradeReport, reused: Bool = false,
    criterionSeconds: [(criterion: String, seconds: Double)] = [], recorded: RecordedDecision? = nil,
    refusal: Refusal? = nil
  ) {
    self.refusal = refusal
    self.report = report
    self.reused = reused
    self.criterionSeconds = criterionSeconds
    self.recorded = recorded
  }
}
