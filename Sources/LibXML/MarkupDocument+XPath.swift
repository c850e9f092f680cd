import CLibXML2

extension MarkupDocument {
  /// Evaluates an XPath 1.0 expression over the whole document.
  ///
  /// - Parameters:
  ///   - expression: the XPath expression.
  ///   - namespaces: prefixes the expression uses, mapped to namespace URIs.
  /// - Returns: the node set, boolean, number or string it yields.
  /// - Throws: `MarkupError.xpath` when the expression does not compile or fails.
  public func evaluate(_ expression: String, namespaces: [String: String] = [:]) throws -> XPathValue {
    guard let context = xmlXPathNewContext(pointer) else {
      throw MarkupError.xpath(expression: expression, message: "libxml2 could not allocate an XPath context")
    }
    defer { xmlXPathFreeContext(context) }
    for (prefix, uri) in namespaces {
      _ = withXMLChars(prefix) { prefix in withXMLChars(uri) { uri in xmlXPathRegisterNs(context, prefix, uri) } }
    }
    let collector = DiagnosticCollector(file: path, domain: .xpath)
    context.pointee.error = collectStructuredError
    context.pointee.userData = collector.opaque
    let result = collector.collecting { withXMLChars(expression) { xmlXPathEvalExpression($0, context) } }
    guard let result else {
      let message = collector.diagnostics.first?.message ?? "the expression is not valid XPath 1.0"
      throw MarkupError.xpath(expression: expression, message: message)
    }
    defer { xmlXPathFreeObject(result) }
    switch result.pointee.type {
    case XPATH_NODESET:
      let set = result.pointee.nodesetval
      var nodes: [XPathNode] = []
      let count = Int(mastery_nodeSetCount(set))
      nodes.reserveCapacity(count)
      for index in 0..<count {
        if let node = mastery_nodeSetItem(set, Int32(index)) { nodes.append(Self.xpathNode(node)) }
      }
      return .nodes(nodes)
    case XPATH_BOOLEAN:
      return .boolean(result.pointee.boolval != 0)
    case XPATH_NUMBER:
      return .number(result.pointee.floatval)
    case XPATH_STRING:
      return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
    default:
      throw MarkupError.xpath(expression: expression, message: "the expression yields an unsupported value type")
    }
  }

  private static func xpathNode(_ node: xmlNodePtr) -> XPathNode {
    var text = ""
    if let content = xmlNodeGetContent(node) {
      text = String(cString: content)
      mastery_xmlFree(content)
    }
    var attributes: [String: String] = [:]
    if node.pointee.type == XML_ELEMENT_NODE {
      var property = node.pointee.properties
      while let attribute = property {
        attributes[String(cString: attribute.pointee.name)] = MarkupDocument.text(of: attribute.pointee.children)
        property = attribute.pointee.next
      }
    }
    let name = node.pointee.name.map { String(cString: $0) } ?? ""
    return XPathNode(name: name, text: text, line: Int(xmlGetLineNo(node)), attributes: attributes)
  }
}

/// Runs `body` with `string` as a NUL-terminated `xmlChar` buffer.
func withXMLChars<T>(_ string: String, _ body: (UnsafePointer<xmlChar>) -> T) -> T {
  string.withCString { pointer in
    pointer.withMemoryRebound(to: xmlChar.self, capacity: string.utf8.count + 1) { body($0) }
  }
}
