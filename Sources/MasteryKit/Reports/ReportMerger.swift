import Foundation
import LibXML

/// Combines the reports of several runs (the shards of one cohort) into one:
/// `mastery grade`/`batch` JSON documents into one JSON document, JUnit files
/// into one JUnit file, with the totals counted again.
public enum ReportMerger {
  /// What an input file holds, judged by its first bytes.
  public enum Kind: String, Sendable {
    case json, junit, ledger
  }

  /// Why inputs cannot be merged.
  public enum MergeError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unknownKind(path: String)
    case mixedKinds(first: String, firstKind: String, other: String, otherKind: String)
    case notAReport(path: String, reason: String)

    public var description: String {
      switch self {
      case .unreadable(let path, let reason): return "\(path): cannot be read: \(reason)"
      case .unknownKind(let path):
        return "\(path): not a mastery JSON report, JUnit XML report or ledger; merge only what grade or batch wrote"
      case .mixedKinds(let first, let firstKind, let other, let otherKind):
        return "\(other) is a \(otherKind) file but \(first) is a \(firstKind) file; merge one kind at a time"
      case .notAReport(let path, let reason): return "\(path): \(reason)"
      }
    }
  }

  /// The largest report file read (a JUnit or JSON report of a very large shard).
  public static let sizeLimit = 1 << 30

  /// The kind of every input, which must all be the same.
  ///
  /// - Throws: `MergeError` for an unreadable file, an unknown kind, or mixed kinds.
  public static func kind(of paths: [String]) throws -> Kind {
    var first: (path: String, kind: Kind)?
    for path in paths {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw MergeError.unreadable(path: path, reason: "there is no such file")
      }
      if isFolder.boolValue {
        throw MergeError.unreadable(path: path, reason: "it is a folder; name the report or ledger files in it")
      }
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw MergeError.unreadable(path: path, reason: "permission denied")
      }
      let head = (try? handle.read(upToCount: 512)) ?? Data()
      try? handle.close()
      let kind: Kind
      if head.starts(with: Data("SQLite format 3\u{0}".utf8)) {
        kind = .ledger
      } else {
        let text = String(decoding: head, as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if text.hasPrefix("{") {
          kind = .json
        } else if text.hasPrefix("<") {
          kind = .junit
        } else {
          throw MergeError.unknownKind(path: path)
        }
      }
      if let first, first.kind != kind {
        throw MergeError.mixedKinds(
          first: first.path, firstKind: first.kind.rawValue, other: path, otherKind: kind.rawValue)
      }
      if first == nil { first = (path, kind) }
    }
    guard let first else { throw MergeError.unknownKind(path: "(no input)") }
    return first.kind
  }

  /// One entry of a JSON report's `results`.
  private struct Entry: Decodable {
    let report: GradeReport

    private enum Keys: String, CodingKey { case outcome }

    init(from decoder: any Decoder) throws {
      let outcome = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .outcome)
      report =
        outcome == "invalid"
        ? .invalid(try InvalidSubmission(from: decoder)) : .decided(try Decision(from: decoder))
    }
  }

  private struct Document: Decodable {
    let schemaVersion: Int
    let results: [Entry]
  }

  /// Merges JSON reports (`schemaVersion` 1) into one, in the order given.
  ///
  /// - Parameter write: receives the merged document in pieces; what it throws ends the merge.
  /// - Throws: `MergeError` naming the file that is not such a report, or what `write` threw.
  public static func mergeJSON(_ paths: [String], write: (String) throws -> Void) throws {
    var writer = GradeJSONWriter()
    try write(writer.begin())
    for path in paths {
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw MergeError.unreadable(path: path, reason: error.localizedDescription)
      }
      let document: Document
      do {
        document = try JSONDecoder().decode(Document.self, from: data)
      } catch {
        throw MergeError.notAReport(
          path: path, reason: "not a mastery JSON report (\(Self.describe(error))); merge what grade or batch wrote")
      }
      guard document.schemaVersion == GradeJSONWriter.schemaVersion else {
        throw MergeError.notAReport(
          path: path,
          reason:
            "schemaVersion \(document.schemaVersion) is not \(GradeJSONWriter.schemaVersion); merge with the mastery that wrote it"
        )
      }
      for entry in document.results { try write(writer.write(entry.report)) }
    }
    try write(writer.end())
  }

  /// Merges JUnit reports: every `testsuite` of every file, in the order given, under one
  /// `testsuites` whose totals are counted again.
  ///
  /// - Parameter write: receives the merged document in pieces; what it throws ends the merge.
  /// - Throws: `MergeError` naming a file that is not well-formed JUnit, or what `write` threw.
  public static func mergeJUnit(_ paths: [String], write: (String) throws -> Void) throws {
    var suites: [Element] = []
    for path in paths {
      let root: Element?
      do {
        root = try MarkupDocument(contentsOf: path, limit: sizeLimit).root
      } catch {
        throw MergeError.notAReport(path: path, reason: "not well-formed XML: \(error)")
      }
      guard let root, root.name == "testsuites" || root.name == "testsuite" else {
        throw MergeError.notAReport(path: path, reason: "the root element is not <testsuites> or <testsuite>")
      }
      suites += root.name == "testsuite" ? [root] : root.children(named: "testsuite")
    }
    // The totals JUnit readers take from <testsuites> (the Jenkins schema has no "skipped" there).
    var totals = [0, 0, 0]
    for suite in suites {
      for (index, name) in ["tests", "failures", "errors"].enumerated() {
        totals[index] += Int(suite[attribute: name] ?? "") ?? 0
      }
    }
    try write(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mastery\" tests=\"\(totals[0])\" "
        + "failures=\"\(totals[1])\" errors=\"\(totals[2])\">\n")
    for suite in suites { try write(serialize(suite, indent: "  ")) }
    try write("</testsuites>\n")
  }

  /// An element written back as XML: attributes, then its children, or its text when it has none
  /// (JUnit has no mixed content).
  static func serialize(_ element: Element, indent: String) -> String {
    var text = indent + "<" + element.name
    for attribute in element.attributes {
      text += " \(attribute.name)=\"\(XMLText.escape(attribute.value))\""
    }
    if element.children.isEmpty {
      let body = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
      return text + (body.isEmpty ? "/>\n" : ">" + XMLText.escape(element.text) + "</\(element.name)>\n")
    }
    text += ">\n"
    for child in element.children { text += serialize(child, indent: indent + "  ") }
    return text + indent + "</\(element.name)>\n"
  }

  private static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "no '\(key.stringValue)' at \(path(context.codingPath))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "\(context.debugDescription) at \(path(context.codingPath))"
    case DecodingError.dataCorrupted(let context):
      return context.debugDescription
    default:
      return "\(error)"
    }
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.isEmpty ? "the top" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  }
}
