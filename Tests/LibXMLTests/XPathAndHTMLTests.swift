import Testing

@testable import LibXML

@Suite("XPath and HTML")
struct XPathAndHTMLTests {
  @Test func evaluatesEveryResultType() throws {
    let document = try MarkupDocument(
      xml: Array("<r:list xmlns:r=\"urn:r\"><r:item n=\"2\">a</r:item><r:item n=\"3\">b</r:item></r:list>".utf8),
      path: "x.xml")
    let namespaces = ["m": "urn:r"]
    guard case .nodes(let nodes) = try document.evaluate("//m:item", namespaces: namespaces) else {
      Issue.record("expected nodes")
      return
    }
    #expect(nodes.map(\.text) == ["a", "b"])
    #expect(nodes.map { $0.attributes["n"] } == ["2", "3"])
    #expect(try document.evaluate("sum(//m:item/@n)", namespaces: namespaces) == .number(5))
    #expect(try document.evaluate("count(//m:item) = 2", namespaces: namespaces) == .boolean(true))
    #expect(try document.evaluate("string(//m:item[2])", namespaces: namespaces) == .string("b"))
    #expect(try document.evaluate("//item").isTrue == false)
  }

  @Test func reportsInvalidExpressions() throws {
    let document = try MarkupDocument(xml: Array("<r/>".utf8), path: "x.xml")
    #expect {
      try document.evaluate("//r[")
    } throws: { error in
      guard case MarkupError.xpath(let expression, let message) = error else { return false }
      return expression == "//r[" && !message.isEmpty
    }
    #expect(XPathSyntax.problem(in: "count(//a) > 1") == nil)
    #expect(XPathSyntax.problem(in: "//a[@") != nil)
  }

  @Test func parsesMalformedHTMLWithWarnings() throws {
    let page = """
      <!DOCTYPE html>
      <html lang="en"><head><title>Class page</title></head>
      <body>
      <nav><a href="a.html">A</a><a href="b.html">B</a></nav>
      <main><p>Unclosed paragraph
      <div id="x"></span></div>
      </main>
      </body></html>
      """
    let document = try MarkupDocument.html(bytes: Array(page.utf8), path: "index.html")
    #expect(!document.warnings.isEmpty)
    #expect(document.warnings.allSatisfy { $0.severity == .warning && $0.location.line > 0 })
    #expect(document.warnings.contains { $0.location.line == 6 })
    #expect(try document.evaluate("count(//nav/a[@href])") == .number(2))
    #expect(try document.evaluate("string(/html/@lang)") == .string("en"))
  }
}
