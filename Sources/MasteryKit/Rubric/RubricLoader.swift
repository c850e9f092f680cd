import Foundation
import LibXML

/// What loading one rubric file produced: the model when it could be built,
/// and every finding, sorted by place.
public struct RubricLoad: Sendable {
  public var path: String
  public var rubric: Microcredential?
  public var findings: [Finding]

  /// True when no finding is an error (warnings allowed).
  public var isValid: Bool { !findings.contains { $0.severity == .error } }
}

/// Loads rubric files: parse safely, check the root, validate against the
/// bundled XSD, build the model, then lint its meaning.
///
/// XSD errors stop the load before the model is built (the model assumes the
/// structure the schema guarantees). Safe to use from many tasks at once.
public struct RubricLoader: Sendable {
  public static let namespace = "urn:mastery:rubric:1"
  /// Rubrics are small: anything above 4 MiB is refused before parsing.
  public static let sizeLimit = 4 << 20

  private let schema: XSDSchema

  /// A loader with the bundled rubric schema.
  ///
  /// - Throws: `MarkupError.invalidSchema` only if the bundled schema is broken (a build defect).
  public init() throws {
    schema = try BundledSchema.rubric.compiled()
  }

  /// Loads and checks one rubric file.
  ///
  /// - Parameter path: the rubric file; used in every finding.
  /// - Returns: the model (when the file is well-formed and schema-valid) and all findings.
  public func load(_ path: String) -> RubricLoad {
    load(path, onlyIfRubric: false) ?? RubricLoad(path: path, rubric: nil, findings: [])
  }

  /// Loads a file found in a folder search, or nil when it is not a rubric.
  ///
  /// Not a rubric: its root is not `<microcredential>`, or, when it is not
  /// well-formed, it never mentions `<microcredential`; a file named
  /// `rubric.xml` is always one. Deciding here, after the one read and parse,
  /// spares a second read of every candidate.
  func load(_ path: String, onlyIfRubric: Bool) -> RubricLoad? {
    let filter = onlyIfRubric && !path.hasSuffix("/rubric.xml") && path != "rubric.xml"
    var load = RubricLoad(path: path, rubric: nil, findings: [])
    let document: MarkupDocument
    var bytes: [UInt8] = []
    do {
      bytes = try MarkupDocument.read(path, limit: Self.sizeLimit)
      document = try MarkupDocument(xml: bytes, path: path, limit: Self.sizeLimit)
    } catch let error as MarkupError {
      if case .unreadable(_, let reason) = error, filter, reason.contains("folder") { return nil }
      if filter, !Self.mentionsRubric(bytes) { return nil }
      load.findings = Self.findings(for: error, path: path)
      return load
    } catch {
      load.findings = [
        Finding(rule: RubricRules.unreadable, message: "\(error)", at: Location(file: path, line: 0, column: 0))
      ]
      return load
    }
    guard let root = document.root else { return load }
    if filter, root.name != "microcredential" { return nil }
    guard root.name == "microcredential", root.namespace == Self.namespace else {
      let found = root.namespace.map { "<\(root.name)> in namespace \($0)" } ?? "<\(root.name)> without a namespace"
      load.findings = [
        Finding(
          rule: RubricRules.wrongRoot,
          message:
            "the root element is \(found); a rubric's root is <microcredential xmlns=\"\(Self.namespace)\">",
          at: root.location)
      ]
      return load
    }
    let schemaErrors = schema.validate(document)
    if !schemaErrors.isEmpty {
      var seen = Set<Finding>()
      load.findings = schemaErrors.map {
        Finding(
          rule: RubricRules.schema, message: FriendlyMessages.schema($0.message, namespace: Self.namespace),
          at: $0.location)
      }.filter { seen.insert($0).inserted }
      return load
    }
    let directory = (path as NSString).deletingLastPathComponent
    var builder = RubricBuilder(root: root, path: path, directory: directory.isEmpty ? "." : directory)
    let rubric = builder.build()
    load.rubric = rubric
    load.findings = (builder.findings + RubricLinter(rubric: rubric).findings).sorted {
      ($0.location, $0.ruleID) < ($1.location, $1.ruleID)
    }
    return load
  }

  private static func mentionsRubric(_ bytes: [UInt8]) -> Bool {
    let marker = Array("<microcredential".utf8)
    guard bytes.count >= marker.count else { return false }
    return (0...(bytes.count - marker.count)).contains { bytes[$0..<$0 + marker.count].elementsEqual(marker) }
  }

  static func findings(for error: MarkupError, path: String) -> [Finding] {
    let fileOnly = Location(file: path, line: 0, column: 0)
    switch error {
    case .unreadable(_, let reason):
      return [Finding(rule: RubricRules.unreadable, message: "cannot read the file: \(reason)", at: fileOnly)]
    case .tooLarge(_, let limit):
      return [
        Finding(
          rule: RubricRules.tooLarge,
          message: "the file is larger than \(limit / (1 << 20)) MiB; a rubric is a small text file", at: fileOnly)
      ]
    case .doctypeForbidden(let location):
      return [
        Finding(
          rule: RubricRules.doctype,
          message: "DOCTYPE declarations are not allowed (they can read files or expand without bound); remove it",
          at: location)
      ]
    case .malformed(_, let diagnostics):
      let list =
        diagnostics.isEmpty
        ? [Diagnostic(severity: .error, domain: .parser, location: fileOnly, message: "not well-formed XML")]
        : diagnostics
      return wellFormednessFindings(list)
    case .invalidSchema, .xpath:
      return [Finding(rule: RubricRules.malformed, message: error.description, at: fileOnly)]
    }
  }

  /// Parser errors in friendly words.
  ///
  /// After the first unclosed tag, libxml2
  /// reports a mismatch for every enclosing tag and then the end of the file:
  /// one cause, so only its first message is kept.
  static func wellFormednessFindings(_ diagnostics: [Diagnostic]) -> [Finding] {
    var findings: [Finding] = []
    var sawMismatch = false
    for diagnostic in diagnostics {
      let cascade =
        diagnostic.message.hasPrefix("Opening and ending tag mismatch")
        || diagnostic.message.hasPrefix("Premature end of data in tag")
      if cascade && sawMismatch { continue }
      sawMismatch = sawMismatch || diagnostic.message.hasPrefix("Opening and ending tag mismatch")
      findings.append(
        Finding(
          rule: RubricRules.malformed, message: FriendlyMessages.parser(diagnostic.message), at: diagnostic.location))
    }
    return findings
  }
}
