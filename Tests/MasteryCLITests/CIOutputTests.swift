import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("CI outputs: annotations, step summary, shards")
struct CIOutputTests {
  @Test func githubFormatAnnotatesWhatNeedsAttention() throws {
    let broken = try SubmissionFactory.write(manifest: "<submission")
    let result = try CommandRunner.mastery(["grade", "--format", "github", "submissions/digital-literacy", broken])
    #expect(result.status == 3)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.contains {
        $0.hasPrefix(
          "::warning title=not yet::James Okafor (rusd-t-0379), digital-literacy 1.0.0: not yet: Lesson practices is Not yet"
        )
      })
    #expect(!lines.contains { $0.contains("Maria Lopez") }, "earned decisions are quiet")
    #expect(
      lines.contains {
        $0.hasPrefix("::error file=\(broken)/submission.xml,line=1,col=") && $0.contains("title=xml-malformed::")
      })
    #expect(lines.last == "4 submissions: 1 earned, 2 not yet, 0 pending, 0 grader errors, 1 invalid")
  }

  @Test func stepSummaryIsAppendedInGitHubActions() throws {
    let summary = try TestPaths.temporaryFolder() + "/summary.md"
    try "# earlier step\n".write(toFile: summary, atomically: true, encoding: .utf8)
    let result = try CommandRunner.mastery(
      ["grade", "submissions/digital-literacy/maria-lopez"], environment: ["GITHUB_STEP_SUMMARY": summary])
    #expect(result.status == 0)
    let text = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(text.hasPrefix("# earlier step\n## mastery: grading results\n"))
    #expect(
      text.contains(
        "| Maria Lopez (rusd-t-0142) | Digital Literacy: Evaluating Online Sources 1.0.0 | ✅ earned | 100% |"))
    #expect(text.contains("**1 submission:** 1 earned"))
  }

  @Test(arguments: 1...5)
  func shardsPartitionTheSubmissions(count: Int) {
    let paths = (0..<200).map { "cohort/candidate-\($0)" }
    let shards = (1...count).map { GradingSession.shard(paths, index: $0, of: count) }
    #expect(shards.flatMap { $0 }.sorted() == paths.sorted(), "every submission in exactly one shard")
    #expect(shards.allSatisfy { !$0.isEmpty })
    // Stable: the same split every time.
    #expect(GradingSession.shard(paths, index: 1, of: count) == shards[0])
  }

  @Test func shardOptionGradesOnlyItsShare() throws {
    var seen: [String] = []
    for index in 1...2 {
      let result = try CommandRunner.mastery([
        "grade", "--format", "json", "--shard", "\(index)/2", "submissions/digital-literacy",
      ])
      let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      let results = object["results"] as? [[String: Any]] ?? []
      seen += results.compactMap {
        (($0["submission"] as? [String: Any])?["candidate"] as? [String: Any])?["id"] as? String
      }
    }
    #expect(seen.sorted() == ["rusd-t-0142", "rusd-t-0379", "rusd-t-0511"])
    let bad = try CommandRunner.mastery(["grade", "--shard", "3/2", "submissions"])
    #expect(bad.status == 64)
  }
}

@Suite("mastery export")
struct ExportTests {
  @Test func gradebookCSVHasTheLatestDecisionPerSubmission() throws {
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    let environment = ["MASTERY_LEDGER": ledger, "SOURCE_DATE_EPOCH": "1795000000"]
    _ = try CommandRunner.mastery(["grade", "submissions/digital-literacy"], environment: environment)
    _ = try CommandRunner.mastery(["grade", "submissions/digital-literacy/maria-lopez"], environment: environment)
    let csv = try CommandRunner.mastery(["export", "--format", "csv"], environment: environment)
    #expect(csv.status == 0)
    #expect(
      csv.stdout == """
        candidate_id,candidate_name,credential,version,attempt,decision,total_percent,points,maximum,graded_at,lesson-practices,reflection\r
        rusd-t-0142,Maria Lopez,digital-literacy,1.0.0,2,earned,100,9,9,2026-11-18T11:06:40Z,exemplary,exemplary\r
        rusd-t-0379,James Okafor,digital-literacy,1.0.0,1,not-yet,11.1,1,9,2026-11-18T11:06:40Z,not-yet,developing\r
        rusd-t-0511,Priya Raman,digital-literacy,1.0.0,1,not-yet,33.3,3,9,2026-11-18T11:06:40Z,not-yet,exemplary\r

        """)
  }

  @Test(arguments: [
    ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""), ("Ada, PhD", "\"Ada, PhD\""), ("plain", "plain"),
  ])
  func cellsAreQuotedAndFormulasDefused(value: String, cell: String) {
    #expect(GradebookCSV.cell(value) == cell)
  }
}
