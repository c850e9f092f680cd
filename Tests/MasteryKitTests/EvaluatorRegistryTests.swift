import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

@Suite("Evaluator registry and configuration examples")
struct EvaluatorRegistryTests {
  @Test func kindsAreUniqueAndStable() {
    let kinds = EvaluatorRegistry.kinds
    #expect(Set(kinds).count == kinds.count)
    #expect(kinds == ["checklist", "text", "python-tests", "web", "reviewer", "command"])
    #expect(EvaluatorRegistry.byKind.count == kinds.count)
  }

  @Test(arguments: EvaluatorRegistry.kinds)
  func everyKindShipsValidAndInvalidExamples(kind: String) throws {
    let examples = try #require(EvaluatorRegistry.byKind[kind]).description.examples
    #expect(examples.contains { $0.findings.isEmpty }, "\(kind) needs a valid example")
    #expect(examples.contains { !$0.findings.isEmpty }, "\(kind) needs an invalid example")
  }

  static let allExamples: [(String, ConfigurationExample)] = EvaluatorRegistry.configurations.flatMap { type in
    type.description.examples.map { (type.description.kind, $0) }
  }

  @Test(arguments: allExamples)
  func exampleProducesItsFindings(kind: String, example: ConfigurationExample) throws {
    let path = try RubricFactory.write(RubricFactory.rubric(evaluator: example.xml))
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    let load = try RubricLoader().load(path)
    #expect(load.findings.map(\.ruleID).sorted() == example.findings.sorted(), "\(load.findings)")
    if example.findings.isEmpty {
      let configuration = try #require(load.rubric?.criteria.first?.evaluator.configuration)
      #expect(type(of: configuration).description.kind == kind)
    }
  }

  @Test func unknownAttributeIsReportedAtItsOwnPosition() throws {
    let path = try RubricFactory.write(
      RubricFactory.rubric(evaluator: #"      <evaluator kind="reviewer" reviewer="2"/>"#))
    let load = try RubricLoader().load(path)
    let finding = try #require(load.findings.first)
    #expect(finding.ruleID == "evaluator-config")
    #expect(finding.location.line == 17)
    #expect(finding.location.column == 34)
    #expect(finding.message.contains("unknown attribute 'reviewer'"))
    #expect(finding.message.contains("known: combine, max-disagreement, reviewers"))
  }

  @Test func unknownKindNamesTheKnownOnes() throws {
    let path = try RubricFactory.write(RubricFactory.rubric(evaluator: #"      <evaluator kind="essay"/>"#))
    let finding = try #require(try RubricLoader().load(path).findings.first)
    #expect(finding.ruleID == "unknown-evaluator")
    #expect(finding.message.contains("checklist, text, python-tests, web, reviewer, command"))
  }
}
