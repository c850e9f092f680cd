import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

/// A candidate's attempts at one credential, in a folder of their own: a copy of an example
/// rubric with the attempts policy under test, and attempt folders made from an example submission.
private struct Attempts {
  let folder: String
  let ledger: String

  /// `rubric` (an example rubric folder name) with `edit` applied to its text.
  init(rubric: String, edit: (String) -> String) throws {
    folder = try TestPaths.temporaryFolder()
    ledger = folder + "/ledger.sqlite"
    try copy(TestPaths.repository("rubrics/\(rubric)"), to: folder + "/rubrics/\(rubric)")
    let path = folder + "/rubrics/\(rubric)/rubric.xml"
    try edit(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
  }

  func copy(_ from: String, to: String) throws {
    try FileManager.default.createDirectory(
      atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: from, toPath: to)
  }

  /// Attempt `number` made from the example submission `source`, with files replaced from others.
  @discardableResult
  func attempt(_ number: Int, from source: String, files: [String: String] = [:], version: String = "1.0.0") throws
    -> String
  {
    let path = folder + "/\(URL(fileURLWithPath: source).lastPathComponent)-\(number)"
    try copy(TestPaths.repository(source), to: path)
    let manifest = path + "/submission.xml"
    let text = try String(contentsOfFile: manifest, encoding: .utf8)
      .replacingOccurrences(of: #"attempt="1""#, with: #"attempt="\#(number)""#)
      .replacingOccurrences(of: #"version="1.0.0" "#, with: #"version="\#(version)" "#)
    try text.write(toFile: manifest, atomically: true, encoding: .utf8)
    for (name, from) in files {
      try? FileManager.default.removeItem(atPath: path + "/" + name)
      try copy(TestPaths.repository(from), to: path + "/" + name)
    }
    return path
  }

  func run(_ arguments: [String]) throws -> CommandResult {
    try CommandRunner.mastery(
      arguments + ["--ledger", ledger], environment: ["SOURCE_DATE_EPOCH": "1795000000"])
  }

  /// `mastery grade PATH --format json`'s one result.
  func grade(_ path: String) throws -> (status: Int32, result: [String: Any]) {
    let graded = try run(["grade", path, "--rubrics", folder + "/rubrics", "--format", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(graded.stdout.utf8)) as? [String: Any]
    let result = (object?["results"] as? [[String: Any]])?.first ?? [:]
    return (graded.status, result)
  }
}

private func criterion(_ result: [String: Any], _ id: String) -> [String: Any] {
  (result["criteria"] as? [[String: Any]])?.first { $0["criterion"] as? String == id } ?? [:]
}

private func across(_ result: [String: Any], _ id: String) -> [String: Any] {
  criterion(result, id)["acrossAttempts"] as? [String: Any] ?? [:]
}

private func scores(_ result: [String: Any], _ id: String) -> [Double] {
  (across(result, id)["scores"] as? [[String: Any]] ?? []).compactMap { ($0["score"] as? NSNumber)?.doubleValue }
}

private let priya = "submissions/digital-literacy/priya-raman"
/// A reflection the text evaluator finds Developing (Priya's own is Exemplary).
private let developingReflection = ["reflection.md": "submissions/digital-literacy/james-okafor/reflection.md"]

private func policy(_ attempts: String) -> (String) -> String {
  { $0.replacingOccurrences(of: #"<attempts policy="latest" max="2"/>"#, with: attempts) }
}

@Suite("Attempts: policies, max, carry-over, identical evidence, rubric versions")
struct AttemptsCommandTests {
  @Test(arguments: [
    // policy, Reflection's standing level and points after an Exemplary (3) then a Developing (1)
    // attempt, and its standing level after the first
    (#"<attempts policy="latest" max="3"/>"#, "developing", 1.0, "Exemplary"),
    (#"<attempts policy="highest" max="3"/>"#, "exemplary", 3.0, "Exemplary"),
    (#"<attempts policy="average" max="3"/>"#, "proficient", 2.0, "Exemplary"),
    // 0.65·1 + 0.35·3 = 1.7: Developing, with 1.7 points
    (#"<attempts policy="decaying-average" decay="0.65" max="3"/>"#, "developing", 1.7, "Exemplary"),
    // Exemplary once, Developing once: n=2 reaches Developing twice (3 ≥ 1 and 1 ≥ 1); after
    // one attempt nothing was reached twice
    (#"<attempts policy="n-mastery" n="2" max="3"/>"#, "developing", 1.0, "Not yet"),
  ])
  func eachPolicyCombinesACriterionAcrossAttempts(attempts: String, level: String, points: Double, first: String)
    throws
  {
    let firstLabel = first
    let scenario = try Attempts(rubric: "digital-literacy", edit: policy(attempts))
    let first = try scenario.grade(try scenario.attempt(1, from: priya))
    #expect(criterion(first.result, "reflection")["levelLabel"] as? String == firstLabel)
    #expect(first.result["attempts"] as? [String: Any] != nil)
    let second = try scenario.grade(try scenario.attempt(2, from: priya, files: developingReflection))
    let reflection = criterion(second.result, "reflection")
    #expect(reflection["level"] as? String == level, "\(reflection)")
    #expect(abs(((reflection["points"] as? NSNumber)?.doubleValue ?? -1) - points) < 1e-9)
    let own = across(second.result, "reflection")["own"] as? [String: Any]
    #expect(own?["level"] as? String == "developing", "the attempt's own level is kept beside the standing one")
    #expect(scores(second.result, "reflection") == [3, 1])
    let previous = across(second.result, "reflection")["previous"] as? [String: Any]
    #expect(previous?["attempt"] as? Int == 1)
    #expect(previous?["label"] as? String == firstLabel)
    let attemptsBlock = second.result["attempts"] as? [String: Any]
    #expect(attemptsBlock?["earlier"] as? [Int] == [1])
    #expect(attemptsBlock?["left"] as? Int == 1)
    // The report shows the progress.
    let text = try scenario.run(["grade", scenario.folder + "/priya-raman-2", "--rubrics", scenario.folder + "/rubrics"])
    #expect(text.stdout.contains("  Since attempt 1:\n"), "\(text.stdout)")
    #expect(text.stdout.contains("    Reflection on impact: \(firstLabel) → "))
    #expect(text.stdout.contains("1 attempt left of 3."))
    for (format, progress) in [
      ("html", "<h3>Since attempt 1</h3>\n<ul class=\"progress\">\n<li>Lesson practices: Not yet → Not yet</li>"),
      ("markdown", "Since attempt 1: Lesson practices: Not yet → Not yet; Reflection on impact: \(firstLabel) → "),
    ] {
      let page = try scenario.run(
        ["grade", scenario.folder + "/priya-raman-2", "--rubrics", scenario.folder + "/rubrics", "--format", format])
      #expect(page.stdout.contains(progress), "\(format): \(page.stdout)")
      #expect(page.stdout.contains("1 attempt left of 3."), "\(format)")
    }
  }

  @Test func nMasteryHoldsALevelBackUntilItIsReachedNTimes() throws {
    let scenario = try Attempts(rubric: "digital-literacy", edit: policy(#"<attempts policy="n-mastery" n="2"/>"#))
    let first = try scenario.grade(try scenario.attempt(1, from: priya))
    let reflection = criterion(first.result, "reflection")
    #expect(reflection["level"] as? String == "not-yet", "one Exemplary attempt does not count yet: \(reflection)")
    #expect((reflection["feedback"] as? [String])?.first?.contains("reached in 2 attempts") == true)
  }

  @Test func maxRefusesAFurtherAttemptRecordsItAndStillRegradesOneAlreadyMade() throws {
    let scenario = try Attempts(rubric: "digital-literacy") { $0 }  // latest, max 2
    #expect(try scenario.grade(try scenario.attempt(1, from: priya)).status == 1)
    let second = try scenario.attempt(2, from: priya, files: developingReflection)
    #expect(try scenario.grade(second).status == 1)
    let third = try scenario.attempt(3, from: priya, files: ["reflection.md": "submissions/digital-literacy/maria-lopez/reflection.md"])
    let refused = try scenario.run(["grade", third, "--rubrics", scenario.folder + "/rubrics"])
    #expect(refused.status == 3)
    #expect(
      refused.stdout.contains(
        "refused: rusd-t-0511 has already made 2 attempts at digital-literacy, the most it allows; the attempt was not graded"),
      "\(refused.stdout)")
    #expect(try scenario.grade(second).status == 1, "grading an attempt already made again is no further attempt")
    let history = try scenario.run(["history", "rusd-t-0511"])
    #expect(history.status == 0, "\(history.stderr)")
    #expect(history.stdout.contains("attempt 3 refused "), "\(history.stdout)")
    #expect(history.stdout.contains("Reflection on impact  Exemplary   Developing"), "\(history.stdout)")
    let json = try scenario.run(["history", "rusd-t-0511", "--credential", "digital-literacy", "--format", "json"])
    let histories = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
    #expect((histories?.first?["decisions"] as? [Any])?.count == 2)
    #expect((histories?.first?["refused"] as? [[String: Any]])?.first?["attempt"] as? Int == 3)
    // Refused again: still one refusal on record.
    #expect(try scenario.run(["grade", third, "--rubrics", scenario.folder + "/rubrics"]).status == 3)
    let refusals = try SQLiteLedger(readingAt: scenario.ledger).refusals(credential: nil, candidate: "rusd-t-0511")
    #expect(refusals.map(\.submission.attempt) == [3])
    // The gradebook holds the standing decision (the latest attempt's); every attempt on request.
    let standing = try scenario.run(["export"]).stdout.split(separator: "\r\n")
    #expect(standing.count == 2 && standing[1].hasPrefix("rusd-t-0511,Priya Raman,digital-literacy,1.0.0,2,"), "\(standing)")
    #expect(try scenario.run(["export", "--all-attempts"]).stdout.split(separator: "\r\n").count == 3)
    let unknown = try scenario.run(["history", "nobody"])
    #expect(unknown.status == 3)
    #expect(unknown.stderr.contains("has no attempts by 'nobody'"))
  }

  @Test func identicalEvidenceIsNotGradedAgainAndDoesNotUseAnAttempt() throws {
    let scenario = try Attempts(rubric: "digital-literacy") { $0 }  // latest, max 2
    let first = try scenario.grade(try scenario.attempt(1, from: priya))
    let same = try scenario.grade(try scenario.attempt(2, from: priya))
    let block = same.result["attempts"] as? [String: Any]
    #expect(block?["identicalTo"] as? Int == 1)
    #expect((same.result["reasons"] as? [String])?.first?.hasPrefix("same evidence: attempt 2 submitted exactly what attempt 1 did") == true)
    #expect(same.result["total"] as? [String: Any] as NSDictionary? == first.result["total"] as? [String: Any] as NSDictionary?)
    #expect(block?["left"] as? Int == 1, "the repeat does not use an attempt")
    // So a third attempt with new evidence is the second that counts, and is graded.
    let third = try scenario.grade(try scenario.attempt(3, from: priya, files: developingReflection))
    #expect(third.status == 1)
    #expect((third.result["attempts"] as? [String: Any])?["earlier"] as? [Int] == [1])
  }

  @Test func carryOverKeepsAReviewedLevelAndNoReviewerIsAskedAgain() throws {
    let scenario = try Attempts(rubric: "formative-assessment") {
      $0.replacingOccurrences(
        of: #"<criterion id="analysis" weight="2" evidence="student-work">"#,
        with: #"<criterion id="analysis" weight="2" evidence="student-work" carry-over="true">"#)
    }
    let dana = "submissions/formative-assessment/dana-whitfield"
    let first = try scenario.attempt(1, from: dana)
    #expect(try scenario.grade(first).status == 2)
    for reviewer in ["ana@pd", "ben@pd"] {
      let saved = try scenario.run(
        [
          "review", first, "--rubrics", scenario.folder + "/rubrics", "--reviewer", reviewer, "--score",
          "learning-target=proficient", "--score", "exit-ticket-design=developing", "--score", "analysis=proficient",
          "--score", "instructional-response=developing",
        ])
      #expect(saved.status == 0, "\(saved.stderr)")
    }
    let decided = try scenario.grade(first)
    #expect(decided.status == 1, "exit ticket design is below its gate")
    #expect(criterion(decided.result, "analysis")["level"] as? String == "proficient")

    // A new reflection: the rest is as before, and only what is not carried is judged again.
    let second = try scenario.grade(
      try scenario.attempt(
        2, from: dana, files: ["reflection.md": "submissions/formative-assessment/luis-herrera/reflection.md"]))
    let analysis = criterion(second.result, "analysis")
    #expect(analysis["status"] as? String == "scored", "carried, not waiting: \(analysis)")
    #expect(analysis["level"] as? String == "proficient")
    #expect(across(second.result, "analysis")["carriedFrom"] as? Int == 1)
    #expect(criterion(second.result, "exit-ticket-design")["status"] as? String == "pending")
    #expect(
      (second.result["reasons"] as? [String])?.contains(
        "carried over: Analysis of student evidence keeps Proficient from attempt 1; it was not judged again") == true)
    let queue = try scenario.run(["queue"]).stdout
    #expect(queue.contains("formative-assessment/rusd-t-0624/2  exit-ticket-design"), "\(queue)")
    #expect(!queue.contains("formative-assessment/rusd-t-0624/2  analysis"), "\(queue)")
  }

  @Test func resultsCountAcrossRubricVersionsOnlyWhereTheCriterionIsUnchanged() throws {
    let scenario = try Attempts(rubric: "digital-literacy", edit: policy(#"<attempts policy="highest" max="3"/>"#))
    let old = scenario.folder + "/rubrics/digital-literacy/rubric.xml"
    let newFolder = scenario.folder + "/rubrics/digital-literacy-2"
    try FileManager.default.createDirectory(atPath: newFolder, withIntermediateDirectories: true)
    let changed = try String(contentsOfFile: old, encoding: .utf8)
      .replacingOccurrences(of: #"version="1.0.0""#, with: #"version="2.0.0""#)
      .replacingOccurrences(of: #"<level-at met="80%" level="proficient"/>"#, with: #"<level-at met="90%" level="proficient"/>"#)
    try changed.write(toFile: newFolder + "/rubric.xml", atomically: true, encoding: .utf8)

    let first = try scenario.grade(try scenario.attempt(1, from: priya))
    #expect(first.result["credential"] as? [String: Any] as NSDictionary? != nil)
    let second = try scenario.grade(try scenario.attempt(2, from: priya, files: developingReflection, version: "2.0.0"))
    #expect((second.result["credential"] as? [String: Any])?["version"] as? String == "2.0.0")
    #expect(scores(second.result, "lesson-practices") == [0, 0], "unchanged: both versions' results count")
    #expect(scores(second.result, "reflection") == [1], "changed: only this version's result counts")
    #expect(criterion(second.result, "reflection")["level"] as? String == "developing")

    let validated = try scenario.run(["validate", "--no-run", "--against", old, newFolder + "/rubric.xml"])
    #expect(validated.status == 0, "2.0.0 is a major version: \(validated.stdout)")
    #expect(
      validated.stdout.contains(
        "warning: criterion 'reflection' changed (its text configuration): earlier attempts' results of it no longer carry over [breaking-change]"
      ), "\(validated.stdout)")
    #expect(!validated.stdout.contains("lesson-practices"))
    // As a minor version the same change is an error.
    try changed.replacingOccurrences(of: #"version="2.0.0""#, with: #"version="1.1.0""#)
      .write(toFile: newFolder + "/rubric.xml", atomically: true, encoding: .utf8)
    let minor = try scenario.run(["validate", "--no-run", "--against", old, newFolder + "/rubric.xml"])
    #expect(minor.status == 3)
    #expect(minor.stdout.contains("1.0.0 → 1.1.0 raises only MINOR or PATCH, but the change is breaking"))
  }

  @Test func validateAgainstNamesEarnedDecisionsANewPolicyWouldNotGrant() throws {
    let scenario = try Attempts(rubric: "digital-literacy") { $0 }
    let maria = try scenario.attempt(1, from: "submissions/digital-literacy/maria-lopez")
    #expect(try scenario.grade(maria).status == 0)
    let old = scenario.folder + "/rubrics/digital-literacy/rubric.xml"
    let stricter = scenario.folder + "/stricter.xml"
    // Maria (whose manifest says attempt 2) is Exemplary everywhere: a new criterion takes it away.
    try String(contentsOfFile: old, encoding: .utf8)
      .replacingOccurrences(of: #"version="1.0.0""#, with: #"version="2.0.0""#)
      .replacingOccurrences(
        of: "  </criteria>",
        with: """
            <criterion id="sharing" evidence="reflection">
              <title>Sharing with colleagues</title>
              <evaluator kind="reviewer"/>
            </criterion>
          </criteria>
          """)
      .write(toFile: stricter, atomically: true, encoding: .utf8)
    let validated = try scenario.run(["validate", "--no-run", "--against", old, stricter])
    #expect(validated.stdout.contains("criterion 'sharing' is new"), "\(validated.stdout)")
    #expect(
      validated.stdout.contains(
        "1 earned decision graded under 1.0.0 in \(scenario.ledger) would not meet this version's policy: digital-literacy/rusd-t-0142/2"
      ), "\(validated.stdout)")
  }

  @Test func aBatchOfSecondAttemptsResumesAfterSIGKILLWithoutCountingAnAttemptTwice() throws {
    let count = 1500
    let folder = try TestPaths.temporaryFolder()
    let generated = try CommandRunner.run(
      "/usr/bin/python3", [TestPaths.repository("Benchmarks/generate_submissions.py"), folder, String(count)])
    #expect(generated.status == 0, "\(generated.stderr)")
    let ledger = folder + "/ledger.sqlite"
    let manager = FileManager.default
    let names = try manager.contentsOfDirectory(atPath: folder + "/submissions").sorted()
    let firsts = try CommandRunner.mastery(
      ["batch", folder + "/submissions", "--rubrics", folder + "/rubrics", "--ledger", ledger, "--no-progress"])
    #expect(firsts.status <= 1, "\(firsts.stderr)")
    // Second attempts: the same candidates, a longer reflection.
    for name in names {
      let from = folder + "/submissions/" + name
      let to = folder + "/second/" + name
      try manager.createDirectory(atPath: folder + "/second", withIntermediateDirectories: true)
      try manager.copyItem(atPath: from, toPath: to)
      let manifest = try String(contentsOfFile: to + "/submission.xml", encoding: .utf8)
      try manifest.replacingOccurrences(of: #"attempt="1""#, with: #"attempt="2""#)
        .write(toFile: to + "/submission.xml", atomically: true, encoding: .utf8)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: to + "/reflection.md"))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("\nOne more sentence for the second attempt.\n".utf8))
      try handle.close()
    }
    let arguments = [
      "batch", folder + "/second", "--rubrics", folder + "/rubrics", "--ledger", ledger, "--format", "json",
      "--output", folder + "/second.json",
    ]
    let ended = try CommandRunner.masteryKilled(arguments, whenLedger: ledger, holds: count + 100)
    #expect(ended == .uncaughtSignal, "the batch finished before it could be killed")
    let killed = try SQLiteLedger(path: ledger).counts()
    #expect(killed.decisions > count && killed.decisions < 2 * count)

    let resumed = try CommandRunner.mastery(arguments)
    #expect(resumed.status <= 1, "\(resumed.stderr)")
    let store = try SQLiteLedger(path: ledger)
    let after = try store.counts()
    #expect(after.decisions == 2 * count, "every attempt graded exactly once across the runs")
    #expect(after.decided == 2 * count)
    for name in names.prefix(40) + names.suffix(40) {
      let attempts = try store.attempts(credential: "bench-literacy", candidate: "t-\(name)")
      #expect(attempts.map(\.attempt) == [1, 2], "t-\(name)")
    }
    let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/second.json")))
    let results = (report as? [String: Any])?["results"] as? [[String: Any]] ?? []
    #expect(results.count == count)
    #expect(results.allSatisfy { (($0["attempts"] as? [String: Any])?["earlier"] as? [Int]) == [1] })
  }
}
