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
    #expect(files.count == 12)
    #expect(files.contains("digital-literacy-rusd-t-0142-2.html"))
    let result = try CommandRunner.mastery([
      "grade", folder, "--rubric", TestPaths.fixture("feedback-page/rubric.xml"), "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("\"summary\" : \"216 of 216 check points passed on 12 pages\""), "\(result.stdout)")
  }

  @Test func thePageSaysWhatToDoAndNamesNoReviewer() throws {
    let folder = try pages()
    let notYet = try String(contentsOfFile: folder + "/pages/web-applications-rusd-t-1187-1.html", encoding: .utf8)
    #expect(notYet.contains("<strong>Not yet.</strong>"))
    #expect(notYet.contains("site/index.html:23: Every image has alternative text"))
    #expect(notYet.contains("<strong>To reach Proficient:</strong>"))
    let earned = try String(contentsOfFile: folder + "/pages/digital-literacy-rusd-t-0142-2.html", encoding: .utf8)
    #expect(earned.contains("<h3>Your credential</h3>"))
    #expect(!earned.contains("mastery verify"), "no credential was issued with these pages")
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

  // MARK: Issue 12: what the page says must be what it means

  private static let ledgerTime = "2026-12-01T10:30:00Z"
  private let scores = ["not-yet": 0.0, "developing": 1, "proficient": 2, "exemplary": 3]

  private func criterion(
    _ title: String, status: Verdict.Status = .scored, level: (id: String, label: String, score: Double)? = nil,
    required: (id: String, label: String)? = nil, next: CriterionResult.NextLevel? = nil, message: String? = nil
  ) -> CriterionResult {
    CriterionResult(
      criterion: title.lowercased().replacingOccurrences(of: " ", with: "-"), title: title, evaluator: "checklist",
      weight: 2, status: status, level: level?.id, levelLabel: level?.label, score: level?.score,
      points: level.map { $0.score * 2 }, maximumPoints: 6, requiredLevel: required?.id,
      requiredLabel: required?.label,
      meetsRequirement: level.flatMap { level in required.map { level.score >= (scores[$0.id] ?? 0) } },
      summary: nil, descriptor: nil, nextLevel: next, feedback: [], message: message, evidence: [])
  }

  private func page(
    _ outcome: Decision.Outcome, _ criteria: [CriterionResult], reasons: [String] = [],
    submitted: String = "2026-11-20T09:00:00Z", issued: HTMLFeedbackPage.IssuedCredential? = nil
  ) -> String {
    let decision = Decision(
      outcome: outcome, reasons: reasons,
      credential: .init(
        id: "digital-literacy", version: "1.0.0", title: "Digital Literacy", rubricPath: "rubric.xml",
        rubricSHA256: String(repeating: "0", count: 64)),
      submission: .init(
        path: "maria", manifestSHA256: String(repeating: "1", count: 64),
        candidate: .init(id: "rusd-t-0142", name: "Maria Lopez", email: nil), attempt: 2, submitted: submitted,
        version: "1.0.0"),
      total: .init(points: 4, maximum: 12, percent: 33.3, required: nil, meetsRequirement: nil), criteria: criteria,
      evidence: [], findings: [], gradedAt: Self.ledgerTime, engineVersion: MasteryVersion.current)
    var writer = HTMLFeedbackPage()
    return writer.begin() + writer.write(.decided(decision), issued: issued) + writer.end()
  }

  @Test func theRequiredLevelIsNamedAsRequiredNotAsReached() {
    let html = page(
      .notYet,
      [
        criterion(
          "Lesson practices", level: ("proficient", "Proficient", 2), required: ("developing", "Developing")),
        criterion("Reflection", level: ("developing", "Developing", 1), required: ("proficient", "Proficient")),
      ])
    #expect(!html.contains("(meets Developing)"))
    #expect(!html.contains("(this credential needs"))
    #expect(
      html.contains(
        "<strong>Reached: Proficient</strong>, 4 of 6 points · required: Developing — <span class=\"meets\">met</span>"
      ))
    #expect(
      html.contains(
        "<strong>Reached: Developing</strong>, 2 of 6 points · required: Proficient — <span class=\"short\">not met yet</span>"
      ))
  }

  @Test func onlyADescriptorThatExistsIsPointedAt() {
    let html = page(
      .notYet,
      [
        criterion(
          "Lesson practices", level: ("not-yet", "Not yet", 0), required: ("proficient", "Proficient"),
          next: .init(level: "developing", label: "Developing", descriptor: nil)),
        criterion(
          "Reflection", level: ("developing", "Developing", 1),
          next: .init(level: "proficient", label: "Proficient", descriptor: "Meets four of the five checks.")),
      ])
    #expect(!html.contains("descriptor"), "no reference to a descriptor that is not there")
    #expect(html.contains("<p class=\"next\"><strong>Next level up:</strong> Developing.</p>"))
    #expect(html.contains("<p class=\"next\"><strong>To reach Proficient:</strong> Meets four of the five checks.</p>"))
  }

  @Test func aPageThatIsAlreadyNotYetDoesNotSayTheDecisionWaits() {
    let short = criterion("Lesson practices", level: ("not-yet", "Not yet", 0), required: ("proficient", "Proficient"))
    let waiting = criterion("Classroom use", status: .pending, message: "waiting for 2 reviews (0 of 2 in)")
    // As the engine decides it: not yet at once, the waiting review named as feedback to come.
    let html = page(
      .notYet, [short, waiting],
      reasons: [
        "not yet: Lesson practices is Not yet; this credential needs Proficient",
        "feedback to come: Classroom use is still to be reviewed; the review gives feedback but cannot change this decision",
      ])
    #expect(html.contains("<p class=\"decision not-yet\"><strong>Not yet.</strong>"))
    #expect(!html.contains("Waiting"))
    #expect(html.contains("A reviewer's feedback on part of your work is still to come."))
    #expect(html.contains("<li>not yet: Lesson practices is Not yet; this credential needs Proficient</li>"))
    #expect(
      html.contains(
        "<p><strong>Feedback to come:</strong> this part is still with the reviewers: waiting for 2 reviews (0 of 2 in).</p>"
      ))
    let pending = page(.pending, [waiting], reasons: ["pending: Classroom use: waiting for 2 reviews (0 of 2 in)"])
    #expect(pending.contains("<p class=\"decision pending\"><strong>Waiting for review.</strong>"))
  }

  @Test func anEarnedPageMentionsVerifyingOnlyAnIssuedCredential() {
    let met = criterion(
      "Lesson practices", level: ("proficient", "Proficient", 2), required: ("proficient", "Proficient"))
    let unissued = page(.earned, [met])
    #expect(unissued.contains("<h3>Your credential</h3>"))
    #expect(!unissued.contains("mastery verify"))
    #expect(!unissued.contains("CREDENTIAL"))
    let issued = page(.earned, [met], issued: .init(file: "digital-literacy-rusd-t-0142-2.jwt"))
    #expect(issued.contains("<code>mastery verify digital-literacy-rusd-t-0142-2.jwt --key ISSUER-PUBLIC-KEY"))
    let notYet = page(.notYet, [met], issued: .init(file: "x.jwt"))
    #expect(!notYet.contains("x.jwt"), "a credential belongs to an earned decision only")
  }

  @Test func datesReadAsDatesAndKeepTheirTimestamp() {
    let html = page(.notYet, [], submitted: "2026-11-30T23:30:00-05:00")
    #expect(!html.contains(">2026-"))
    #expect(
      html.contains(
        "submitted <time datetime=\"2026-11-30T23:30:00-05:00\">30 November 2026</time>; graded <time datetime=\"2026-12-01T10:30:00Z\">1 December 2026</time>"
      ))
  }

  @Test(arguments: [
    ("2026-12-01T10:30:00Z", "1 December 2026"),
    ("2026-12-01T10:30:00.250Z", "1 December 2026"),
    ("2027-01-01T00:30:00+01:00", "1 January 2027"),
    ("2026-11-17T22:58:00-08:00", "17 November 2026"),
    ("2026-03-09", "9 March 2026"),
    ("2026-03-09T08:00:00", "9 March 2026"),
  ])
  func humanDates(timestamp: String, words: String) {
    #expect(HTMLFeedbackPage.humanDate(timestamp) == words)
  }

  @Test(arguments: [
    "", "yesterday", "2026-02-30", "2026-13-01", "26-12-01", "2026-1-01", "+026-12-01", "2026-12-01T",
    "2026-12-01 later",
  ])
  func notDates(timestamp: String) {
    #expect(HTMLFeedbackPage.humanDate(timestamp) == nil)
    #expect(HTMLFeedbackPage.time(timestamp) == HTMLFeedbackPage.escape(timestamp))
  }
}
