import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("The SQLite ledger")
struct LedgerTests {
  let key = SubmissionKey(credential: "c", candidate: "t1", attempt: 1)

  func entry(_ criterion: String, _ reviewer: String, _ level: String) -> ReviewEntry {
    ReviewEntry(submission: key, criterion: criterion, reviewer: reviewer, level: level, rubricVersion: "1.0.0")
  }

  @Test func severalReviewsAreSavedTogetherOrNotAtAll() throws {
    let ledger = try SQLiteLedger(path: try TestPaths.temporaryFolder() + "/ledger.sqlite")
    _ = try ledger.add(entry("a", "ana", "proficient"), revise: false)
    #expect(throws: LedgerError.self) {
      try ledger.add(all: [(entry("b", "ana", "developing"), false), (entry("a", "ana", "exemplary"), false)])
    }
    #expect(try ledger.history(key).map(\.criterion) == ["a"], "the first of the refused batch must not be saved")
    let saved = try ledger.add(all: [(entry("b", "ana", "developing"), false), (entry("a", "ana", "exemplary"), true)])
    #expect(saved.map(\.supersedes) == [nil, 1])
    #expect(try ledger.current(key, criterion: "a").map(\.level) == ["exemplary"])
    #expect(try ledger.integrityCheck() == "ok")
  }

  @Test func reopeningKeepsEverything() throws {
    let path = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    do {
      let ledger = try SQLiteLedger(path: path)
      _ = try ledger.add(entry("a", "ana", "proficient"), revise: false)
    }
    let again = try SQLiteLedger(path: path)
    #expect(try again.history(key).count == 1)
  }
}
