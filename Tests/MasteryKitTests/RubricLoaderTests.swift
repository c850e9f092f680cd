import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

@Suite("Loading rubrics")
struct RubricLoaderTests {
  static let exampleRubrics: [String] = {
    let folder = TestPaths.repository("rubrics")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)/rubric.xml") }.sorted()
  }()

  @Test func thereAreAtLeastFourExamples() {
    #expect(Self.exampleRubrics.count >= 4)
  }

  @Test(arguments: exampleRubrics)
  func exampleRubricIsValidWithoutWarnings(name: String) throws {
    let load = try RubricLoader().load(TestPaths.repository("rubrics/\(name)/rubric.xml"))
    #expect(load.findings.isEmpty, "\(load.findings.map(\.description).joined(separator: "\n"))")
    let rubric = try #require(load.rubric)
    #expect(rubric.id == name)
    #expect(rubric.criteria.allSatisfy { $0.evaluator.configuration != nil })
  }

  @Test func examplesCoverTheEvaluatorKindsTheyShowcase() throws {
    let loader = try RubricLoader()
    let kinds = Self.exampleRubrics.flatMap { name in
      loader.load(TestPaths.repository("rubrics/\(name)/rubric.xml")).rubric?.criteria.map(\.evaluator.kind) ?? []
    }
    for kind in ["checklist", "text", "python-tests", "web", "reviewer"] {
      #expect(kinds.contains(kind), "no example rubric uses \(kind)")
    }
  }

  @Test func buildsTheModel() throws {
    let load = try RubricLoader().load(TestPaths.repository("rubrics/python-foundations/rubric.xml"))
    let rubric = try #require(load.rubric)
    #expect(rubric.levels.map(\.id) == ["not-yet", "developing", "proficient", "exemplary"])
    #expect(rubric.levels.map(\.score) == [0, 1, 2, 3])
    let correctness = try #require(rubric.criterion("correctness"))
    let configuration = try #require(correctness.evaluator.configuration as? PythonTestsConfiguration)
    #expect(configuration.tests == "tests")
    #expect(configuration.limits.wallSeconds == 10)
    #expect(configuration.limits.memoryBytes == 256 << 20)
    #expect(configuration.mapping?.steps.map(\.level) == ["exemplary", "proficient", "developing"])
    #expect(rubric.policy.gates.map(\.criterion) == ["correctness"])
  }

  @Test func missingFileIsAFindingNotACrash() throws {
    let load = try RubricLoader().load("/nonexistent/rubric.xml")
    #expect(load.rubric == nil)
    #expect(load.findings.map(\.ruleID) == ["xml-unreadable"])
    #expect(load.findings.first?.message.contains("No such file") == true)
  }

  @Test func fiftyMegabyteFileIsRefusedBeforeParsing() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/huge.xml"
    var text = "<microcredential xmlns=\"urn:mastery:rubric:1\">"
    text += String(
      repeating: "<!-- padding padding padding padding padding padding padding padding -->\n", count: 700_000)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let load = try RubricLoader().load(path)
    #expect(load.findings.map(\.ruleID) == ["xml-too-large"])
  }

  @Test func deeplyNestedRubricIsRejectedQuickly() throws {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/deep.xml"
    let depth = 100_000
    let text =
      "<microcredential xmlns=\"urn:mastery:rubric:1\">" + String(repeating: "<title>", count: depth)
      + String(repeating: "</title>", count: depth) + "</microcredential>"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let load = try RubricLoader().load(path)
    #expect(load.findings.map(\.ruleID) == ["xml-malformed"])
    #expect(load.findings.first?.message.contains("nested more than 256 deep") == true)
  }

  @Test(arguments: BundledSchema.all)
  func bundledSchemaIsCurrent(schema: BundledSchema) throws {
    let file = try String(contentsOfFile: TestPaths.repository("rubrics/schema/" + schema.fileName), encoding: .utf8)
    #expect(schema.text == file, "run `make generate` after editing rubrics/schema/*.xsd or *.json")
    if schema.isXSD {
      _ = try schema.compiled()
    } else {
      let object = try JSONSerialization.jsonObject(with: Data(schema.text.utf8)) as? [String: Any]
      #expect(object?["$id"] as? String == schema.namespace)
    }
  }
}
