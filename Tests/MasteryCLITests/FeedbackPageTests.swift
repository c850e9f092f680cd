import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

/// Where tests keep what people should look at (screenshots): .build/test-output.
private func testOutput() throws -> String {
  let folder = TestPaths.repository(".build/test-output")
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  return folder
}

@Suite("The candidate's feedback page")
struct FeedbackPageTests {
  /// The feedback pages of the example submissions (with the example reviews), in a submission of
  /// the feedback-page fixture rubric.
  private func pages() throws -> String {
    let folder = try TestPaths.temporaryFolder() + "/feedback"
    try FileManager.default.createDirectory(atPath: folder + "/pages", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.fixture("feedback-page/submission.xml"), toPath: folder + "/submission.xml")
    let ledger = folder + "/../ledger.sqlite"
    #expect(
      try CommandRunner.mastery(["review", "--import", "submissions/reviews.xml", "--ledger", ledger]).status == 0)
    let batch = try CommandRunner.mastery([
      "batch", "submissions", "--html", folder + "/pages", "--ledger", ledger, "--no-progress",
    ])
    #expect([0, 1, 2].contains(batch.status), "\(batch.stderr)")
    return folder
  }

  @Test func everyExamplePagePassesTheEnginesOwnWebChecks() throws {
    let folder = try pages()
    let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/pages").sorted()
    #expect(files.count == 10)
    #expect(files.contains("digital-literacy-rusd-t-0142-2.html"))
    let result = try CommandRunner.mastery([
      "grade", folder, "--rubric", TestPaths.fixture("feedback-page/rubric.xml"), "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("\"summary\" : \"180 of 180 check points passed on 10 pages\""), "\(result.stdout)")
  }

  @Test func thePageSaysWhatToDoAndNamesNoReviewer() throws {
    let folder = try pages()
    let notYet = try String(contentsOfFile: folder + "/pages/web-applications-rusd-t-1187-1.html", encoding: .utf8)
    #expect(notYet.contains("<strong>Not yet.</strong>"))
    #expect(notYet.contains("site/index.html:23: Every image has alternative text"))
    #expect(notYet.contains("<strong>To reach Proficient:</strong>"))
    let earned = try String(contentsOfFile: folder + "/pages/digital-literacy-rusd-t-0142-2.html", encoding: .utf8)
    #expect(earned.contains("<h3>Your credential</h3>"))
    #expect(earned.contains("mastery verify CREDENTIAL --key ISSUER-PUBLIC-KEY"))
    let reviewed = try String(
      contentsOfFile: folder + "/pages/formative-assessment-rusd-t-0624-1.html", encoding: .utf8)
    #expect(reviewed.contains("Reviewer: "), "reviewers' comments are shown")
    let reviews = try String(contentsOfFile: TestPaths.repository("submissions/reviews.xml"), encoding: .utf8)
    let reviewers = Set(
      reviews.components(separatedBy: "reviewer=\"").dropFirst().compactMap { $0.split(separator: "\"").first }.map(
        String.init))
    #expect(reviewers.count >= 2)
    for page in try FileManager.default.contentsOfDirectory(atPath: folder + "/pages") {
      let text = try String(contentsOfFile: folder + "/pages/" + page, encoding: .utf8)
      for reviewer in reviewers { #expect(!text.contains(reviewer), "\(page) shows the reviewer id \(reviewer)") }
    }
    #expect(!earned.contains("<script"))
    #expect(!earned.contains("http://") && !earned.contains("src=\"https"))
  }

  @Test func chromiumRendersItAndTheScreenshotIsKept() async throws {
    let folder = try pages()
    let out = try TestPaths.temporaryFolder() + "/shots"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let sandbox = BubblewrapSandbox()
    let uid = sandbox.reserveUID()
    if let uid { chown(out, uid, uid) }
    SandboxFolder.handOver(folder + "/pages")
    let run = SandboxRun(
      command: [
        "/usr/lib/chromium/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--log-level=3",
        "--hide-scrollbars", "--window-size=420,1400", "--screenshot=/box/out/feedback-page.png",
        "file:///box/pages/web-applications-rusd-t-1187-1.html",
      ],
      mounts: [
        SandboxMount(source: folder + "/pages", target: "/box/pages"),
        SandboxMount(source: out, target: "/box/out", writable: true),
        SandboxMount(source: "/etc/fonts", target: "/etc/fonts"),
      ],
      workingDirectory: "/box/pages", environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp"],
      limits: SandboxLimits(
        wallSeconds: 30, cpuSeconds: 60, memoryBytes: nil, processes: 256, fileSizeBytes: 256 << 20,
        openFiles: 1024, sharedMemoryBytes: 64 << 20),
      uid: uid)
    let result = await sandbox.run(run)
    #expect(result.termination == .completed(0), "\(result.output)")
    let png = try Data(contentsOf: URL(fileURLWithPath: out + "/feedback-page.png"))
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
    #expect(png.count > 10_000, "more than a blank page")
    let kept = try testOutput() + "/feedback-page.png"
    try? FileManager.default.removeItem(atPath: kept)
    try png.write(to: URL(fileURLWithPath: kept))
  }
}
