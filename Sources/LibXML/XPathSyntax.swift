import CLibXML2

/// Checks XPath 1.0 syntax without a document, for rubric lint.
public enum XPathSyntax {
  /// Nil when `expression` compiles; otherwise libxml2's message.
  public static func problem(in expression: String) -> String? {
    LibXMLRuntime.prepare()
    let collector = DiagnosticCollector(file: "xpath", domain: .xpath)
    let compiled = collector.collecting { withXMLChars(expression) { xmlXPathCompile($0) } }
    guard let compiled else {
      return collector.diagnostics.first?.message ?? "the expression does not compile"
    }
    xmlXPathFreeCompExpr(compiled)
    return nil
  }
}
