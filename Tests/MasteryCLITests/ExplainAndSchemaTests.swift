import Foundation
import MasteryTestSupport
import Testing

/// Compares command output with a golden file; `UPDATE_GOLDEN=1 swift test` rewrites them.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let path = TestPaths.repository("Tests/MasteryCLITests/Golden/" + name)
  if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
    try actual.write(toFile: path, atomically: true, encoding: .utf8)
    return
  }
  let expected = try String(contentsOfFile: path, encoding: .utf8)
  #expect(
    actual == expected, "output differs from \(name); UPDATE_GOLDEN=1 rewrites it", sourceLocation: sourceLocation)
}

@Suite("mastery explain and mastery schema, end to end")
struct ExplainAndSchemaTests {
  @Test(arguments: ["python-foundations", "web-applications", "formative-assessment", "digital-literacy"])
  func explainMatchesGolden(name: String) throws {
    let text = try CommandRunner.mastery(["explain", "rubrics/\(name)/rubric.xml"])
    #expect(text.status == 0)
    try expectGolden(text.stdout, "explain-\(name).txt")
    let markdown = try CommandRunner.mastery(["explain", "--format", "markdown", "rubrics/\(name)/rubric.xml"])
    #expect(markdown.status == 0)
    try expectGolden(markdown.stdout, "explain-\(name).md")
  }

  @Test func explainRefusesAnInvalidRubric() throws {
    let path = try RubricFactory.write(RubricFactory.rubric(evaluator: #"      <evaluator kind="essay"/>"#))
    let result = try CommandRunner.mastery(["explain", path])
    #expect(result.status == 3)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("[unknown-evaluator]"))
  }

  @Test func schemaPrintsTheBundledXSD() throws {
    let result = try CommandRunner.mastery(["schema", "rubric"])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == (try String(contentsOfFile: TestPaths.repository("rubrics/schema/microcredential.xsd"), encoding: .utf8)))
    let list = try CommandRunner.mastery(["schema", "--list"])
    #expect(
      list.stdout
        == "rubric\turn:mastery:rubric:1\tmicrocredential.xsd\nsubmission\turn:mastery:submission:1\tsubmission.xsd\n"
        + "review\turn:mastery:review:1\treview.xsd\n"
        + "plugin-request\turn:mastery:plugin-request:1\tplugin-request.json\n"
        + "plugin-result\turn:mastery:plugin-result:1\tplugin-result.json\n")
    let unknown = try CommandRunner.mastery(["schema", "badge"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("unknown schema 'badge'"))
  }
}
