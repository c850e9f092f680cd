import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

private let dana = "submissions/formative-assessment/dana-whitfield"

/// A fresh ledger file shared by the commands of one test.
private func freshLedger() throws -> String {
  try TestPaths.temporaryFolder() + "/ledger.sqlite"
}

private func run(_ arguments: [String], ledger: String) throws -> CommandResult {
  try CommandRunner.mastery(arguments, environment: ["MASTERY_LEDGER": ledger, "SOURCE_DATE_EPOCH": "1795000000"])
}

@Suite("Reviews and the ledger, end to end")
struct ReviewCommandTests {
  @Test func reviewsAdjudicationAndGradeReachAFinalDecision() throws {
    let ledger = try freshLedger()
    let first = try run(["grade", dana], ledger: ledger)
    #expect(first.status == 2)
    let queue = try run(["queue"], ledger: ledger)
    #expect(
      queue.stdout.contains(
        "formative-assessment/rusd-t-0624/1  learning-target (Learning target and success criteria): 0 of 2 reviews"))
    #expect(queue.stdout.split(separator: "\n").count == 4)
    let saved = try run(
      [
        "review", dana, "--reviewer", "ana@pd", "--score", "learning-target=proficient", "--score",
        "exit-ticket-design=4",
        "--score", "analysis=Proficient", "--score", "instructional-response=exemplary", "--feedback",
        "analysis=Groups students by misconception.",
      ], ledger: ledger)
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(
      saved.stdout.hasPrefix(
        "saved review #1: learning-target = Proficient by ana@pd for formative-assessment/rusd-t-0624/1\n"))
    // The reviewer's own criteria leave their queue, not the others'.
    #expect(try run(["queue", "--reviewer", "ana@pd"], ledger: ledger).stdout == "nothing waits for review\n")
    #expect(try run(["queue", "--reviewer", "ben@pd"], ledger: ledger).stdout.split(separator: "\n").count == 4)
    let second = try run(
      [
        "review", dana, "--reviewer", "ben@pd", "--score", "learning-target=exemplary", "--score",
        "exit-ticket-design=exemplary",
        "--score", "analysis=not-yet",
      ], ledger: ledger)
    #expect(second.status == 0)
    let disputed = try run(["grade", dana], ledger: ledger)
    #expect(disputed.status == 2)
    #expect(
      disputed.stdout.contains(
        "pending: Analysis of student evidence: needs adjudication: reviewers gave Not yet and Proficient, 2 levels apart (at most 1 allowed)"
      ))
    let ruling = try run(
      [
        "adjudicate", dana, "--reviewer", "lead@pd", "--score", "analysis=proficient", "--reason",
        "The sort matches the targets.",
      ],
      ledger: ledger)
    #expect(
      ruling.stdout
        == "saved adjudication #8: analysis = Proficient by lead@pd for formative-assessment/rusd-t-0624/1\n")
    let final = try run(["grade", dana], ledger: ledger)
    #expect(final.status == 0, "\(final.stdout)")
    #expect(final.stdout.contains("EARNED"))
    #expect(final.stdout.contains("adjudicated by lead@pd: Proficient"))
    #expect(try run(["queue"], ledger: ledger).stdout == "nothing waits for review\n")
  }

  @Test func revisingKeepsTheHistory() throws {
    let ledger = try freshLedger()
    _ = try run(["review", dana, "--reviewer", "ana", "--score", "learning-target=developing"], ledger: ledger)
    let revised = try run(
      ["review", dana, "--reviewer", "ana", "--score", "learning-target=proficient", "--revise"], ledger: ledger)
    #expect(
      revised.stdout
        == "saved review #2: learning-target = Proficient by ana for formative-assessment/rusd-t-0624/1, replacing #1\n"
    )
    let history = try run(["history", dana], ledger: ledger)
    #expect(
      history.stdout == """
        #1 2026-11-18T11:06:40Z ana reviewed learning-target = Developing [superseded by #2]
        #2 2026-11-18T11:06:40Z ana reviewed learning-target = Proficient

        """)
  }

  @Test(
    "Bad review input is refused with a clear error and changes nothing",
    arguments: [
      (
        ["--reviewer", "ana", "--score", "learning-target=mastered"],
        "'mastered' is not a level of formative-assessment"
      ),
      (["--reviewer", "ana", "--score", "reflection=proficient"], "'reflection' is not judged by reviewers"),
      (["--reviewer", "ana", "--score", "no-such=proficient"], "has no criterion 'no-such'"),
      (["--reviewer", "ana", "--score", "analysis=proficient"], "ana has already reviewed 'analysis'"),
      (["--reviewer", "ben", "--score", "analysis=proficient", "--revise"], "ben has no review of 'analysis'"),
      (
        ["--reviewer", "ana", "--score", "learning-target=proficient", "--score", "analysis=exemplary"],
        "ana has already reviewed 'analysis'"
      ),
      (
        ["--reviewer", "ana", "--score", "learning-target=2", "--feedback", "analysis=Nice"],
        "--feedback for 'analysis' without a --score"
      ),
    ])
  func badInputChangesNothing(arguments: [String], message: String) throws {
    let ledger = try freshLedger()
    #expect(
      try run(["review", dana, "--reviewer", "ana", "--score", "analysis=proficient"], ledger: ledger).status == 0)
    let before = try run(["history", dana], ledger: ledger).stdout
    let refused = try run(["review", dana] + arguments, ledger: ledger)
    #expect(refused.status == 3, "\(refused.stderr)")
    #expect(refused.stderr.contains(message), "\(refused.stderr)")
    #expect(try run(["history", dana], ledger: ledger).stdout == before)
  }

  @Test func unknownSubmissionIsInvalidInput() throws {
    let ledger = try freshLedger()
    let result = try run(
      ["review", "submissions/nowhere", "--reviewer", "ana", "--score", "analysis=2"], ledger: ledger)
    #expect(result.status == 3)
    #expect(result.stderr.contains("submissions/nowhere: error: cannot read the file"))
    #expect(!FileManager.default.fileExists(atPath: ledger), "a refused review must not even create the ledger")
  }

  @Test func corruptedLedgerIsAClearErrorAndIsLeftAsItWas() throws {
    let ledger = try freshLedger()
    let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try garbage.write(to: URL(fileURLWithPath: ledger))
    let result = try run(["review", dana, "--reviewer", "ana", "--score", "analysis=2"], ledger: ledger)
    #expect(result.status == 4)
    #expect(result.stderr.contains("the ledger cannot be used"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: ledger)) == garbage)
  }

  @Test func acknowledgedReviewsSurviveKillNine() async throws {
    let ledger = try freshLedger()
    // Create the ledger first (grading does), so each killed process only adds reviews.
    #expect(try run(["grade", dana], ledger: ledger).status == 2)
    var acknowledged: [Int64] = []
    for attempt in 0..<40 {
      let folder = try TestPaths.temporaryFolder()
      let outPath = folder + "/out"
      FileManager.default.createFile(atPath: outPath, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
      process.arguments = [
        "review", dana, "--reviewer", "reviewer-\(attempt)", "--score", "learning-target=proficient", "--score",
        "analysis=developing", "--score", "exit-ticket-design=exemplary",
      ]
      process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
      process.environment = ["MASTERY_LEDGER": ledger, "PATH": "/usr/bin:/bin"]
      process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
      process.standardError = FileHandle.nullDevice
      try process.run()
      try await Task.sleep(for: .milliseconds(Int.random(in: 0...40)))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let printed = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
      for line in printed.split(separator: "\n") where line.hasPrefix("saved review #") {
        let number = line.dropFirst("saved review #".count).prefix { $0.isNumber }
        if let id = Int64(number) { acknowledged.append(id) }
      }
    }
    let store = try SQLiteLedger(path: ledger)
    #expect(try store.integrityCheck() == "ok")
    let saved = Set(
      try store.history(SubmissionKey(credential: "formative-assessment", candidate: "rusd-t-0624", attempt: 1)).map(
        \.id))
    #expect(Set(acknowledged).isSubset(of: saved), "acknowledged but lost: \(Set(acknowledged).subtracting(saved))")
    #expect(!acknowledged.isEmpty, "no run got far enough to save a review; the test proved nothing")
  }
}

@Suite("mastery agreement, end to end")
struct AgreementCommandTests {
  @Test func tabulatesAgreementPerCriterionAndOverall() throws {
    let ledger = try freshLedger()
    let luis = "submissions/formative-assessment/luis-herrera"
    for (path, reviewer, level) in [
      (dana, "r1", "proficient"), (dana, "r2", "proficient"), (luis, "r1", "developing"), (luis, "r2", "proficient"),
    ] {
      #expect(
        try run(["review", path, "--reviewer", reviewer, "--score", "learning-target=\(level)"], ledger: ledger).status
          == 0)
    }
    let result = try run(["agreement", "--credential", "formative-assessment"], ledger: ledger)
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        credential            criterion        items  exact  adjacent  kappa (quadratic)  alpha (ordinal)
        formative-assessment  learning-target  2      50%    100%      0.000              0.000
        formative-assessment  (all criteria)   2      50%    100%      0.000              0.000

        """)
    #expect(
      try run(["agreement", "--credential", "digital-literacy"], ledger: ledger).stdout
        == "no reviews to compare for digital-literacy\n")
  }
}

@Suite("Review documents: export and import")
struct ReviewDocumentTests {
  @Test func exportThenImportIntoAnotherLedgerKeepsEveryReview() throws {
    let source = try freshLedger()
    _ = try run(
      ["review", dana, "--reviewer", "ana", "--score", "analysis=proficient", "--feedback", "analysis=Fine & <ok>"],
      ledger: source)
    _ = try run(
      ["adjudicate", dana, "--reviewer", "lead", "--score", "learning-target=2", "--reason", "Because."], ledger: source
    )
    let exported = try run(["review", "--export"], ledger: source)
    #expect(exported.status == 0)
    #expect(exported.stdout.contains(#"<feedback>Fine &amp; &lt;ok&gt;</feedback>"#))
    let file = try TestPaths.temporaryFolder() + "/reviews.xml"
    try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
    let schema = try CommandRunner.run("/usr/bin/xmllint", ["--noout", "--schema", "rubrics/schema/review.xsd", file])
    #expect(schema.status == 0, "\(schema.stderr)")
    let target = try freshLedger()
    let imported = try run(["review", "--import", file], ledger: target)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout == "imported 2 reviews from \(file)\n")
    #expect(try run(["history", dana], ledger: target).stdout == (try run(["history", dana], ledger: source).stdout))
    // Importing the same reviews again is refused whole: they are already there.
    let again = try run(["review", "--import", file], ledger: target)
    #expect(again.status == 3)
    #expect(again.stderr.contains("ana has already reviewed 'analysis'"))
  }

  @Test func exportKeepsRevisions() throws {
    let ledger = try freshLedger()
    _ = try run(["review", dana, "--reviewer", "ana", "--score", "analysis=developing"], ledger: ledger)
    _ = try run(["review", dana, "--reviewer", "ana", "--score", "analysis=proficient", "--revise"], ledger: ledger)
    let exported = try run(["review", "--export", dana], ledger: ledger)
    #expect(exported.stdout.contains(#"id="2" credential="formative-assessment""#))
    #expect(exported.stdout.contains(#"supersedes="1" revise="true""#))
    // Imported in order into a new ledger, the revision replaces the first review again.
    let file = try TestPaths.temporaryFolder() + "/reviews.xml"
    try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
    let target = try freshLedger()
    #expect(try run(["review", "--import", file], ledger: target).status == 0)
    #expect(try run(["history", dana], ledger: target).stdout == (try run(["history", dana], ledger: ledger).stdout))
  }

  @Test func aBadImportImportsNothing() throws {
    let ledger = try freshLedger()
    let file = try TestPaths.temporaryFolder() + "/reviews.xml"
    try """
    <?xml version="1.0" encoding="UTF-8"?>
    <reviews xmlns="urn:mastery:review:1">
      <review credential="formative-assessment" candidate="rusd-t-0624" attempt="1" rubric-version="1.0.0"
              criterion="analysis" reviewer="ana" level="proficient"/>
      <review credential="formative-assessment" candidate="rusd-t-0624" attempt="1" rubric-version="1.0.0"
              criterion="analysis" reviewer="ben" level="stellar"/>
    </reviews>
    """.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try run(["review", "--import", file], ledger: ledger)
    #expect(result.status == 3)
    #expect(result.stderr.contains("\(file):5:3: error: 'stellar' is not a level of formative-assessment"))
    #expect(result.stderr.contains("nothing was imported"))
    #expect(try run(["history", dana], ledger: ledger).stdout == "no reviews of formative-assessment/rusd-t-0624/1\n")
  }
}

@Suite("The interactive review, through a pseudo-terminal")
struct InteractiveReviewTests {
  /// Runs `mastery review` on a terminal (`script` makes one) with the typed answers.
  func review(_ answers: String, reviewer: String, ledger: String) throws -> CommandResult {
    let command = "\(TestPaths.masteryBinary) review \(dana) --reviewer \(reviewer)"
    return try CommandRunner.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["MASTERY_LEDGER": ledger, "PAGER": "cat"],
      input: answers)
  }

  @Test func savesEachCriterionAsItIsEntered() throws {
    let ledger = try freshLedger()
    _ = try run(["review", dana, "--reviewer", "ben", "--score", "learning-target=exemplary"], ledger: ledger)
    // learning-target: level 3 with feedback; exit-ticket-design: a wrong level, then the id; analysis: skip; then quit.
    let session = try review("3\nClear target.\nmastered\nexemplary\n\ns\nq\n", reviewer: "ana", ledger: ledger)
    let screen = session.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    #expect(screen.contains("[1/4] Learning target and success criteria (learning-target)"))
    #expect(screen.contains("  3 Proficient: One lesson-sized learning target"))
    #expect(screen.contains("saved review #2: learning-target = Proficient"))
    // Ben's level is shown only after Ana saved hers.
    let savedAt = try #require(screen.range(of: "saved review #2"))
    let othersAt = try #require(screen.range(of: "Other reviews: ben: Exemplary"))
    #expect(savedAt.upperBound <= othersAt.lowerBound)
    #expect(!screen[..<savedAt.lowerBound].contains("ben"))
    #expect(screen.contains("'mastered' is not a level"))
    #expect(screen.contains("saved review #3: exit-ticket-design = Exemplary"))
    #expect(screen.contains("Evidence 'overview' (submissions/formative-assessment/dana-whitfield/overview.md):"))
    let history = try run(["history", dana], ledger: ledger).stdout
    #expect(history.contains("ana reviewed learning-target = Proficient: Clear target."))
    #expect(history.contains("ana reviewed exit-ticket-design = Exemplary\n"))
    #expect(!history.contains("ana reviewed analysis"))
  }

  @Test func quittingMidCriterionSavesNothingHalfEntered() throws {
    let ledger = try freshLedger()
    // A level, then the end of input before the feedback: nothing may be saved for it.
    let session = try review("2\n", reviewer: "ana", ledger: ledger)
    #expect(!session.stdout.contains("saved review"))
    #expect(try run(["history", dana], ledger: ledger).stdout == "no reviews of formative-assessment/rusd-t-0624/1\n")
  }

  @Test func thePagerRunsInTheForegroundAndTheEndSaysWhatWasSaved() throws {
    let ledger = try freshLedger()
    // A pager that reads the terminal, as less does: in a background process group it would stop.
    let folder = try TestPaths.temporaryFolder()
    let pager = folder + "/tty-pager"
    try "#!/bin/sh\nhead -1 \"$1\"\nread line < /dev/tty\necho \"pager read: $line\"\n".write(
      toFile: pager, atomically: true, encoding: .utf8)
    #expect(chmod(pager, 0o755) == 0)
    let command = "\(TestPaths.masteryBinary) review \(dana) --reviewer ana"
    let session = try CommandRunner.run(
      "/usr/bin/timeout", ["20", "/usr/bin/script", "-qec", command, "/dev/null"],
      environment: ["MASTERY_LEDGER": ledger, "PAGER": pager], input: "p\nfrom the terminal\nand again\n2\nGood start.\nq\n")
    let screen = session.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    #expect(session.status == 0, "timeout kills a stopped pager (124): \(screen)")
    #expect(screen.contains("pager read: from the terminal"), "\(screen)")
    #expect(screen.contains("saved review #1: learning-target = Developing"))
    #expect(
      screen.contains(
        "You quit. 1 of 4 criteria saved; run `mastery grade submissions/formative-assessment/dana-whitfield` to update the decision"
      ), "\(screen)")
  }

  @Test func ctrlCSaysWhatWasSaved() async throws {
    let ledger = try freshLedger()
    let folder = try TestPaths.temporaryFolder()
    let screen = folder + "/screen"
    FileManager.default.createFile(atPath: screen, contents: nil)
    // The reviewer saves one criterion, then waits at the next prompt; standard input stays open.
    let input = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qfec", "\(TestPaths.masteryBinary) review \(dana) --reviewer ana", "/dev/null"]
    process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.repositoryRoot)
    process.environment = ProcessInfo.processInfo.environment.merging(
      ["MASTERY_LEDGER": ledger, "PAGER": "cat"], uniquingKeysWith: { $1 })
    process.standardInput = input
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: screen))
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data("3\nClear.\n".utf8))
    func shown() -> String { (try? String(contentsOfFile: screen, encoding: .utf8)) ?? "" }
    for _ in 0..<200 where !shown().contains("[2/4]") { try await Task.sleep(for: .milliseconds(50)) }
    try await Task.sleep(for: .milliseconds(300))
    // Ctrl-C typed on the terminal: the line discipline sends SIGINT to the foreground group.
    try input.fileHandleForWriting.write(contentsOf: Data([0x03]))
    for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    let text = shown().replacingOccurrences(of: "\r\n", with: "\n")
    #expect(text.contains("saved review #1: learning-target = Proficient"), "\(text)")
    #expect(
      text.contains("Interrupted. 1 of 4 criteria saved; run `mastery grade submissions/formative-assessment/dana-whitfield`"),
      "\(text)")
  }

  @Test func finishingOrEndingInputSaysWhatWasSaved() throws {
    let ledger = try freshLedger()
    let done = try review("3\n\n3\n\n3\n\n3\n\n", reviewer: "ana", ledger: ledger)
    #expect(done.stdout.contains("Done. 4 of 4 criteria saved; run `mastery grade"), "\(done.stdout)")
    let other = try review("2\n", reviewer: "ben", ledger: ledger)
    #expect(
      other.stdout.contains("Input ended before the feedback; learning-target was not saved. 0 of 4 criteria saved; nothing was changed."),
      "\(other.stdout)")
  }

  @Test(.enabled(if: EvidenceText.pdfToText != nil, "needs pdftotext (Debian package poppler-utils; make test installs it)"))
  func aPDFIsShownAsItsText() throws {
    let ledger = try freshLedger()
    let folder = try TestPaths.temporaryFolder() + "/dana"
    try FileManager.default.copyItem(atPath: TestPaths.repository(dana), toPath: folder)
    try Data(minimalPDF(saying: "Fraction strips exit ticket").utf8).write(
      to: URL(fileURLWithPath: folder + "/lesson-plan.pdf"))
    let command = "\(TestPaths.masteryBinary) review \(folder) --reviewer ana --rubrics \(TestPaths.repository("rubrics"))"
    let session = try CommandRunner.run(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["MASTERY_LEDGER": ledger, "PAGER": "cat"],
      input: "q\n")
    #expect(session.stdout.contains("lesson-plan.pdf, its text as pdftotext extracts it):"), "\(session.stdout)")
    #expect(session.stdout.contains("Fraction strips exit ticket"))
  }

  @Test func withoutATerminalScoresAreRequired() throws {
    let ledger = try freshLedger()
    let result = try run(["review", dana, "--reviewer", "ana"], ledger: ledger)
    #expect(result.status == 64)
    #expect(result.stderr.contains("without --score, the review is interactive and needs a terminal"))
  }
}

@Suite("The example reviews")
struct ExampleReviewTests {
  @Test func exampleReviewsDecideTheExampleSubmissions() throws {
    let ledger = try freshLedger()
    #expect(try run(["review", "--import", "submissions/reviews.xml"], ledger: ledger).status == 0)
    let result = try run(["grade", "--format", "json", "submissions"], ledger: ledger)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let results = try #require(object["results"] as? [[String: Any]])
    var outcomes: [String: String] = [:]
    for entry in results {
      let candidate = ((entry["submission"] as? [String: Any])?["candidate"] as? [String: Any])?["id"] as? String ?? "?"
      outcomes[candidate] = entry["outcome"] as? String
    }
    #expect(
      outcomes == [
        "rusd-t-0142": "earned", "rusd-t-0379": "not-yet", "rusd-t-0511": "not-yet",  // digital literacy
        "rusd-t-0624": "earned", "rusd-t-0733": "not-yet",  // formative assessment
        "rusd-t-0856": "earned", "rusd-t-0907": "not-yet", "rusd-t-0977": "not-yet",  // python: passes, fails, timeout
        "rusd-t-1024": "earned", "rusd-t-1187": "not-yet",  // web: accessible; missing alt text, a broken link
        "rusd-t-1302": "earned", "rusd-t-1418": "not-yet",  // data literacy (plugins): clean; names kept, wrong mean
      ])
  }
}

/// A one-page PDF whose only text is `text` (ASCII), with a correct cross-reference table.
func minimalPDF(saying text: String) -> String {
  let stream = "BT /F1 18 Tf 72 720 Td (\(text)) Tj ET"
  let objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ]
  var pdf = "%PDF-1.4\n"
  var offsets: [Int] = []
  for (index, object) in objects.enumerated() {
    offsets.append(pdf.utf8.count)
    pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
  }
  let table = pdf.utf8.count
  pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
  for offset in offsets { pdf += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
  pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(table)\n%%EOF\n"
  return pdf
}
