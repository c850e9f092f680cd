/// Writes grade reports as a stream: a beginning, one piece per report as
/// it comes, and an end (totals), so a run of any size holds only counts.
public protocol GradeReportWriter {
  /// Text before the first report.
  mutating func begin() -> String
  /// Text for one report.
  mutating func write(_ report: GradeReport) -> String
  /// Text after the last report.
  mutating func end() -> String
}

/// The output formats of `mastery grade`.
public enum GradeFormat: String, Sendable, CaseIterable {
  case text, json, junit, markdown, github, html

  /// A writer for this format; `colour` applies to text only.
  public func writer(colour: Bool = false) -> any GradeReportWriter {
    switch self {
    case .text: return GradeTextWriter(colour: colour)
    case .json: return GradeJSONWriter()
    case .junit: return JUnitWriter()
    case .markdown: return MarkdownSummaryWriter()
    case .github: return GitHubAnnotationWriter()
    case .html: return HTMLFeedbackPage()
    }
  }
}

/// Counts per outcome, for summaries.
struct OutcomeCounts {
  var earned = 0
  var notYet = 0
  var pending = 0
  var error = 0
  var invalid = 0

  var total: Int { earned + notYet + pending + error + invalid }

  mutating func add(_ report: GradeReport) {
    switch report {
    case .invalid: invalid += 1
    case .decided(let decision):
      switch decision.outcome {
      case .earned: earned += 1
      case .notYet: notYet += 1
      case .pending: pending += 1
      case .error: error += 1
      }
    }
  }

  var sentence: String {
    "\(earned) earned, \(notYet) not yet, \(pending) pending, \(plural(error, "grader error")), \(invalid) invalid"
  }
}

extension Decision.Outcome {
  /// How people read the outcome.
  public var label: String {
    switch self {
    case .earned: "earned"
    case .notYet: "not yet"
    case .pending: "pending"
    case .error: "grader error"
    }
  }
}

extension Submission.Candidate {
  /// "Maria Lopez (rusd-t-0142)", or the id alone.
  public var display: String { name.map { "\($0) (\(id))" } ?? id }
}
