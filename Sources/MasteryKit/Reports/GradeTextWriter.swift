import Foundation

/// The readable terminal report.
///
/// Per submission, the decision, each criterion with its level and feedback, the reasons; then, for
/// several submissions, a summary table. ANSI colour only when asked for.
public struct GradeTextWriter: GradeReportWriter {
  let colour: Bool
  private var counts = OutcomeCounts()
  private var rows: [[String]] = []

  public init(colour: Bool) {
    self.colour = colour
  }

  private func paint(_ text: String, _ code: String) -> String {
    colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  private func outcome(_ outcome: Decision.Outcome) -> String {
    switch outcome {
    case .earned: paint("EARNED", "1;32")
    case .notYet: paint("NOT YET", "1;33")
    case .pending: paint("PENDING", "1;36")
    case .error: paint("GRADER ERROR", "1;31")
    }
  }

  public mutating func begin() -> String { "" }

  public mutating func write(_ report: GradeReport) -> String {
    counts.add(report)
    var out: [String] = []
    switch report {
    case .invalid(let invalid):
      out.append("\(paint("INVALID INPUT", "1;31"))  \(invalid.path)")
      for reason in invalid.reasons { out.append("  \(reason)") }
      for finding in invalid.findings { out.append("  \(finding)") }
      rows.append([invalid.candidate?.display ?? "?", invalid.credential ?? "?", "invalid", ""])
    case .decided(let decision):
      let total = decision.total
      out.append(
        "\(decision.credential.title) \(decision.credential.version): \(decision.submission.candidate.display), attempt \(decision.submission.attempt)"
      )
      let sofar = decision.criteria.contains { $0.status != .scored } ? " so far" : ""
      out.append(
        "\(outcome(decision.outcome))  total\(sofar) \(PolicyEvaluation.percent(of: total)) (\(total.points.compact) of \(total.maximum.compact) points)"
      )
      for result in decision.criteria { out += lines(for: result) }
      if let heading = decision.progressHeading {
        out.append("  \(heading):")
        out += decision.progress.map { "    \($0)" }
      }
      for reason in decision.reasons { out.append("  \(reason)") }
      if let left = decision.attemptsLeftSentence { out.append("  \(left)") }
      for finding in decision.findings { out.append("  \(finding)") }
      rows.append([
        decision.submission.candidate.display, "\(decision.credential.id) \(decision.credential.version)",
        decision.outcome.label, PolicyEvaluation.percent(of: total),
      ])
    }
    return out.joined(separator: "\n") + "\n\n"
  }

  private func lines(for result: CriterionResult) -> [String] {
    let mark: String
    switch result.status {
    case .error: mark = paint("!", "31")
    case .pending: mark = paint("…", "36")
    case .scored: mark = result.meetsRequirement == false ? paint("✗", "33") : paint("✓", "32")
    }
    var head = "  \(mark) \(result.title): "
    switch result.status {
    case .scored:
      head += "\(result.levelLabel ?? "?") (\(result.points?.compact ?? "0") of \(result.maximumPoints.compact) points)"
      if result.meetsRequirement == false, let required = result.requiredLabel { head += ", needs \(required)" }
    case .pending: head += "pending: \(result.message ?? "")"
    case .error: head += "could not be judged: \(result.message ?? "")"
    }
    var out = [head]
    if let summary = result.summary { out.append("      \(summary)") }
    if let descriptor = result.descriptor, let label = result.levelLabel { out.append("      \(label): \(descriptor)") }
    for line in result.feedback { out.append("      \(line)") }
    if let next = result.nextLevel, let descriptor = next.descriptor, result.status == .scored {
      out.append("      To reach \(next.label): \(descriptor)")
    }
    return out
  }

  public mutating func end() -> String {
    guard rows.count > 1 else { return "" }
    let header = ["Candidate", "Credential", "Decision", "Total"]
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        .trimmingCharacters(in: .whitespaces)
    }
    var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
    out += rows.map(line)
    out.append("")
    out.append("\(counts.total) submissions: \(counts.sentence)")
    return out.joined(separator: "\n") + "\n"
  }
}
