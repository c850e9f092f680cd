import Foundation
import MasteryTestSupport
import Testing

@Suite("mastery validate, end to end")
struct ValidateCommandTests {
  @Test func validRubricsExitZero() throws {
    let result = try CommandRunner.mastery(["validate", "rubrics"])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("rubrics valid"))
  }

  @Test func invalidRubricExitsThreeWithCompilerStyleLines() throws {
    let path = try RubricFactory.write(
      RubricFactory.rubric(
        evaluator: #"      <evaluator kind="reviewer" reviewers="two"/>"#,
        mastery: #"<every-criterion at-least="expert"/>"#))
    let result = try CommandRunner.mastery(["validate", path])
    #expect(result.status == 3)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("\(path):17:34: error: 'reviewers=\"two\"' is not valid"))
    #expect(lines[0].hasSuffix("[evaluator-config]"))
    #expect(lines[1].hasPrefix("\(path):21:22: error: level 'expert' is not defined"))
    #expect(lines[1].hasSuffix("[undefined-level]"))
    #expect(result.stderr.contains("2 errors, 0 warnings; 1 of 1 rubric invalid"))
  }

  @Test func missingPathIsInvalidInput() throws {
    let result = try CommandRunner.mastery(["validate", "no/such/rubric.xml"])
    #expect(result.status == 3)
    #expect(result.stdout.contains("no/such/rubric.xml: error: cannot read the file"))
  }

  @Test func emptyFolderIsInvalidInput() throws {
    let folder = try TestPaths.temporaryFolder()
    let result = try CommandRunner.mastery(["validate", folder])
    #expect(result.status == 3)
    #expect(result.stderr.contains("no rubric files found"))
  }

  @Test func strictTurnsWarningsIntoErrors() throws {
    let rubric = RubricFactory.rubric(evaluator: #"      <evaluator kind="reviewer"/>"#)
      .replacingOccurrences(
        of: "</evidence>", with: "  <item id=\"spare\" kind=\"text\" path=\"spare.md\">Unused</item>\n  </evidence>")
    let path = try RubricFactory.write(rubric)
    let relaxed = try CommandRunner.mastery(["validate", path])
    #expect(relaxed.status == 0)
    #expect(relaxed.stdout.contains("warning: no criterion judges evidence 'spare'"))
    #expect(relaxed.stdout.hasSuffix("[unused-evidence]\n"))
    let strict = try CommandRunner.mastery(["validate", "--strict", path])
    #expect(strict.status == 3)
    #expect(strict.stdout.contains("error: no criterion judges evidence 'spare'"))
  }

  @Test func jsonFormatIsStructured() throws {
    let result = try CommandRunner.mastery([
      "validate", "--format", "json", "rubrics/python-foundations/rubric.xml", "no/such.xml",
    ])
    #expect(result.status == 3)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["tool"] as? String == "mastery")
    let files = try #require(object["files"] as? [[String: Any]])
    #expect(files.count == 2)
    #expect(files[0]["valid"] as? Bool == true)
    #expect((files[0]["rubric"] as? [String: Any])?["id"] as? String == "python-foundations")
    #expect(files[1]["valid"] as? Bool == false)
    let finding = try #require((files[1]["findings"] as? [[String: Any]])?.first)
    #expect(finding["rule"] as? String == "xml-unreadable")
    #expect(finding["severity"] as? String == "error")
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["errors"] as? Int == 1)
    #expect(summary["valid"] as? Bool == false)
  }

  @Test func githubFormatWritesWorkflowCommands() throws {
    let path = try RubricFactory.write(
      RubricFactory.rubric(evaluator: #"      <evaluator kind="reviewer" combine="mode, or mean: any"/>"#))
    let result = try CommandRunner.mastery(["validate", "--format", "github", path])
    #expect(result.status == 3)
    #expect(
      result.stdout.hasPrefix(
        "::error file=\(path),line=17,col=34,title=evaluator-config::'combine=\"mode, or mean: any\"' is not valid"))
  }

  @Test(ConformanceSchemas.required(ConformanceSchemas.sarif))
  func sarifConformsToTheSchema() throws {
    let schema = ConformanceSchemas.path(ConformanceSchemas.sarif)
    let broken = try RubricFactory.write(
      RubricFactory.rubric(evaluator: #"      <evaluator kind="essay"/>"#).replacingOccurrences(
        of: "1.0.0", with: "1.0"))
    let result = try CommandRunner.mastery(["validate", "--format", "sarif", broken, "rubrics", "missing file.xml"])
    #expect(result.status == 3)
    let folder = try TestPaths.temporaryFolder()
    let output = folder + "/out.sarif"
    try result.stdout.write(toFile: output, atomically: true, encoding: .utf8)
    let check = try CommandRunner.run(
      "/usr/bin/python3",
      [
        "-c",
        """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
        jsonschema.validate(doc, schema)
        run = doc["runs"][0]
        rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
        for r in run["results"]:
            assert rules[r["ruleIndex"]] == r["ruleId"], r
        print(len(run["results"]), "results", len(rules), "rules")
        """,
        schema, output,
      ])
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stdout.contains("3 results"))
    #expect(result.stdout.contains("\"uri\" : \"missing%20file.xml\""))
  }

  @Test func usageErrorsExit64() throws {
    let result = try CommandRunner.mastery(["validate", "--format", "yaml", "rubrics"])
    #expect(result.status == 64)
  }
}

@Suite("mastery validate, folder search")
struct ValidateFolderTests {
  @Test func searchesFoldersForRubricsOnly() throws {
    let folder = try TestPaths.temporaryFolder()
    let manager = FileManager.default
    let valid = try String(contentsOfFile: TestPaths.repository("docs/examples/morning-meetings.xml"), encoding: .utf8)
    try manager.createDirectory(atPath: folder + "/cohort/a", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: folder + "/.hidden", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: folder + "/folder.xml", withIntermediateDirectories: true)
    try valid.write(toFile: folder + "/cohort/a/morning.xml", atomically: true, encoding: .utf8)
    // Not rubrics: another kind of document, a malformed non-rubric, a hidden folder, a folder named *.xml.
    try "<submission xmlns=\"urn:mastery:submission:1\"/>".write(
      toFile: folder + "/cohort/a/submission.xml", atomically: true, encoding: .utf8)
    try "<notes><unclosed></notes>".write(toFile: folder + "/cohort/notes.xml", atomically: true, encoding: .utf8)
    try "<microcredential/>".write(toFile: folder + "/.hidden/rubric.xml", atomically: true, encoding: .utf8)
    let clean = try CommandRunner.mastery(["validate", "--format", "json", folder])
    #expect(clean.status == 0, "\(clean.stdout)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
    let files = try #require(object["files"] as? [[String: Any]])
    #expect(files.map { $0["path"] as? String } == [folder + "/cohort/a/morning.xml"])
    // A file named rubric.xml is always a rubric, and a broken rubric is reported even when malformed.
    try "<root/>".write(toFile: folder + "/cohort/rubric.xml", atomically: true, encoding: .utf8)
    try "<microcredential xmlns=\"urn:mastery:rubric:1\"><title>".write(
      toFile: folder + "/cohort/broken.xml", atomically: true, encoding: .utf8)
    let broken = try CommandRunner.mastery(["validate", folder])
    #expect(broken.status == 3)
    #expect(broken.stdout.contains("\(folder)/cohort/rubric.xml:1:1: error: the root element is <root>"))
    #expect(broken.stdout.contains("\(folder)/cohort/broken.xml:1:"))
    #expect(!broken.stdout.contains("submission.xml"))
    #expect(!broken.stdout.contains("notes.xml"))
  }
}

@Suite("mastery validate, declared encodings")
struct ValidateEncodingTests {
  private static let head = Array(
    "<?xml version=\"1.0\" encoding=\"ENCODING\"?>\n<microcredential xmlns=\"urn:mastery:rubric:1\" id=\"x\" version=\"1.0.0\">\n<title>"
      .utf8)
  private static let tail = Array(" ok</title>\n</microcredential>\n".utf8)

  @Test(
    "Bytes that the declared encoding cannot hold are found at their line, once",
    arguments: [
      ("Shift_JIS", [0x82, 0xA0, 0x82, 0xFF, 0xFF, 0xFE], "3:10", "not valid Shift_JIS"),
      ("X-NOPE", [0x41], "1:1", "the encoding X-NOPE named in the"),
    ] as [(String, [UInt8], String, String)])
  func conversionFailures(encoding: String, body: [UInt8], place: String, message: String) throws {
    let folder = try TestPaths.temporaryFolder()
    let path = folder + "/rubric.xml"
    let head = String(decoding: Self.head, as: UTF8.self).replacingOccurrences(of: "ENCODING", with: encoding)
    try Data(Array(head.utf8) + body + Self.tail).write(to: URL(fileURLWithPath: path))
    let result = try CommandRunner.mastery(["validate", path])
    #expect(result.status == 3)
    let errors = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
    #expect(errors.count == 1, "one finding, not one per buffer: \(result.stdout)")
    #expect(errors.first?.hasPrefix("\(path):\(place): error: ") == true, "\(result.stdout)")
    #expect(result.stdout.contains(message))
  }

  /// The author's tests are run by validate: what pytest cannot collect, collects nothing of, or
  /// fails on the reference, and <points> that name no single test, each at the rubric's line.
  @Test func theAuthorsTestsAreRunAndTheirProblemsAreRubricErrors() throws {
    let root = TestPaths.fixture("author-tests")
    let result = try CommandRunner.mastery(["validate", root])
    #expect(result.status == 3)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let expected: [(String, String)] = [
      ("fails-on-reference/rubric.xml:17:7: error: the author's tests fail on the reference solution", "test_leap.py::LeapTest::test_1900 (AssertionError: True is not false)"),
      ("no-tests/rubric.xml:17:7: error: pytest collects no tests in", "[author-tests]"),
      ("points/rubric.xml:19:9: error: <points test=\"test_1900\"> could mean any of", "test_leap.py::CenturyTest::test_1900, test_leap.py::LeapTest::test_1900"),
      ("points/rubric.xml:20:9: error: <points test=\"test_1800\"> names no test pytest collects", "test_leap.py::test_many[12]"),
      ("syntax-error/rubric.xml:17:7: error: pytest cannot collect test_leap.py", "test_leap.py:3: SyntaxError"),
    ]
    #expect(lines.count == expected.count, "\(result.stdout)")
    for ((start, detail), line) in zip(expected, lines) {
      #expect(line.hasPrefix("\(root)/\(start)"), "\(line)")
      #expect(line.contains(detail), "\(line)")
      #expect(line.hasSuffix("[author-tests]"), "\(line)")
    }
    #expect(!result.stdout.contains("stand-ins/"), "stand-ins meet the imports of tests without a reference")
    // --no-run runs nothing: the same rubrics are valid as far as reading them can tell.
    let unrun = try CommandRunner.mastery(["validate", "--no-run", root])
    #expect(unrun.status == 0, "\(unrun.stdout)")
  }
}
