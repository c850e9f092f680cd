import CLibXML2

/// A parsed XML or HTML document. Owns the libxml2 tree and frees it on deinit.
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
  private let positions: [UnsafeMutableRawPointer: SourceLocation]

  private init(
    pointer: xmlDocPtr, path: String, warnings: [Diagnostic],
    positions: [UnsafeMutableRawPointer: SourceLocation]
  ) {
    self.pointer = pointer
    self.path = path
    self.warnings = warnings
    self.positions = positions
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
      throw MarkupError.malformed(path: path, diagnostics: errors.isEmpty ? collector.diagnostics : errors)
    }
    let positions = Self.positions(of: parsed, source: bytes, path: path)
    self.init(pointer: parsed, path: path, warnings: collector.diagnostics, positions: positions)
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
  /// - Throws: `MarkupError.tooLarge`, or `.malformed` when no tree results.
  public static func html(bytes: [UInt8], path: String, limit: Int = MarkupDocument.defaultLimit) throws
    -> MarkupDocument
  {
    LibXMLRuntime.prepare()
    guard bytes.count <= limit, bytes.count < Int(Int32.max) else {
      throw MarkupError.tooLarge(path: path, limit: limit)
    }
    guard let context = htmlNewParserCtxt() else {
      throw MarkupError.unreadable(path: path, reason: "libxml2 could not allocate a parser")
    }
    defer { htmlFreeParserCtxt(context) }
    let collector = DiagnosticCollector(file: path, domain: .html)
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
    return MarkupDocument(pointer: parsed, path: path, warnings: warnings, positions: [:])
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
    return element(node)
  }

  /// Where a node (element or attribute) of this document starts.
  func location(of node: UnsafeMutableRawPointer) -> SourceLocation? {
    if let exact = positions[node] { return exact }
    let typed = node.assumingMemoryBound(to: xmlNode.self)
    guard typed.pointee.doc == pointer else { return nil }
    return SourceLocation(file: path, line: Int(xmlGetLineNo(typed)), column: 0)
  }

  private func element(_ node: xmlNodePtr) -> Element {
    let location =
      positions[UnsafeMutableRawPointer(node)]
      ?? SourceLocation(file: path, line: Int(xmlGetLineNo(node)), column: 0)
    var result = Element(
      name: String(cString: node.pointee.name), namespace: node.pointee.ns.flatMap { namespaceURI($0) },
      location: location)
    var property = node.pointee.properties
    while let attribute = property {
      let attributeLocation =
        positions[UnsafeMutableRawPointer(attribute)]
        ?? SourceLocation(file: path, line: location.line, column: 0)
      result.attributes.append(
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
        result.children.append(element(current))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let content = current.pointee.content { result.text += String(cString: content) }
      default:
        break
      }
      child = current.pointee.next
    }
    return result
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
    let marker = Array("<!DOCTYPE".utf8)
    var line = 1
    var lineStart = 0
    var index = 0
    while index + marker.count <= bytes.count {
      if bytes[index] == UInt8(ascii: "\n") {
        line += 1
        lineStart = index + 1
      } else if bytes[index..<index + marker.count].elementsEqual(marker) {
        let column = bytes[lineStart..<index].filter { $0 & 0xC0 != 0x80 }.count + 1
        return SourceLocation(file: path, line: line, column: column)
      }
      index += 1
    }
    return SourceLocation(file: path, line: fallbackLine, column: 0)
  }

  /// Exact element and attribute positions, when the source is UTF-8 and the
  /// scanned start tags match the tree; empty otherwise (lines then come from libxml2).
  private static func positions(of document: xmlDocPtr, source: [UInt8], path: String)
    -> [UnsafeMutableRawPointer: SourceLocation]
  {
    if let encoding = document.pointee.encoding {
      let name = String(cString: encoding).uppercased()
      guard name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII" else { return [:] }
    }
    let tags = StartTagScanner.scan(source)
    var map: [UnsafeMutableRawPointer: SourceLocation] = [:]
    var next = 0
    var matched = true

    func qualifiedName(_ name: UnsafePointer<xmlChar>, _ namespace: xmlNsPtr?) -> [UInt8] {
      var bytes: [UInt8] = []
      if let prefix = namespace?.pointee.prefix {
        bytes.append(contentsOf: UnsafeBufferPointer(start: prefix, count: Int(xmlStrlen(prefix))))
        bytes.append(UInt8(ascii: ":"))
      }
      bytes.append(contentsOf: UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))))
      return bytes
    }

    func walk(_ first: xmlNodePtr?) {
      var node = first
      while matched, let current = node {
        if current.pointee.type == XML_ELEMENT_NODE {
          guard next < tags.count,
            tags[next].name.elementsEqual(qualifiedName(current.pointee.name, current.pointee.ns))
          else {
            matched = false
            return
          }
          let tag = tags[next]
          next += 1
          map[UnsafeMutableRawPointer(current)] = SourceLocation(
            file: path, line: tag.position.line, column: tag.position.column)
          var property = current.pointee.properties
          while let attribute = property {
            let name = qualifiedName(attribute.pointee.name, attribute.pointee.ns)
            if let found = tag.attributes.first(where: { $0.name.elementsEqual(name) }) {
              map[UnsafeMutableRawPointer(attribute)] = SourceLocation(
                file: path, line: found.position.line, column: found.position.column)
            }
            property = attribute.pointee.next
          }
          walk(current.pointee.children)
        }
        node = current.pointee.next
      }
    }
    walk(document.pointee.children)
    return matched && next == tags.count ? map : [:]
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
