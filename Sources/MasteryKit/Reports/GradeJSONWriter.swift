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
    defer { first = false }
    // Indent the pretty-printed object by four spaces to sit inside "results".
    var bytes: [UInt8] = Array((first ? "\n    " : ",\n    ").utf8)
    for byte in data ?? Data("{}".utf8) {
      bytes.append(byte)
      if byte == UInt8(ascii: "\n") { bytes.append(contentsOf: [0x20, 0x20, 0x20, 0x20]) }
    }
    return String(decoding: bytes, as: UTF8.self)
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
