import Foundation

/// `mastery grade --format json`: one document, streamed, in the stable
/// schema documented in docs/results-json.md (`schemaVersion` 1).
public struct GradeJSONWriter: GradeReportWriter {
  public static let schemaVersion = 1
  private var counts = OutcomeCounts()
  private var first = true
  private let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  public init() {}

  /// An invalid submission as it appears in `results`.
  struct InvalidEntry: Encodable {
    var outcome = "invalid"
    var path: String
    var candidate: Submission.Candidate?
    var credential: String?
    var version: String?
    var reasons: [String]
    var findings: [Finding]
  }

  public mutating func begin() -> String {
    "{\n  \"engineVersion\" : \"\(MasteryVersion.current)\",\n  \"schemaVersion\" : \(Self.schemaVersion),\n  \"results\" : ["
  }

  public mutating func write(_ report: GradeReport) -> String {
    counts.add(report)
    let data: Data?
    switch report {
    case .decided(let decision): data = try? encoder.encode(decision)
    case .invalid(let invalid):
      data = try? encoder.encode(
        InvalidEntry(
          path: invalid.path, candidate: invalid.candidate, credential: invalid.credential, version: invalid.version,
          reasons: invalid.reasons, findings: invalid.findings))
    }
    let text = data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    defer { first = false }
    return (first ? "\n    " : ",\n    ") + text.replacingOccurrences(of: "\n", with: "\n    ")
  }

  public mutating func end() -> String {
    let summary = """
      {
          "earned" : \(counts.earned),
          "error" : \(counts.error),
          "invalid" : \(counts.invalid),
          "notYet" : \(counts.notYet),
          "pending" : \(counts.pending),
          "submissions" : \(counts.total)
        }
      """
    return (first ? "]" : "\n  ]") + ",\n  \"summary\" : \(summary)\n}\n"
  }
}
