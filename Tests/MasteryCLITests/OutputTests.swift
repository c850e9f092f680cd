import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

@Suite("Reports that cannot be written")
struct OutputTests {
  private func shell(_ script: String) throws -> CommandResult {
    try CommandRunner.run("/bin/sh", ["-c", script], environment: ["MASTERY": TestPaths.masteryBinary])
  }

  @Test func aFullStandardOutputIsOneLineAndExitFour() throws {
    let result = try shell(#"exec "$MASTERY" grade submissions --format json > /dev/full"#)
    #expect(result.status == 4, "\(result.stderr)")
    #expect(result.stderr.contains("error: cannot write standard output: no space left on the device"))
    #expect(!result.stderr.contains("Fatal error"))
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
  }

  @Test func aClosedPipeWithSIGPIPEIgnoredIsOneLineAndExitFour() throws {
    let result = try shell(
      #"trap "" PIPE; ("$MASTERY" grade submissions --format json; echo "status $?" >&2) | true"#)
    #expect(result.stderr.contains("the program reading it has closed the pipe"), "\(result.stderr)")
    #expect(result.stderr.contains("status 4"))
    #expect(!result.stderr.contains("Fatal error"))
  }

  @Test func outputToADeviceIsWrittenThroughNeverReplaced() throws {
    let full = try CommandRunner.mastery(["grade", "submissions", "--output", "/dev/full"])
    #expect(full.status == 4)
    #expect(full.stderr.contains("cannot write /dev/full: no space left on the device"))
    let null = try CommandRunner.mastery(["grade", "submissions", "--output", "/dev/null"])
    #expect(null.status == 2, "\(null.stderr)")
    var info = stat()
    #expect(lstat("/dev/null", &info) == 0)
    #expect(info.st_mode & S_IFMT == S_IFCHR, "/dev/null is still a device")
    let partials = try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.contains(".partial-") }
    #expect(partials.isEmpty, "\(partials)")
  }

  @Test func aSymbolicLinkOrFIFOTargetIsWrittenThrough() throws {
    let folder = try TestPaths.temporaryFolder()
    let target = folder + "/target.json"
    try FileManager.default.createSymbolicLink(atPath: folder + "/link.json", withDestinationPath: target)
    let linked = try CommandRunner.mastery([
      "grade", "submissions/digital-literacy/maria-lopez", "--format", "json", "--output", folder + "/link.json",
    ])
    #expect(linked.status == 0, "\(linked.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/link.json")
    #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "the link stays a link")
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"outcome\" : \"earned\""))

    #expect(mkfifo(folder + "/fifo", 0o600) == 0)
    let read = try shell(
      #"cat "\#(folder)/fifo" > "\#(folder)/from-fifo" & "$MASTERY" grade submissions/digital-literacy/maria-lopez --output "\#(folder)/fifo"; echo "status $?"; wait"#
    )
    #expect(read.stdout.contains("status 0"), "\(read.stderr)")
    #expect(try String(contentsOfFile: folder + "/from-fifo", encoding: .utf8).contains("EARNED"))
    var info = stat()
    #expect(lstat(folder + "/fifo", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO stays a FIFO")
  }

  @Test(.enabled(if: TestHost.canMount, "needs a tmpfs mounted in a private mount namespace (root)"))
  func aFullDiskLeavesNoPartialFileAndKeepsTheDecisions() throws {
    let folder = try TestPaths.temporaryFolder()
    let ledger = folder + "/ledger.sqlite"
    let disk = folder + "/disk"
    let result = try shell(
      #"mkdir -p "\#(disk)" && exec unshare -m /bin/sh -c 'mount -t tmpfs -o size=16k full "\#(disk)" && "$MASTERY" grade submissions --format json --ledger "\#(ledger)" --output "\#(disk)/report.json"; echo "status $?"; ls -a "\#(disk)"'"#
    )
    #expect(result.stdout.contains("status 4"), "\(result.stdout) \(result.stderr)")
    #expect(result.stderr.contains("/disk/report.json: no space left on the device"), "\(result.stderr)")
    #expect(!result.stdout.contains(".partial-"), "no half-written file is left: \(result.stdout)")
    #expect(!result.stdout.contains("report.json"))
    // Every submission graded before the report failed is in the ledger.
    #expect(try SQLiteLedger(path: ledger).counts().decisions == 12)
  }

  @Test func mergeToAFullDeviceIsExitFour() throws {
    let folder = try TestPaths.temporaryFolder()
    let report = folder + "/one.json"
    _ = try CommandRunner.mastery(["grade", "submissions", "--format", "json", "--output", report])
    let merged = try CommandRunner.mastery(["merge", report, "--output", "/dev/full"])
    #expect(merged.status == 4, "\(merged.stderr)")
    #expect(merged.stderr.contains("cannot write /dev/full"))
  }
}
