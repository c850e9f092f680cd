import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

@Suite("One accurate line for each mistake")
struct MessagesTests {
  @Test(
    "Usage mistakes are exit 64 with a message that names the value",
    arguments: [
      (["queue", "--ledger", ""], "--ledger needs a file name"),
      (["grade", "--jobs", "-1", "submissions"], "--jobs must be at least 1, not -1"),
      (["grade", "--shard", "-1/2", "submissions"], "--shard takes I/N with 1 <= I <= N, e.g. 2/4, not '-1/2'"),
      (["help", "nope"], "there is no command 'nope'; the commands are grade, batch"),
    ])
  func usageMistakes(arguments: [String], message: String) throws {
    let result = try CommandRunner.mastery(arguments)
    #expect(result.status == 64, "\(result.stdout) \(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stdout.contains("OVERVIEW"), "no help text instead of the error")
  }

  @Test func helpForACommandStillWorks() throws {
    let result = try CommandRunner.mastery(["help", "grade"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Grade submissions against their rubrics"))
  }

  @Test func commandsThatOnlyReadNeverCreateALedger() throws {
    let folder = try TestPaths.temporaryFolder()
    let typo = folder + "/typo/dir/x.sqlite"
    for arguments in [["queue"], ["export"], ["agreement"], ["review", "--export"]] {
      let result = try CommandRunner.mastery(arguments + ["--ledger", typo])
      #expect(result.status == 3, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("\(typo): there is no ledger here"), "\(arguments): \(result.stderr)")
      #expect(!result.stdout.contains("nothing waits"))
    }
    #expect(!FileManager.default.fileExists(atPath: folder + "/typo"), "nothing was created")
  }

  @Test func mergeSaysWhatIsWrongWithAnInput() throws {
    let missing = try CommandRunner.mastery(["merge", "/nonexistent"])
    #expect(missing.status == 3)
    #expect(missing.stderr.contains("/nonexistent: cannot be read: there is no such file"))
    let folder = try CommandRunner.mastery(["merge", "submissions"])
    #expect(folder.status == 3)
    #expect(folder.stderr.contains("submissions: cannot be read: it is a folder"))
    #expect(!folder.stderr.contains("not a mastery JSON report"))
  }

  @Test func aManifestThatIsNotXMLIsToldAboutSubmissions() throws {
    let folder = try SubmissionFactory.write(manifest: "hello, this is not XML")
    let result = try CommandRunner.mastery(["grade", folder])
    #expect(result.status == 3)
    #expect(result.stdout.contains("a submission manifest starts with"), "\(result.stdout)")
    #expect(result.stdout.contains("<submission ...>"))
    #expect(!result.stdout.contains("microcredential"))
  }

  @Test(.enabled(if: TestHost.canMount, "needs a read-only bind mount in a private mount namespace (root)"))
  func aReadOnlyLedgerCanBeReadAndSaysWhyItCannotBeWritten() throws {
    let folder = try TestPaths.temporaryFolder()
    let ledger = folder + "/ledger/ledger.sqlite"
    let graded = try CommandRunner.mastery(["grade", "submissions/python-foundations", "--ledger", ledger])
    #expect(graded.status == 2)
    let mastery = TestPaths.masteryBinary
    let script = """
      mount --bind "\(folder)/ledger" "\(folder)/ledger" && mount -o remount,ro,bind "\(folder)/ledger" || exit 99
      "\(mastery)" queue --ledger "\(ledger)"; echo "queue $?"
      "\(mastery)" export --ledger "\(ledger)"; echo "export $?"
      "\(mastery)" grade submissions/digital-literacy --ledger "\(ledger)" > /dev/null; echo "grade $?"
      """
    let result = try CommandRunner.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script])
    #expect(result.stdout.contains("queue 0"), "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("classroom-use (Design for classroom use): 0 of 1 reviews"))
    #expect(result.stdout.contains("export 0"))
    #expect(result.stdout.contains("rusd-t-0856,Grace Kim"))
    #expect(result.stdout.contains("grade 4"))
    #expect(result.stderr.contains("it is read-only"), "\(result.stderr)")
    #expect(!result.stderr.contains("Restore it from a backup"))
  }

  @Test(.enabled(if: TestHost.canMount, "needs a small tmpfs in a private mount namespace (root)"))
  func aFullDiskSaysSoAndKeepsWhatWasRecorded() throws {
    let folder = try TestPaths.temporaryFolder()
    let disk = folder + "/disk"
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    let mastery = TestPaths.masteryBinary
    // Room for the ledger and a few decisions, not for all of them.
    let script = """
      mount -t tmpfs -o size=300k full "\(disk)" || exit 99
      "\(mastery)" grade submissions --ledger "\(disk)/l.sqlite" > /dev/null; echo "grade $?"
      "\(mastery)" export --ledger "\(disk)/l.sqlite" | wc -l
      """
    let result = try CommandRunner.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script])
    #expect(result.stdout.contains("grade 4"), "\(result.stdout) \(result.stderr)")
    #expect(result.stderr.contains("the disk is full"), "\(result.stderr)")
    #expect(!result.stderr.contains("disk I/O error"))
    #expect(!result.stderr.contains("Restore it from a backup"))
    let rows = Int(result.stdout.split(separator: "\n").last ?? "") ?? 0
    #expect(rows > 1, "decisions recorded before the disk filled are kept: \(result.stdout)")
  }
}
