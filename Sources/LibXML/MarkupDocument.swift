import CLibXML2

/// A parsed XML or HTML document that owns the libxml2 tree and frees it on deinit.
///
/// XML is parsed with `XML_PARSE_NONET` and none of the options that load or
/// expand anything (`NOENT`, `DTDLOAD`, `DTDATTR`, `DTDVALID`, `XINCLUDE`,
/// `HUGE`, `RECOVER`); a document with any DOCTYPE is refused; the external
/// entity loader refuses everything; input above `limit` bytes is refused
/// before parsing. Not thread-safe itself: use one document from one task.
public final class MarkupDocument {
  /// The largest input read by default: 8 MiB, far above any rubric.
  public static let defaultLimit = 8 << 20

  let pointer: xmlDocPtr
  /// The path given for messages (the file read, or a name for bytes).
  public let path: String
  /// For HTML: every parse error, kept as warnings (the tree is built anyway).
  public let warnings: [Diagnostic]
  /// The start tags of a UTF-8 source, in document order (empty for HTML or
  /// other encodings): zipped with a pre-order walk they give exact positions.
  private let tags: [StartTagScanner.StartTag]

  private init(pointer: xmlDocPtr, path: String, warnings: [Diagnostic], tags: [StartTagScanner.StartTag]) {
    self.pointer = pointer
    self.path = path
    self.warnings = warnings
    self.tags = tags
  }

  deinit {
    xmlFreeDoc(pointer)
  }

  /// Reads and parses an XML file.
  ///
  /// - Parameters:
  ///   - path: the file to read; also the name used in every message.
  ///   - limit: the largest size accepted, in bytes.
  /// - Throws: `MarkupError` when the file cannot be read, is too large,
  ///   has a DOCTYPE, or is not well-formed.
  public convenience init(contentsOf path: String, limit: Int = MarkupDocument.defaultLimit) throws {
    try self.init(xml: FileReader.read(path, limit: limit), path: path, limit: limit)
  }

  /// Reads a whole file, refusing it before reading when it is above `limit`.
  ///
  /// - Throws: `MarkupError.unreadable` or `.tooLarge`.
  public static func read(_ path: String, limit: Int = MarkupDocument.defaultLimit) throws -> [UInt8] {
    try FileReader.read(path, limit: limit)
  }

  /// Parses XML from bytes.
  ///
  /// - Parameters:
  ///   - bytes: the document.
  ///   - path: the name used in messages.
  ///   - limit: the largest size accepted, in bytes.
  /// - Throws: `MarkupError`, as `init(contentsOf:limit:)`.
  public convenience init(xml bytes: [UInt8], path: String, limit: Int = MarkupDocument.defaultLimit) throws {
    LibXMLRuntime.prepare()
    guard bytes.count <= limit, bytes.count < Int(Int32.max) else {
      throw MarkupError.tooLarge(path: path, limit: limit)
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      let location = SourceLocation(file: path, line: 1, column: 1)
      throw MarkupError.malformed(
        path: path,
        diagnostics: [Diagnostic(severity: .error, domain: .parser, location: location, message: "the file is empty")])
    }
    guard let context = xmlNewParserCtxt() else {
      throw MarkupError.unreadable(path: path, reason: "libxml2 could not allocate a parser")
    }
    defer { xmlFreeParserCtxt(context) }
    let collector = DiagnosticCollector(file: path, domain: .parser)
    context.pointee._private = collector.opaque
    context.pointee.sax.pointee.internalSubset = refuseDoctype
    let options = Int32(
      XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue)
    let parsed = collector.collecting {
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) {
          xmlCtxtReadMemory(context, $0.baseAddress, Int32($0.count), path, nil, options)
        }
      }
    }
    if let line = collector.doctypeLine {
      if let parsed { xmlFreeDoc(parsed) }
      throw MarkupError.doctypeForbidden(location: Self.doctypeLocation(in: bytes, path: path, fallbackLine: line))
    }
    let errors = collector.diagnostics.filter { $0.severity == .error }
    guard let parsed, context.pointee.wellFormed != 0, errors.isEmpty else {
      if let parsed { xmlFreeDoc(parsed) }
      throw MarkupError.malformed(
        path: path,
        diagnostics: EncodingCheck.locate(errors.isEmpty ? collector.diagnostics : errors, bytes: bytes, path: path))
    }
    let tags: [StartTagScanner.StartTag]
    switch Self.sourceEncoding(parsed) {
    case .utf8: tags = StartTagScanner.scan(bytes)
    case .singleByte: tags = StartTagScanner.scan(bytes, utf8: false)
    case .other: tags = []
    }
    self.init(pointer: parsed, path: path, warnings: collector.diagnostics, tags: tags)
  }

  /// Parses a possibly malformed HTML page with libxml2's HTML parser.
  ///
  /// The parser always recovers; its complaints are kept in `warnings`.
  /// Note that it predates HTML5 and reports elements such as `nav` and
  /// `main` as unknown ("Tag nav invalid").
  ///
  /// - Parameters:
  ///   - bytes: the page.
  ///   - path: the name used in messages.
  ///   - limit: the largest size accepted, in bytes.
  ///   - ignoring: complaints to leave out before the 500 kept are counted (HTML5 elements the parser
  ///     does not know, so that they cannot crowd out real errors).
  /// - Returns: the document, with the parser's complaints in `warnings`.
  /// - Throws: `MarkupError.tooLarge`, or `.malformed` when no tree results.
  public static func html(
    bytes: [UInt8], path: String, limit: Int = MarkupDocument.defaultLimit,
    ignoring: @escaping (String) -> Bool = { _ in false }
  ) throws -> MarkupDocument {
    LibXMLRuntime.prepare()
    guard bytes.count <= limit, bytes.count < Int(Int32.max) else {
      throw MarkupError.tooLarge(path: path, limit: limit)
    }
    guard let context = htmlNewParserCtxt() else {
      throw MarkupError.unreadable(path: path, reason: "libxml2 could not allocate a parser")
    }
    defer { htmlFreeParserCtxt(context) }
    let collector = DiagnosticCollector(file: path, domain: .html)
    collector.ignore = ignoring
    let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue)
    let parsed = collector.collecting {
      bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) {
          htmlCtxtReadMemory(context, $0.baseAddress, Int32($0.count), path, nil, options)
        }
      }
    }
    guard let parsed else {
      throw MarkupError.malformed(path: path, diagnostics: collector.diagnostics)
    }
    var warnings = collector.diagnostics.map {
      Diagnostic(severity: .warning, domain: .html, location: $0.location, message: $0.message)
    }
    if collector.dropped > 0 {
      warnings.append(
        Diagnostic(
          severity: .warning, domain: .html, location: SourceLocation(file: path, line: 0, column: 0),
          message: "\(collector.dropped) more parser messages were dropped"))
    }
    return MarkupDocument(pointer: parsed, path: path, warnings: warnings, tags: [])
  }

  /// Reads and parses an HTML file; see `html(bytes:path:limit:)`.
  public static func html(contentsOf path: String, limit: Int = MarkupDocument.defaultLimit) throws
    -> MarkupDocument
  {
    try html(bytes: FileReader.read(path, limit: limit), path: path, limit: limit)
  }

  /// The root element as a Swift value tree, or nil for an empty HTML document.
  public var root: Element? {
    guard let node = xmlDocGetRootElement(pointer) else { return nil }
    var cursor = TagCursor(tags: tags)
    return element(node, cursor: &cursor)
  }

  /// Walks the scanned start tags alongside a pre-order walk of the tree;
  /// gives up (lines from libxml2, column 0) at the first name that differs.
  private struct TagCursor {
    let tags: [StartTagScanner.StartTag]
    var next = 0
    var matching: Bool

    init(tags: [StartTagScanner.StartTag]) {
      self.tags = tags
      matching = !tags.isEmpty
    }

    mutating func take(_ node: xmlNodePtr) -> StartTagScanner.StartTag? {
      guard matching, next < tags.count, Self.spells(tags[next].name, node.pointee.name, node.pointee.ns) else {
        matching = false
        return nil
      }
      next += 1
      return tags[next - 1]
    }

    /// True when `source` spells `prefix:name` (or `name` when there is no prefix).
    static func spells(_ source: ArraySlice<UInt8>, _ name: UnsafePointer<xmlChar>?, _ namespace: xmlNsPtr?) -> Bool {
      guard let name else { return false }
      var index = source.startIndex
      if let prefix = namespace?.pointee.prefix {
        var cursor = prefix
        while cursor.pointee != 0 {
          guard index < source.endIndex, source[index] == cursor.pointee else { return false }
          index += 1
          cursor += 1
        }
        guard index < source.endIndex, source[index] == UInt8(ascii: ":") else { return false }
        index += 1
      }
      var cursor = name
      while cursor.pointee != 0 {
        guard index < source.endIndex, source[index] == cursor.pointee else { return false }
        index += 1
        cursor += 1
      }
      return index == source.endIndex
    }
  }

  /// Where a node of this document starts, for schema errors: an element's
  /// `<`, or the named attribute of it (or of the attribute node given).
  func location(of node: UnsafeMutableRawPointer, attribute named: String? = nil) -> SourceLocation? {
    let typed = node.assumingMemoryBound(to: xmlNode.self)
    guard typed.pointee.doc == pointer else { return nil }
    let isAttribute = typed.pointee.type == XML_ATTRIBUTE_NODE
    let element = isAttribute ? typed.pointee.parent : typed
    let fallback = SourceLocation(file: path, line: Int(xmlGetLineNo(element ?? typed)), column: 0)
    guard let element, let root = xmlDocGetRootElement(pointer) else { return fallback }
    var cursor = TagCursor(tags: tags)
    guard let tag = Self.find(element, from: root, cursor: &cursor) else { return fallback }
    var match: ((name: ArraySlice<UInt8>, position: StartTagScanner.Position)) -> Bool = { _ in false }
    if isAttribute {
      let attribute = node.assumingMemoryBound(to: xmlAttr.self)
      match = { TagCursor.spells($0.name, attribute.pointee.name, attribute.pointee.ns) }
    } else if let named {
      let bytes = Array(named.utf8)
      match = { $0.name.elementsEqual(bytes) }
    }
    let position = tag.attributes.first(where: match)?.position ?? tag.position
    return SourceLocation(file: path, line: position.line, column: position.column)
  }

  private static func find(_ target: xmlNodePtr, from node: xmlNodePtr, cursor: inout TagCursor)
    -> StartTagScanner.StartTag?
  {
    guard let tag = cursor.take(node) else { return nil }
    if node == target { return tag }
    var child = node.pointee.children
    while let current = child, cursor.matching {
      if current.pointee.type == XML_ELEMENT_NODE, let found = find(target, from: current, cursor: &cursor) {
        return found
      }
      child = current.pointee.next
    }
    return nil
  }

  private func element(_ node: xmlNodePtr, cursor: inout TagCursor) -> Element {
    let tag = cursor.take(node)
    let location =
      tag.map { SourceLocation(file: path, line: $0.position.line, column: $0.position.column) }
      ?? SourceLocation(file: path, line: Int(xmlGetLineNo(node)), column: 0)
    var attributes: [Attribute] = []
    var children: [Element] = []
    var text = ""
    var property = node.pointee.properties
    while let attribute = property {
      var attributeLocation = SourceLocation(file: path, line: location.line, column: 0)
      if let found = tag?.attributes.first(where: {
        TagCursor.spells($0.name, attribute.pointee.name, attribute.pointee.ns)
      }) {
        attributeLocation = SourceLocation(file: path, line: found.position.line, column: found.position.column)
      }
      attributes.append(
        Attribute(
          name: String(cString: attribute.pointee.name),
          namespace: attribute.pointee.ns.flatMap { namespaceURI($0) },
          value: Self.text(of: attribute.pointee.children), location: attributeLocation))
      property = attribute.pointee.next
    }
    var child = node.pointee.children
    while let current = child {
      switch current.pointee.type {
      case XML_ELEMENT_NODE:
        children.append(element(current, cursor: &cursor))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        // Indentation between child elements is not text of ours: skip it without copying.
        let betweenElements =
          current.pointee.prev?.pointee.type == XML_ELEMENT_NODE
          || current.pointee.next?.pointee.type == XML_ELEMENT_NODE
        if betweenElements, current.pointee.type == XML_TEXT_NODE, xmlIsBlankNode(current) != 0 { break }
        if let content = current.pointee.content { text += String(cString: content) }
      default:
        break
      }
      child = current.pointee.next
    }
    return Element(
      name: String(cString: node.pointee.name), namespace: node.pointee.ns.flatMap { namespaceURI($0) },
      attributes: attributes, children: children, text: text, location: location)
  }

  private func namespaceURI(_ namespace: xmlNsPtr) -> String? {
    namespace.pointee.href.map { String(cString: $0) }
  }

  static func text(of first: xmlNodePtr?) -> String {
    var text = ""
    var node = first
    while let current = node {
      if let content = current.pointee.content { text += String(cString: content) }
      node = current.pointee.next
    }
    return text
  }

  private static func doctypeLocation(in bytes: [UInt8], path: String, fallbackLine: Int) -> SourceLocation {
    guard let position = StartTagScanner.doctypePosition(bytes) else {
      return SourceLocation(file: path, line: fallbackLine, column: 0)
    }
    return SourceLocation(file: path, line: position.line, column: position.column)
  }

  /// How the source's columns can be counted: by UTF-8 scalars, by bytes
  /// (single-byte encodings), or not at all (UTF-16 and other multi-byte encodings).
  private enum SourceEncoding {
    case utf8, singleByte, other
  }

  private static func sourceEncoding(_ document: xmlDocPtr) -> SourceEncoding {
    guard let encoding = document.pointee.encoding else { return .utf8 }
    let name = String(cString: encoding).uppercased()
    if name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII" { return .utf8 }
    if name.hasPrefix("ISO-8859-") || name.hasPrefix("ISO8859") || name.hasPrefix("LATIN")
      || name.hasPrefix("WINDOWS-125") || name.hasPrefix("CP125")
    {
      return .singleByte
    }
    return .other
  }
}

/// The DOCTYPE hook: note where it is and stop the parser before any subset is read.
private let refuseDoctype: internalSubsetSAXFunc = { context, _, _, _ in
  guard let context else { return }
  let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
  if let collector = DiagnosticCollector.from(parser.pointee._private) {
    collector.doctypeLine = parser.pointee.input.map { Int($0.pointee.line) } ?? 1
  }
  xmlStopParser(parser)
}
