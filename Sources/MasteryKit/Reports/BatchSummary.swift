import Foundation

/// What a batch did, gathered as submissions finish: counts per decision and
/// per credential, how many were graded or reused, and where the time went
/// (per criterion). Holds counts only, so its size does not grow with the batch.
public struct BatchSummary: Sendable {
  private var counts = OutcomeCounts()
  private var byCredential: [String: OutcomeCounts] = [:]
  private var timings: [String: (kind: String, count: Int, total: Double, slowest: Double)] = [:]
  public private(set) var graded = 0
  public private(set) var reused = 0

  public init() {}

  /// Submissions counted so far.
  public var total: Int { counts.total }

  /// "3 earned, 5 not yet, 0 pending, 2 grader errors, 0 invalid".
  public var sentence: String { counts.sentence }

  /// Counts one finished submission.
  public mutating func add(_ item: GradedSubmission) {
    counts.add(item.report)
    let credential: String
    switch item.report {
    case .decided(let decision):
      credential = "\(decision.credential.id) \(decision.credential.version)"
      for (criterion, seconds) in item.criterionSeconds {
        let key = "\(decision.credential.id)/\(criterion)"
        let kind = decision.criteria.first { $0.criterion == criterion }?.evaluator ?? ""
        var entry = timings[key] ?? (kind, 0, 0, 0)
        entry.count += 1
        entry.total += seconds
        entry.slowest = max(entry.slowest, seconds)
        timings[key] = entry
      }
    case .invalid(let invalid):
      credential = invalid.credential.map { "\($0) \(invalid.version ?? "")" } ?? "(unreadable manifest)"
    }
    byCredential[credential, default: OutcomeCounts()].add(item.report)
    if item.reused { reused += 1 } else { graded += 1 }
  }

  /// The table printed at the end of `mastery batch`.
  ///
  /// - Parameter seconds: the batch's wall time.
  public func table(seconds: Double) -> String {
    let rate = seconds > 0 ? Double(total) / seconds : 0
    var text =
      "\(plural(total, "submission")) in \(Self.duration(seconds)) (\(String(format: "%.1f", rate))/s): \(graded) graded, "
      + "\(reused) unchanged since graded (recorded decision reported again)\n\n"
    let header = ["", "earned", "not yet", "pending", "error", "invalid", "total"]
    func row(_ name: String, _ counts: OutcomeCounts) -> [String] {
      [name]
        + [counts.earned, counts.notYet, counts.pending, counts.error, counts.invalid, counts.total].map(String.init)
    }
    var rows = [header]
    for credential in byCredential.keys.sorted() {
      if let counts = byCredential[credential] { rows.append(row(credential, counts)) }
    }
    rows.append(row("all", counts))
    text += Self.align(rows, numericFrom: 1)
    // Where the time went, when any criterion took long enough (a tenth of a second in all) to matter.
    let slowest = timings.filter { $0.value.total >= 0.1 }
      .sorted { ($1.value.total, $0.key) < ($0.value.total, $1.key) }.prefix(5)
    if !slowest.isEmpty {
      text += "\nslowest criteria (by total time)\n"
      var timingRows = [["criterion", "evaluator", "runs", "total", "mean", "slowest"]]
      for (key, entry) in slowest {
        timingRows.append([
          key, entry.kind, String(entry.count), Self.duration(entry.total),
          Self.duration(entry.total / Double(max(1, entry.count))), Self.duration(entry.slowest),
        ])
      }
      text += Self.align(timingRows, numericFrom: 2)
    }
    return text
  }

  /// "850 ms", "3.2 s", "2 min 05 s".
  public static func duration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let whole = Int(seconds.rounded())
    let minutes = whole / 60
    let rest = whole % 60
    if minutes < 60 { return "\(minutes) min \(rest < 10 ? "0" : "")\(rest) s" }
    return "\(minutes / 60) h \(minutes % 60 < 10 ? "0" : "")\(minutes % 60) min"
  }

  /// Columns padded to their widest cell; columns from `numericFrom` on are right-aligned.
  private static func align(_ rows: [[String]], numericFrom: Int) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        let padding = String(repeating: " ", count: widths[index] - cell.count)
        return index >= numericFrom ? padding + cell : cell + padding
      }
      .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    .joined(separator: "\n") + "\n"
  }
}
