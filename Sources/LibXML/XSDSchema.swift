import CLibXML2

/// A compiled W3C XML Schema: compile once, validate many documents.
///
/// The compiled schema is read-only after `init`, and every validation uses
/// its own libxml2 validation context, so one instance may be shared by
/// concurrent validations (hence `@unchecked Sendable`).
public final class XSDSchema: @unchecked Sendable {
  private let schema: xmlSchemaPtr
  /// The name used for the schema in messages.
  public let path: String

  /// Compiles a schema from its text.
  ///
  /// - Parameters:
  ///   - bytes: the XSD document.
  ///   - path: the name used in messages.
  /// - Throws: `MarkupError.invalidSchema` with every compile error.
  public init(bytes: [UInt8], path: String) throws {
    LibXMLRuntime.prepare()
    self.path = path
    let collector = DiagnosticCollector(file: path, domain: .schema)
    let compiled: xmlSchemaPtr? = collector.collecting {
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars -> xmlSchemaPtr? in
          guard let parser = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
          defer { xmlSchemaFreeParserCtxt(parser) }
          xmlSchemaSetParserStructuredErrors(parser, collectStructuredError, collector.opaque)
          return xmlSchemaParse(parser)
        }
      }
    }
    guard let compiled else {
      throw MarkupError.invalidSchema(path: path, diagnostics: collector.diagnostics)
    }
    schema = compiled
  }

  /// Compiles the schema in a file.
  ///
  /// - Throws: `MarkupError` when the file cannot be read or does not compile.
  public convenience init(contentsOf path: String) throws {
    try self.init(bytes: FileReader.read(path, limit: MarkupDocument.defaultLimit), path: path)
  }

  deinit {
    xmlSchemaFree(schema)
  }

  /// Validates a document; returns every error (empty when valid), each at
  /// the exact line and column of the element or attribute it is about.
  public func validate(_ document: MarkupDocument) -> [Diagnostic] {
    let collector = DiagnosticCollector(file: document.path, domain: .schema)
    collector.locate = { [unowned document] node, attribute in document.location(of: node, attribute: attribute) }
    guard let context = xmlSchemaNewValidCtxt(schema) else {
      return [
        Diagnostic(
          severity: .error, domain: .schema, location: SourceLocation(file: document.path, line: 0, column: 0),
          message: "libxml2 could not allocate a validation context")
      ]
    }
    defer { xmlSchemaFreeValidCtxt(context) }
    xmlSchemaSetValidStructuredErrors(context, collectStructuredError, collector.opaque)
    let status = collector.collecting { xmlSchemaValidateDoc(context, document.pointer) }
    if status != 0, collector.diagnostics.isEmpty {
      collector.append(
        Diagnostic(
          severity: .error, domain: .schema, location: SourceLocation(file: document.path, line: 0, column: 0),
          message: "schema validation failed (libxml2 status \(status))"))
    }
    return collector.diagnostics
  }
}
