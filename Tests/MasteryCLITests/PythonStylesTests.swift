import Foundation
import MasteryTestSupport
import Testing

/// Real-world pytest styles (Tests/Fixtures/python-styles): every test pytest collects is graded,
/// with pytest's own outcome, as `expected.json` (written by pytest itself) says.
@Suite("python-tests follows pytest's collection and outcomes")
struct PythonStylesTests {
  static let root = TestPaths.fixture("python-styles")

  static let styles: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: "\(root)/\($0)/expected.json") }.sorted()
  }()

  /// Grades `submissions` and returns each result's first criterion by submission path.
  static func grade(_ submissions: [String], rubrics: String = root) throws -> (
    status: Int32, criteria: [String: [String: Any]], outcomes: [String: String]
  ) {
    let result = try CommandRunner.mastery(["grade", "--format", "json", "--rubrics", rubrics] + submissions)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    var criteria: [String: [String: Any]] = [:]
    var outcomes: [String: String] = [:]
    for entry in object["results"] as? [[String: Any]] ?? [] {
      let path = try #require((entry["submission"] as? [String: Any])?["path"] as? String)
      criteria[path] = (entry["criteria"] as? [[String: Any]])?.first ?? [:]
      outcomes[path] = entry["outcome"] as? String
    }
    return (result.status, criteria, outcomes)
  }

  @Test func thereAreTenStyles() {
    #expect(Self.styles.count >= 10)
  }

  @Test func everyStyleGradesAsPytestCountsIt() throws {
    let submissions = Self.styles.flatMap { ["\(Self.root)/\($0)/correct", "\(Self.root)/\($0)/broken"] }
    let graded = try Self.grade(submissions)
    for style in Self.styles {
      let data = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/\(style)/expected.json"))
      let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
      for candidate in ["correct", "broken"] {
        let path = "\(Self.root)/\(style)/\(candidate)"
        let criterion = try #require(graded.criteria[path], "\(path) was not graded")
        let label = "\(style)/\(candidate): \(criterion["summary"] ?? criterion["message"] ?? "")"
        #expect(graded.outcomes[path] == (candidate == "correct" ? "earned" : "not-yet"), "\(label)")
        let run = try #require(criterion["tests"] as? [String: Any], "\(label)")
        #expect(run["outcome"] as? String == "completed", "\(label)")
        let counts = try #require(run["counts"] as? [String: Int])
        let want = try #require(expected[candidate]?["counts"] as? [String: Int])
        for (kind, count) in want { #expect(counts[kind] == count, "\(label): \(kind)") }
        let wantTests = try #require(expected[candidate]?["tests"] as? [String: String])
        #expect(counts["collected"] == wantTests.count, "\(label)")
        let tests = try #require(run["tests"] as? [[String: Any]])
        let got = Dictionary(
          tests.compactMap { test in (test["id"] as? String).map { ($0, test["outcome"] as? String ?? "") } },
          uniquingKeysWith: { first, _ in first })
        #expect(got == wantTests, "\(label)")
      }
    }
  }

  /// A rubric of the skipif style with `skipped` set, in a folder of its own.
  static func skipRubrics(_ policy: String?) throws -> String {
    let folder = try TestPaths.temporaryFolder()
    let style = "\(root)/skipif"
    for name in ["tests", "reference"] {
      try FileManager.default.copyItem(atPath: "\(style)/\(name)", toPath: "\(folder)/\(name)")
    }
    var rubric = try String(contentsOfFile: "\(style)/rubric.xml", encoding: .utf8)
    rubric = rubric.replacingOccurrences(
      of: #" skipped="excluded""#, with: policy.map { #" skipped="\#($0)""# } ?? "")
    try rubric.write(toFile: "\(folder)/rubric.xml", atomically: true, encoding: .utf8)
    return folder
  }

  @Test func aSkippedTestCountsAsTheRubricSays() throws {
    let correct = "\(Self.root)/skipif/correct"
    // By default a skip is not a pass (4 of 6 points), reported as skipped and never as failed.
    let byDefault = try Self.grade([correct], rubrics: try Self.skipRubrics(nil))
    let criterion = try #require(byDefault.criteria[correct])
    #expect(byDefault.outcomes[correct] == "not-yet")
    #expect(criterion["summary"] as? String == "4 of 6 tests passed, 2 skipped (4 of 6 points)")
    #expect(!(criterion["feedback"] as? [String] ?? []).contains { $0.contains("Failed") })
    let run = try #require(criterion["tests"] as? [String: Any])
    #expect((run["counts"] as? [String: Int])?["failed"] == 0)
    #expect(run["totalPoints"] as? Double == 6)
    let passed = try Self.grade([correct], rubrics: try Self.skipRubrics("passed"))
    #expect(passed.outcomes[correct] == "earned")
    #expect(passed.criteria[correct]?["summary"] as? String == "4 of 6 tests passed, 2 skipped (6 of 6 points)")
    let excluded = try Self.grade([correct], rubrics: "\(Self.root)")
    #expect(excluded.criteria[correct]?["summary"] as? String == "4 of 6 tests passed, 2 skipped (4 of 4 points)")
  }

  @Test func withShowFailuresNoneTheHiddenTestsStayHidden() throws {
    let folder = try Self.skipRubrics("excluded")
    let path = "\(folder)/rubric.xml"
    var rubric = try String(contentsOfFile: path, encoding: .utf8)
    rubric = rubric.replacingOccurrences(of: #"tests="tests""#, with: #"tests="tests" show-failures="none""#)
    try rubric.write(toFile: path, atomically: true, encoding: .utf8)
    let broken = "\(Self.root)/skipif/broken"
    let graded = try Self.grade([broken], rubrics: folder)
    let criterion = try #require(graded.criteria[broken])
    let run = try #require(criterion["tests"] as? [String: Any])
    #expect((run["tests"] as? [Any])?.isEmpty == true)
    #expect((run["counts"] as? [String: Int])?["failed"] == 1)
    #expect(criterion["feedback"] as? [String] == ["1 hidden test failed."])
  }
}
