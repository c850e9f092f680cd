import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

/// Every broken rubric in Tests/Fixtures/invalid-rubrics must produce exactly
/// (xml-unreadable and xml-too-large are covered by RubricLoaderTests)
/// the findings (line:column rule-id) listed in its .expected file.
@Suite("Broken rubric fixtures")
struct FixtureTests {
  static let folder = TestPaths.fixture("invalid-rubrics")

  static let fixtures: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".xml") }.sorted()
  }()

  @Test func fixturesExist() {
    #expect(Self.fixtures.count >= 30)
  }

  @Test(arguments: fixtures)
  func fixtureProducesExactlyItsFindings(name: String) throws {
    let path = "\(Self.folder)/\(name)"
    let expectedPath = String(path.dropLast(4)) + ".expected"
    let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
      .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let load = try RubricLoader().load(path)
    let actual = load.findings.map { "\($0.location.line):\($0.location.column) \($0.ruleID)" }
    #expect(actual == expected, "\(load.findings.map(\.description).joined(separator: "\n"))")
    #expect(load.findings.allSatisfy { $0.location.file == path })
    #expect(!expected.isEmpty, "a broken fixture must expect at least one finding")
  }

  /// author-tests runs pytest: `ValidateCommandTests` covers it with the author-tests fixtures.
  @Test(arguments: RubricRules.all.filter { !["xml-unreadable", "xml-too-large", "author-tests"].contains($0.id) })
  func everyRuleHasAFixture(rule: LintRule) throws {
    let files = Self.fixtures.map { String($0.dropLast(4)) + ".expected" }
    let covered = files.contains { file in
      let text = (try? String(contentsOfFile: "\(Self.folder)/\(file)", encoding: .utf8)) ?? ""
      return text.split(separator: "\n").contains { $0.hasSuffix(" " + rule.id) }
    }
    #expect(covered, "no fixture produces \(rule.id)")
  }
}
