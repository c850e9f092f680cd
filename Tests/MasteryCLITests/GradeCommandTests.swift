import Foundation
import LibXML
import MasteryTestSupport
import Testing

/// A digital-literacy submission with everything needed to earn, changed by each test.
private let earningEvidence = """
      <answer item="lesson" path="lesson-artifact.pdf"/>
      <answer item="reflection" path="reflection.md"/>
  """
private let earningChecklist = """
    <checklist criterion="lesson-practices">
      <affirm check="lateral-reading"/>
      <affirm check="real-sources" file="attachments/sources.pdf"/>
      <affirm check="student-evidence" file="attachments/samples.pdf"/>
      <affirm check="think-aloud"/>
      <affirm check="trace-claims"/>
    </checklist>
  """
private let earningFiles = [
  "lesson-artifact.pdf": "%PDF-1.4 lesson", "attachments/sources.pdf": "%PDF-1.4 sources",
  "attachments/samples.pdf": "%PDF-1.4 samples", "reflection.md": SubmissionFactory.reflection(),
]

private func grade(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
  try CommandRunner.mastery(
    ["grade"] + arguments, environment: ["SOURCE_DATE_EPOCH": "1795000000"].merging(environment) { $1 })
}

@Suite("mastery grade, end to end")
struct GradeCommandTests {
  @Test func earnsWithExitZero() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: earningFiles
    )
    let result = try grade([folder])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("EARNED  total 77.8% (7 of 9 points)"))
    #expect(result.stdout.contains("5 of 7 checks affirmed"))
    #expect(!result.stdout.contains("\u{1B}["), "no colour when not on a terminal")
  }

  @Test func requiredCheckWithoutAttachmentIsNotYet() throws {
    let checklist = earningChecklist.replacingOccurrences(of: #" file="attachments/samples.pdf""#, with: "")
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: checklist), files: earningFiles)
    let result = try grade([folder])
    #expect(result.status == 1)
    #expect(result.stdout.contains("Attach a file that shows:"))
    #expect(result.stdout.contains("not yet: Lesson practices is Not yet; this credential needs Proficient"))
  }

  @Test func missingRequiredEvidenceIsTheCandidatesShortfall() throws {
    var files = earningFiles
    files.removeValue(forKey: "reflection.md")
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: files)
    let result = try grade([folder])
    #expect(result.status == 1)
    #expect(result.stdout.contains("Missing evidence 'reflection': 'reflection.md' is not in the submission."))
    #expect(
      result.stdout.contains(
        "warning: evidence 'reflection': 'reflection.md' is not in the submission folder [missing-evidence]"))
  }

  @Test(
    "Hostile or broken manifests are invalid input (exit 3) with the place named",
    arguments: [
      ("<submission", "xml-malformed"),
      (SubmissionFactory.manifest(evidence: #"<answer item="lesson" path="../../etc/passwd"/>"#), "unsafe-path"),
      (SubmissionFactory.manifest(evidence: #"<answer item="lesson" path="/etc/passwd"/>"#), "unsafe-path"),
      (SubmissionFactory.manifest(evidence: #"<answer item="video" path="video.mp4"/>"#), "unknown-evidence"),
      (
        SubmissionFactory.manifest(
          checklists: #"<checklist criterion="lesson-practices"><affirm check="bribe"/></checklist>"#), "unknown-check"
      ),
      (SubmissionFactory.manifest(version: "2.0.0"), "version-mismatch"),
      (
        "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<submission>&x;</submission>",
        "xml-doctype"
      ),
    ])
  func invalidManifest(manifest: String, rule: String) throws {
    let folder = try SubmissionFactory.write(manifest: manifest, files: earningFiles)
    let result = try grade([folder])
    #expect(result.status == 3, "\(result.stdout)")
    #expect(result.stdout.contains("INVALID INPUT"))
    #expect(result.stdout.contains("[\(rule)]"), "\(result.stdout)")
    #expect(!result.stdout.contains("root:"), "nothing from /etc/passwd may appear")
  }

  @Test func symbolicLinksAreRefused() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: earningFiles
    )
    try FileManager.default.removeItem(atPath: folder + "/reflection.md")
    try FileManager.default.createSymbolicLink(atPath: folder + "/reflection.md", withDestinationPath: "/etc/passwd")
    let result = try grade([folder])
    #expect(result.status == 3)
    #expect(result.stdout.contains("'reflection.md' is a symbolic link"))
    #expect(result.stdout.contains("[symlink]"))
  }

  @Test func aLinkedManifestIsRefused() throws {
    // The manifest that would earn lives outside the folder; the folder holds only a link to it.
    let outside = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: earningFiles
    )
    let folder = try SubmissionFactory.write(manifest: "", files: earningFiles)
    try FileManager.default.removeItem(atPath: folder + "/submission.xml")
    try FileManager.default.createSymbolicLink(
      atPath: folder + "/submission.xml", withDestinationPath: outside + "/submission.xml")
    let result = try grade([folder])
    #expect(result.status == 3, "\(result.stdout)")
    #expect(result.stdout.contains("the manifest is a symbolic link"))
    #expect(result.stdout.contains("[symlink]"))
    #expect(!result.stdout.contains("EARNED"))
  }

  @Test func aHardLinkedEvidenceFileIsGradedAsTheFileItIs() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: earningFiles
    )
    // The same reflection under a second name outside the folder: its content is the evidence.
    let elsewhere = try TestPaths.temporaryFolder() + "/kept.md"
    #expect(link(folder + "/reflection.md", elsewhere) == 0)
    let result = try grade([folder, "--format", "json"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("\"outcome\" : \"earned\""))
  }

  @Test func sameMajorVersionIsGradedWithAWarning() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(version: "1.3.0", evidence: earningEvidence, checklists: earningChecklist),
      files: earningFiles)
    let result = try grade([folder])
    #expect(result.status == 0)
    #expect(result.stdout.contains("warning: submitted for version 1.3.0, graded with 1.0.0"))
  }

  @Test func hugeAndBinaryReflectionsAreReadSafely() throws {
    var files = earningFiles
    files["reflection.md"] =
      SubmissionFactory.reflection() + String(repeating: "\u{0}\u{7}\u{1B}[31m word ", count: 500_000)
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: files)
    let result = try grade(["--format", "junit", folder])
    // The headings are all there, only the word limit is missed: still Proficient, so earned.
    #expect(result.status == 0)
    #expect(result.stdout.contains("words: keep it to at most 600."))
    #expect(!result.stdout.contains("\u{0}"))
    #expect(!result.stdout.contains("\u{1B}"))
    #expect(result.stdout.contains("Only the first 2 MiB of text was read."))
  }

  @Test func gradesAFolderOfSubmissionsAndTheMostSevereExitWins() throws {
    let root = try TestPaths.temporaryFolder()
    let earning = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(candidate: "a-1", evidence: earningEvidence, checklists: earningChecklist),
      files: earningFiles)
    let broken = try SubmissionFactory.write(manifest: "<submission")
    try FileManager.default.moveItem(atPath: earning, toPath: root + "/a")
    try FileManager.default.moveItem(atPath: broken, toPath: root + "/b")
    let result = try grade([root])
    #expect(result.status == 3)
    #expect(result.stdout.contains("2 submissions: 1 earned, 0 not yet, 0 pending, 0 grader errors, 1 invalid"))
  }

  @Test func unknownCredentialIsInvalidInput() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(credential: "underwater-basket-weaving"))
    let result = try grade([folder])
    #expect(result.status == 3)
    #expect(result.stdout.contains("no valid rubric for credential 'underwater-basket-weaving' under rubrics"))
  }

  @Test func outputFileAppearsWhole() throws {
    let folder = try SubmissionFactory.write(
      manifest: SubmissionFactory.manifest(evidence: earningEvidence, checklists: earningChecklist), files: earningFiles
    )
    let output = try TestPaths.temporaryFolder() + "/report.json"
    let result = try grade(["--format", "json", "--output", output, folder])
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let data = try Data(contentsOf: URL(fileURLWithPath: output))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["schemaVersion"] as? Int == 1)
    let results = try #require(object["results"] as? [[String: Any]])
    #expect(results.first?["outcome"] as? String == "earned")
    #expect(((results.first?["credential"] as? [String: Any])?["rubricSHA256"] as? String)?.count == 64)
    let evidence = try #require(results.first?["evidence"] as? [[String: Any]])
    #expect(evidence.contains { $0["path"] as? String == "reflection.md" && ($0["sha256"] as? String)?.count == 64 })
  }
}

@Suite("mastery grade outputs, golden files")
struct GradeOutputTests {
  @Test(arguments: [("text", "txt"), ("json", "json"), ("junit", "xml"), ("markdown", "md")])
  func exampleSubmissionsMatchGolden(format: String, suffix: String) throws {
    let result = try grade(["--format", format, "submissions"])
    // Without the example reviews, the reviewer criteria wait (exit 2).
    #expect(result.status == 2)
    try expectGolden(result.stdout, "grade-submissions.\(suffix)")
  }

  @Test(ConformanceSchemas.required(ConformanceSchemas.junit))
  func junitValidatesAgainstTheJenkinsSchema() throws {
    let schema = try XSDSchema(contentsOf: ConformanceSchemas.path(ConformanceSchemas.junit))
    let invalid = try SubmissionFactory.write(manifest: "<submission")
    let result = try grade(["--format", "junit", "submissions", invalid])
    let document = try MarkupDocument(xml: Array(result.stdout.utf8), path: "junit.xml")
    #expect(schema.validate(document).isEmpty, "\(schema.validate(document))")
    guard case .nodes(let suites) = try document.evaluate("/testsuites/testsuite") else {
      Issue.record("no testsuites")
      return
    }
    #expect(suites.count == 13)
    #expect(try document.evaluate("count(//testcase/failure[@type='not-yet']) > 0").isTrue)
    #expect(try document.evaluate("count(//testcase/skipped) > 0").isTrue)
    #expect(try document.evaluate("count(//testcase/error[@type='invalid-input'])") == .number(1))
  }

  @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
    // `script` runs the command on a pseudo-terminal.
    let command = "\(TestPaths.masteryBinary) grade submissions/digital-literacy/maria-lopez"
    let terminal = try CommandRunner.run("/usr/bin/script", ["-qec", command, "/dev/null"])
    #expect(terminal.stdout.contains("\u{1B}[1;32mEARNED\u{1B}[0m"))
    let noColor = try CommandRunner.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["NO_COLOR": "1"])
    #expect(noColor.stdout.contains("EARNED"))
    #expect(!noColor.stdout.contains("\u{1B}["))
    let piped = try grade(["submissions/digital-literacy/maria-lopez"])
    #expect(!piped.stdout.contains("\u{1B}["))
  }
}
