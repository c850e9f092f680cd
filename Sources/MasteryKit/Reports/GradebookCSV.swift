/// A gradebook as CSV (RFC 4180) that a learning management system or a
/// spreadsheet can import: one row per submission (its latest decision), one
/// column per criterion.
///
/// Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) are prefixed with `'`: candidate names
/// come from manifests nobody vetted.
public enum GradebookCSV {
  public static func render(_ rows: [GradebookRow]) -> String {
    // Several credentials may share a criterion id: then columns are "credential:criterion".
    let qualified = Set(rows.map(\.submission.credential)).count > 1
    func column(_ row: GradebookRow, _ criterion: String) -> String {
      qualified ? "\(row.submission.credential):\(criterion)" : criterion
    }
    var criteria: [String] = []
    for row in rows {
      for criterion in row.criterionOrder where !criteria.contains(column(row, criterion)) {
        criteria.append(column(row, criterion))
      }
    }
    let header =
      [
        "candidate_id", "candidate_name", "credential", "version", "attempt", "decision", "total_percent", "points",
        "maximum", "graded_at",
      ] + criteria
    var lines = [header.map(cell).joined(separator: ",")]
    for row in rows {
      let percent = row.maximum > 0 ? row.points / row.maximum * 100 : 100
      let fields =
        [
          row.submission.candidate, row.candidateName ?? "", row.submission.credential, row.version,
          String(row.submission.attempt), row.outcome, PolicyEvaluation.percent(percent).dropLast().description,
          row.points.compact, row.maximum.compact, row.gradedAt,
        ]
        + criteria.map { name in row.criterionOrder.first { column(row, $0) == name }.flatMap { row.criteria[$0] } ?? ""
        }
      lines.append(fields.map(cell).joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static func cell(_ value: String) -> String {
    var text = value
    if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
