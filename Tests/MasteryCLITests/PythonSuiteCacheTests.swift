import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

/// What the author's tests are, and how they did on the reference, is kept in the ledger by
/// content: found once, by one process at a time, and found again when anything it depends on changes.
@Suite("The author's tests are run once per content")
struct PythonSuiteCacheTests {
  /// A rubric folder whose reference appends a line to `marker` (when it can: run with
  /// --no-sandbox) each time it is imported, after `seconds`.
  static func rubrics(marker: String? = nil, seconds: Double = 0) throws -> String {
    let folder = try TestPaths.temporaryFolder() + "/rubrics"
    try FileManager.default.copyItem(
      atPath: TestPaths.fixture("author-tests/fails-on-reference"), toPath: folder)
    let reference = """
      import os, time

      time.sleep(\(seconds))
      try:
          with open(\(marker.map { "\"\($0)\"" } ?? "os.devnull"), "a") as marker:
              marker.write(f"{os.getpid()}\\n")
      except OSError:
          pass


      def leap_year(year):
          return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

      """
    try reference.write(toFile: folder + "/reference/leap.py", atomically: true, encoding: .utf8)
    return folder
  }

  /// A submission to the fails-on-reference rubric.
  static func submission(_ name: String) throws -> String {
    let folder = try TestPaths.temporaryFolder() + "/" + name
    try FileManager.default.createDirectory(atPath: folder + "/code", withIntermediateDirectories: true)
    try """
      <?xml version="1.0" encoding="UTF-8"?>
      <submission xmlns="urn:mastery:submission:1" credential="author-fails-on-reference" version="1.0.0">
        <candidate id="\(name)"/>
        <submitted>2026-11-20T10:00:00Z</submitted>
      </submission>
      """.write(toFile: folder + "/submission.xml", atomically: true, encoding: .utf8)
    try "def leap_year(year):\n    return year % 4 == 0\n".write(
      toFile: folder + "/code/leap.py", atomically: true, encoding: .utf8)
    return folder
  }

  @Test func twoProcessesAtOnceRunTheReferenceOnce() async throws {
    let marker = try TestPaths.temporaryFolder() + "/imports"
    let folder = try Self.rubrics(marker: marker, seconds: 1)
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    // The reference runs unconfined here so that it can leave a mark; the lock is the same.
    func start(_ name: String) throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
      process.arguments = ["grade", "--no-sandbox", "--ledger", ledger, "--rubrics", folder, try Self.submission(name)]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    let both = try [start("first"), start("second")]
    for process in both { process.waitUntilExit() }
    #expect(both.map(\.terminationStatus) == [1, 1], "both graded: the code fails test_1900")
    // One process ran the reference; the other waited for it and read its answer from the ledger.
    let runs = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n")
    #expect(runs.count == 1, "the reference ran \(runs.count) times")
    // A third process finds it in the ledger, as validate does.
    let third = try start("third")
    third.waitUntilExit()
    #expect(try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n").count == 1)
    let validate = try CommandRunner.mastery(["validate", "--ledger", ledger, folder])
    #expect(validate.status == 0, "\(validate.stdout)")
  }

  @Test func aChangedTestIsRunAgain() throws {
    let folder = try Self.rubrics()
    let ledger = try TestPaths.temporaryFolder() + "/ledger.sqlite"
    _ = try SQLiteLedger(path: ledger)
    let sound = try CommandRunner.mastery(["validate", "--ledger", ledger, folder])
    #expect(sound.status == 0, "\(sound.stdout)")
    let test = folder + "/tests/test_leap.py"
    var source = try String(contentsOfFile: test, encoding: .utf8)
    source = source.replacingOccurrences(of: "assertFalse(leap_year(1900))", with: "assertTrue(leap_year(1900))")
    try source.write(toFile: test, atomically: true, encoding: .utf8)
    let changed = try CommandRunner.mastery(["validate", "--ledger", ledger, folder])
    #expect(changed.status == 3)
    #expect(changed.stdout.contains("test_leap.py::LeapTest::test_1900"), "\(changed.stdout)")
  }
}
