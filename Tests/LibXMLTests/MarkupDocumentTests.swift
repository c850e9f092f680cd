import Foundation
import MasteryTestSupport
import Testing

@testable import LibXML

private func parse(_ text: String, path: String = "test.xml") throws -> MarkupDocument {
  try MarkupDocument(xml: Array(text.utf8), path: path)
}

private func parseError(_ bytes: [UInt8], path: String = "test.xml") -> MarkupError? {
  do {
    _ = try MarkupDocument(xml: bytes, path: path)
    return nil
  } catch let error as MarkupError {
    return error
  } catch {
    return nil
  }
}

@Suite("Parsing XML safely")
struct MarkupDocumentTests {
  @Test func parsesIntoValueTreeWithExactPositions() throws {
    let document = try parse(
      """
      <?xml version="1.0"?>
      <root xmlns="urn:x">
        <child id="a"
               kind="é-text">hello <![CDATA[world]]></child>
      </root>
      """)
    let root = try #require(document.root)
    #expect(root.name == "root")
    #expect(root.namespace == "urn:x")
    #expect(root.location == SourceLocation(file: "test.xml", line: 2, column: 1))
    let child = try #require(root.child(named: "child"))
    #expect(child.location == SourceLocation(file: "test.xml", line: 3, column: 3))
    #expect(child.attribute("id")?.location == SourceLocation(file: "test.xml", line: 3, column: 10))
    #expect(child.attribute("kind")?.location == SourceLocation(file: "test.xml", line: 4, column: 10))
    #expect(child[attribute: "kind"] == "é-text")
    #expect(child.text == "hello world")
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let document = try parse("<r>\n<!-- ééé --><a/><ü b='1'/></r>")
    let root = try #require(document.root)
    #expect(root.children[0].location.column == 13)
    #expect(root.children[1].location.column == 17)
    #expect(root.children[1].attribute("b")?.location.column == 20)
  }

  @Test func keepsEveryParserErrorWithLineAndColumn() throws {
    guard case .malformed(_, let diagnostics) = parseError(Array("<a>\n  <b>\n</a>".utf8)) else {
      Issue.record("expected a malformed error")
      return
    }
    let first = try #require(diagnostics.first)
    #expect(first.location.line == 3)
    #expect(first.location.column > 0)
    #expect(first.message.contains("mismatch"))
  }

  @Test(
    "Refuses any DOCTYPE before reading what it points at",
    arguments: [
      // An external entity reading a local file.
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>",
      // Billion laughs.
      """
      <?xml version="1.0"?>
      <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
      <lolz>&lol3;</lolz>
      """,
      // An external DTD by URL (would need the network).
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n<r/>",
      // A parameter entity pulling a local file into the internal subset.
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>\n<r/>",
    ])
  func refusesDoctype(source: String) {
    #expect(
      parseError(Array(source.utf8))
        == .doctypeForbidden(location: SourceLocation(file: "test.xml", line: 2, column: 1)))
  }

  @Test func refusesExternalEntitiesEvenWithoutDoctypeHook() throws {
    // XInclude is never enabled: the include element stays an ordinary element.
    let document = try parse(
      "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"/etc/passwd\" parse=\"text\"/></r>")
    #expect(document.root?.children.first?.name == "include")
    #expect(document.root?.text.isEmpty == true)
  }

  @Test func stopsDeepNestingWithAClearError() {
    let depth = 100_000
    let bytes = Array((String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)).utf8)
    let clock = ContinuousClock()
    var error: MarkupError?
    let elapsed = clock.measure { error = parseError(bytes) }
    guard case .malformed(_, let diagnostics) = error else {
      Issue.record("expected malformed, got \(String(describing: error))")
      return
    }
    #expect(diagnostics.contains { $0.message.contains("depth") })
    #expect(elapsed < .seconds(10))
  }

  @Test func rejectsInvalidUTF8() {
    var bytes = Array("<r>caf".utf8)
    bytes += [0xC3, 0x28, 0xFF]
    bytes += Array("</r>".utf8)
    guard case .malformed(_, let diagnostics) = parseError(bytes) else {
      Issue.record("expected malformed")
      return
    }
    #expect(diagnostics.first?.message.contains("UTF-8") == true)
  }

  @Test func rejectsEmptyAndNonXML() {
    #expect(
      parseError([])
        == .malformed(
          path: "test.xml",
          diagnostics: [
            Diagnostic(
              severity: .error, domain: .parser, location: SourceLocation(file: "test.xml", line: 1, column: 1),
              message: "the file is empty")
          ]))
    guard case .malformed(_, let diagnostics) = parseError(Array("id,name\n1,Ada\n".utf8)) else {
      Issue.record("expected malformed for CSV")
      return
    }
    #expect(diagnostics.first?.location.line == 1)
  }

  @Test func refusesLargeFilesBeforeReadingThem() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/big.xml"
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 50 << 20)  // 50 MB, sparse
    try handle.close()
    #expect(throws: MarkupError.tooLarge(path: path, limit: 4 << 20)) {
      try MarkupDocument(contentsOf: path, limit: 4 << 20)
    }
    // An endless device is cut off at the limit, not read forever.
    #expect(throws: MarkupError.tooLarge(path: "/dev/zero", limit: 1 << 20)) {
      try MarkupDocument(contentsOf: "/dev/zero", limit: 1 << 20)
    }
  }

  @Test func reportsUnreadableFilesAndFolders() {
    #expect(throws: MarkupError.unreadable(path: "/nonexistent/rubric.xml", reason: "No such file or directory")) {
      try MarkupDocument(contentsOf: "/nonexistent/rubric.xml")
    }
    #expect(throws: MarkupError.unreadable(path: "/tmp", reason: "it is a folder, not a file")) {
      try MarkupDocument(contentsOf: "/tmp")
    }
  }
}
