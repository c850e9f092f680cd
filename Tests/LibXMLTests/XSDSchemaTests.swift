import Testing

@testable import LibXML

private let schemaText = """
  <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
    <xs:element name="list">
      <xs:complexType>
        <xs:sequence>
          <xs:element name="item" maxOccurs="unbounded">
            <xs:complexType>
              <xs:attribute name="n" type="xs:integer" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:sequence>
      </xs:complexType>
    </xs:element>
  </xs:schema>
  """

@Suite("XSD validation")
struct XSDSchemaTests {
  let schema: XSDSchema

  init() throws {
    schema = try XSDSchema(bytes: Array(schemaText.utf8), path: "t.xsd")
  }

  @Test func validDocumentHasNoErrors() throws {
    let document = try MarkupDocument(xml: Array("<list xmlns=\"urn:t\"><item n=\"1\"/></list>".utf8), path: "ok.xml")
    #expect(schema.validate(document).isEmpty)
  }

  @Test func keepsEveryErrorWithExactPositions() throws {
    let source = """
      <list xmlns="urn:t">
        <item n="x"/>
        <item/>
        <thing/>
      </list>
      """
    let document = try MarkupDocument(xml: Array(source.utf8), path: "bad.xml")
    let errors = schema.validate(document)
    #expect(errors.count == 3)
    #expect(errors.map(\.location.line) == [2, 3, 4])
    #expect(errors.allSatisfy { $0.location.column > 0 })
    #expect(errors[1].location.column == 3)
    #expect(errors[2].location.column == 3)
    #expect(errors[0].message.contains("'x'"))
  }

  @Test func oneSchemaValidatesConcurrently() async throws {
    let schema = self.schema
    let counts = await withTaskGroup(of: Int.self) { group in
      for index in 0..<16 {
        group.addTask {
          let bad = index % 2 == 0
          let source = "<list xmlns=\"urn:t\"><item n=\"\(bad ? "x" : "1")\"/></list>"
          guard let document = try? MarkupDocument(xml: Array(source.utf8), path: "d\(index).xml") else { return -1 }
          return schema.validate(document).count
        }
      }
      return await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(counts.sorted() == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
  }

  @Test func brokenSchemaReportsItsErrors() {
    #expect {
      try XSDSchema(
        bytes: Array("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>".utf8),
        path: "broken.xsd")
    } throws: { error in
      guard case MarkupError.invalidSchema(let path, let diagnostics) = error else { return false }
      return path == "broken.xsd" && !diagnostics.isEmpty
    }
  }
}
