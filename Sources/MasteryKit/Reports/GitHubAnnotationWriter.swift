/// `mastery grade --format github`: GitHub Actions workflow commands.
///
/// A workflow run then shows each problem: an error annotation for invalid input
/// (each finding at its file, line and column) and for grader errors, a warning
/// for not-yet decisions, a notice for pending ones. Earned decisions are quiet.
public struct GitHubAnnotationWriter: GradeReportWriter {
  private var counts = OutcomeCounts()

  public init() {}

  public mutating func begin() -> String { "" }

  private static func data(_ text: String) -> String { FindingsReport.escapeData(text) }

  public mutating func write(_ report: GradeReport) -> String {
    counts.add(report)
    switch report {
    case .invalid(let invalid):
      var out = invalid.findings.filter { $0.severity == .error }.map(FindingsReport.githubAnnotation).joined()
      let who = invalid.candidate?.id ?? invalid.path
      out += "::error title=invalid input::\(Self.data("\(who): " + invalid.reasons.joined(separator: "; ")))\n"
      return out
    case .decided(let decision):
      let who = "\(decision.submission.candidate.display), \(decision.credential.id) \(decision.credential.version)"
      let reasons = decision.reasons.joined(separator: "; ")
      switch decision.outcome {
      case .earned: return ""
      case .notYet: return "::warning title=not yet::\(Self.data("\(who): \(reasons)"))\n"
      case .pending: return "::notice title=pending review::\(Self.data("\(who): \(reasons)"))\n"
      case .error: return "::error title=grader error::\(Self.data("\(who): \(reasons)"))\n"
      }
    }
  }

  public mutating func end() -> String {
    "\(counts.total) submissions: \(counts.sentence)\n"
  }
}
