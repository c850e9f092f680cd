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

  @Test func twoLedgersThatRevisedTheSameReviewLeaveOneCurrentReviewOnceMerged() throws {
    let folder = try TestPaths.temporaryFolder()
    let first = try SQLiteLedger(path: folder + "/first.sqlite")
    let original = try first.add(entry("a", "ana", "developing"), revise: false)
    _ = try first.add(entry("a", "ben", "proficient"), revise: false)
    try first.checkpoint()
    // A copy taken to another machine: each side revises ana's review.
    try FileManager.default.copyItem(atPath: folder + "/first.sqlite", toPath: folder + "/second.sqlite")
    let second = try SQLiteLedger(path: folder + "/second.sqlite")
    let here = try first.add(entry("a", "ana", "proficient"), revise: true)
    let there = try second.add(entry("a", "ana", "exemplary"), revise: true)
    #expect(here.supersedes == original.id && there.supersedes == original.id)
    try first.merge(from: folder + "/second.sqlite")
    let current = try first.current(key, criterion: "a")
    // One current review per reviewer: the later revision (the same second here: the one merged last).
    #expect(current.map(\.reviewer).sorted() == ["ana", "ben"], "\(current)")
    #expect(current.first { $0.reviewer == "ana" }?.level == "exemplary")
    #expect(try first.currentReviews(credential: "c").count == 2)
    // Every revision stays in the history.
    #expect(try first.history(key).filter { $0.reviewer == "ana" }.map(\.level) == ["developing", "proficient", "exemplary"])
  }

  @Test func twoProcessesMakingTheSameNewLedgerBothOpenIt() throws {
    // Separate processes, as two CI jobs: SQLite answered one of them "busy" at once while both
    // switched the new file to WAL.
    for round in 0..<6 {
      let path = try TestPaths.temporaryFolder() + "/ledger-\(round).sqlite"
      let processes = try (0..<2).map { _ in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
        process.arguments = [
          "grade", "--ledger", path, "--rubrics", TestPaths.repository("rubrics"),
          TestPaths.repository("submissions/digital-literacy/priya-raman"),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = Pipe()
        try process.run()
        return process
      }
      for process in processes { process.waitUntilExit() }
      let errors = processes.map {
        String(decoding: ($0.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data(), as: UTF8.self)
      }
      #expect(!errors.joined().contains("locked"), "round \(round): \(errors)")
    }
  }

  @Test func aCheckpointLeavesEverythingInTheOneFile() throws {
    // CI jobs keep ledger.sqlite alone as an artifact; grade, batch and merge checkpoint before they
    // end. While the ledger is open, what was written is in ledger.sqlite-wal until a checkpoint.
    let folder = try TestPaths.temporaryFolder()
    let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
    _ = try ledger.add(entry("a", "ana", "proficient"), revise: false)
    func copiedAlone() throws -> Int {
      let alone = try TestPaths.temporaryFolder() + "/ledger.sqlite"
      try FileManager.default.copyItem(atPath: folder + "/ledger.sqlite", toPath: alone)
      return (try? SQLiteLedger(readingAt: alone).counts().reviews) ?? 0
    }
    #expect(try copiedAlone() == 0, "before the checkpoint the review is only in the log")
    try ledger.checkpoint()
    #expect(try copiedAlone() == 1)
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
