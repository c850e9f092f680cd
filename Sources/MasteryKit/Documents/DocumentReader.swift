import Crypto
import LibXML

/// Reads one kind of XML document of ours (rubric, submission manifest)
/// safely and validates it against its bundled schema.
///
/// Every failure becomes findings: unreadable or too large, not well-formed,
/// a DOCTYPE, the wrong root element, schema errors (in words a teacher can
/// act on, each at its element or attribute). Safe to share between tasks.
struct DocumentReader: Sendable {
  enum Outcome {
    /// Schema-valid: the root element, ready to build a model from, and the file's SHA-256.
    case valid(Element, sha256: String)
    /// The document cannot be used; why, at exact places.
    case invalid([Finding])
    /// Found by a folder search and turned out to be another kind of document.
    case foreign
  }

  let schema: XSDSchema
  let rootName: String
  let namespace: String
  /// "rubric", "submission manifest": for messages.
  let noun: String
  let sizeLimit: Int

  init(schema: BundledSchema, rootName: String, noun: String, sizeLimit: Int) throws {
    self.schema = try schema.compiled()
    self.rootName = rootName
    self.namespace = schema.namespace
    self.noun = noun
    self.sizeLimit = sizeLimit
  }

  /// Reads, parses and validates `path`.
  ///
  /// - Parameters:
  ///   - path: the file; named in every finding.
  ///   - skipForeign: true for files found by a folder search: a file whose
  ///     root is another element (or, when malformed, that never mentions
  ///     the root element) is `.foreign` rather than invalid.
  /// - Returns: the validated root element, or the findings.
  func read(_ path: String, skipForeign: Bool = false) -> Outcome {
    var bytes: [UInt8] = []
    let document: MarkupDocument
    do {
      bytes = try MarkupDocument.read(path, limit: sizeLimit)
      document = try MarkupDocument(xml: bytes, path: path, limit: sizeLimit)
    } catch let error as MarkupError {
      if case .unreadable(_, let reason) = error, skipForeign, reason.contains("folder") { return .foreign }
      if skipForeign, !mentionsRoot(bytes) { return .foreign }
      return .invalid(findings(for: error, path: path).cappedPerRule())
    } catch {
      return .invalid([
        Finding(rule: DocumentRules.unreadable, message: "\(error)", at: Location(file: path, line: 0, column: 0))
      ])
    }
    guard let root = document.root else {
      return .invalid([
        Finding(
          rule: DocumentRules.malformed, message: "the file has no XML element",
          at: Location(file: path, line: 1, column: 1))
      ])
    }
    if skipForeign, root.name != rootName { return .foreign }
    guard root.name == rootName, root.namespace == namespace else {
      let found = root.namespace.map { "<\(root.name)> in namespace \($0)" } ?? "<\(root.name)> without a namespace"
      return .invalid([
        Finding(
          rule: DocumentRules.wrongRoot,
          message: "the root element is \(found); a \(noun)'s root is <\(rootName) xmlns=\"\(namespace)\">",
          at: root.location)
      ])
    }
    let schemaErrors = schema.validate(document)
    guard schemaErrors.isEmpty else {
      var seen = Set<Finding>()
      return .invalid(
        schemaErrors.map {
          Finding(
            rule: DocumentRules.schema, message: FriendlyMessages.schema($0.message, namespace: namespace),
            at: $0.location)
        }.filter { seen.insert($0).inserted }.cappedPerRule())
    }
    return .valid(root, sha256: EvidenceResolver.sha256(of: bytes))
  }

  private func mentionsRoot(_ bytes: [UInt8]) -> Bool {
    let marker = Array("<\(rootName)".utf8)
    guard bytes.count >= marker.count else { return false }
    return (0...(bytes.count - marker.count)).contains { bytes[$0..<$0 + marker.count].elementsEqual(marker) }
  }

  private func findings(for error: MarkupError, path: String) -> [Finding] {
    let fileOnly = Location(file: path, line: 0, column: 0)
    switch error {
    case .unreadable(_, let reason):
      return [Finding(rule: DocumentRules.unreadable, message: "cannot read the file: \(reason)", at: fileOnly)]
    case .tooLarge(_, let limit):
      return [
        Finding(
          rule: DocumentRules.tooLarge,
          message: "the file is larger than \(limit / (1 << 20)) MiB; a \(noun) is a small text file", at: fileOnly)
      ]
    case .doctypeForbidden(let location):
      return [
        Finding(
          rule: DocumentRules.doctype,
          message: "DOCTYPE declarations are not allowed (they can read files or expand without bound); remove it",
          at: location)
      ]
    case .malformed(_, let diagnostics):
      let list =
        diagnostics.isEmpty
        ? [Diagnostic(severity: .error, domain: .parser, location: fileOnly, message: "not well-formed XML")]
        : diagnostics
      return Self.wellFormednessFindings(list, rootName: rootName, noun: noun)
    case .invalidSchema, .xpath:
      return [Finding(rule: DocumentRules.malformed, message: error.description, at: fileOnly)]
    }
  }

  /// Parser errors in friendly words.
  ///
  /// After the first unclosed tag, libxml2 reports a mismatch for every
  /// enclosing tag and then the end of the file: one cause, so only its
  /// first message is kept.
  static func wellFormednessFindings(_ diagnostics: [Diagnostic], rootName: String, noun: String) -> [Finding] {
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
          rule: DocumentRules.malformed, message: FriendlyMessages.parser(diagnostic.message, rootName: rootName, noun: noun), at: diagnostic.location))
    }
    return findings
  }
}
