import Foundation
import LibXML

/// Review documents (`urn:mastery:review:1`): what `mastery review --export`
/// writes and `--import` reads, so reviews can move between ledgers and tools.
public enum ReviewDocument {
  /// One review as read from a document, with where it was written.
  public struct Item: Sendable {
    public var entry: ReviewEntry
    public var revise: Bool
    public var location: Location
  }

  /// Reads and validates a review document.
  ///
  /// - Returns: the reviews, or the findings that make the document unusable.
  public static func read(_ path: String) throws -> Result<[Item], FindingsError> {
    let reader = try DocumentReader(schema: .review, rootName: "reviews", noun: "review document", sizeLimit: 64 << 20)
    switch reader.read(path) {
    case .foreign: return .failure(FindingsError(findings: []))
    case .invalid(let findings): return .failure(FindingsError(findings: findings))
    case .valid(let root, _):
      return .success(
        root.children(named: "review").map { element in
          let key = SubmissionKey(
            credential: element[attribute: "credential"] ?? "", candidate: element[attribute: "candidate"] ?? "",
            attempt: Int((element[attribute: "attempt"] ?? "").trimmingWhitespace) ?? 1)
          let kind = ReviewRecord.Kind(rawValue: element[attribute: "kind"] ?? "review") ?? .review
          return Item(
            entry: ReviewEntry(
              submission: key, criterion: element[attribute: "criterion"] ?? "",
              reviewer: element[attribute: "reviewer"] ?? "",
              level: element[attribute: "level"] ?? "", feedback: element.child(named: "feedback")?.text,
              kind: kind, reason: element.child(named: "reason")?.text,
              rubricVersion: element[attribute: "rubric-version"] ?? ""),
            revise: ["true", "1"].contains((element[attribute: "revise"] ?? "").trimmingWhitespace),
            location: element.location)
        })
    }
  }

  /// The records as a review document.
  public static func write(_ records: [ReviewRecord]) -> String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<reviews xmlns=\"urn:mastery:review:1\">\n"
    for record in records {
      func attribute(_ name: String, _ value: String) -> String { " \(name)=\"\(XMLText.escape(value))\"" }
      out += "  <review" + attribute("id", String(record.id)) + attribute("credential", record.submission.credential)
      out +=
        attribute("candidate", record.submission.candidate) + attribute("attempt", String(record.submission.attempt))
      out += attribute("rubric-version", record.rubricVersion) + attribute("criterion", record.criterion)
      out +=
        attribute("reviewer", record.reviewer) + attribute("level", record.level)
        + attribute("kind", record.kind.rawValue)
      out += attribute("recorded", record.recordedAt)
      if let supersedes = record.supersedes {
        // Imported in order, a revision replaces the review before it, as it did here.
        out += attribute("supersedes", String(supersedes)) + attribute("revise", "true")
      }
      if record.feedback == nil, record.reason == nil {
        out += "/>\n"
        continue
      }
      out += ">\n"
      if let feedback = record.feedback { out += "    <feedback>\(XMLText.escape(feedback))</feedback>\n" }
      if let reason = record.reason { out += "    <reason>\(XMLText.escape(reason))</reason>\n" }
      out += "  </review>\n"
    }
    return out + "</reviews>\n"
  }
}

/// Findings that make a document unusable.
public struct FindingsError: Error, Sendable {
  public var findings: [Finding]
}
