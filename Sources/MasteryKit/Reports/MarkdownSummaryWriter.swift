/// `mastery grade --format markdown`: a table fit for a pull-request comment
/// or a CI step summary, with the counts at the end.
public struct MarkdownSummaryWriter: GradeReportWriter {
  private var counts = OutcomeCounts()

  public init() {}

  private static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
      .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "&lt;br&gt;", with: "<br>")
  }

  public mutating func begin() -> String {
    "## mastery: grading results\n\n| Candidate | Credential | Decision | Total | Reasons |\n| --- | --- | --- | --- | --- |\n"
  }

  public mutating func write(_ report: GradeReport) -> String {
    counts.add(report)
    switch report {
    case .invalid(let invalid):
      let cells = [
        invalid.candidate?.display ?? invalid.path, invalid.credential ?? "", "⛔ invalid input", "",
        (invalid.reasons + invalid.findings.filter { $0.severity == .error }.map(\.description)).joined(
          separator: "<br>"),
      ]
      return "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
    case .decided(let decision):
      let icon: String
      switch decision.outcome {
      case .earned: icon = "✅"
      case .notYet: icon = "🟡"
      case .pending: icon = "⏳"
      case .error: icon = "❌"
      }
      let cells = [
        decision.submission.candidate.display, "\(decision.credential.title) \(decision.credential.version)",
        "\(icon) \(decision.outcome.label)", PolicyEvaluation.percent(of: decision.total),
        (decision.reasons + Self.attemptLines(decision)).joined(separator: "<br>"),
      ]
      return "| " + cells.map(Self.cell).joined(separator: " | ") + " |\n"
    }
  }

  /// Progress since the previous attempt, and the attempts left.
  private static func attemptLines(_ decision: Decision) -> [String] {
    var lines: [String] = []
    if let heading = decision.progressHeading {
      lines.append("\(heading): " + decision.progress.joined(separator: "; "))
    }
    if let left = decision.attemptsLeftSentence { lines.append(left) }
    return lines
  }

  public mutating func end() -> String {
    "\n**\(plural(counts.total, "submission")):** \(counts.sentence).\n"
  }
}
