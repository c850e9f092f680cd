import Foundation
import MasteryKit
import MasteryTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The criteria of the first decision in a JSON report, by criterion id.
private func criteria(_ json: String) throws -> [String: [String: Any]] {
  let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
  let first = (object?["results"] as? [[String: Any]])?.first
  var byID: [String: [String: Any]] = [:]
  for criterion in first?["criteria"] as? [[String: Any]] ?? [] {
    if let id = criterion["criterion"] as? String { byID[id] = criterion }
  }
  return byID
}

private func feedback(_ criterion: [String: Any]?) -> [String] {
  criterion?["feedback"] as? [String] ?? []
}

/// A submission of the web fixture rubric whose site folder holds `pages` (name → bytes).
private func webSubmission(_ pages: [String: [UInt8]]) throws -> String {
  let manifest = try String(
    contentsOfFile: TestPaths.fixture("web-pages/scripted/submission.xml"), encoding: .utf8)
  let folder = try SubmissionFactory.write(manifest: manifest)
  try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
  for (name, bytes) in pages {
    FileManager.default.createFile(atPath: folder + "/site/" + name, contents: Data(bytes))
  }
  return folder
}

private let fixtureRubric = ["--rubric", TestPaths.fixture("web-pages/rubric.xml")]

// One at a time: each test runs headless Chromium, which keeps both cores busy, and the pages have
// a 5 s time limit that two browsers at once on a loaded machine can miss.
@Suite("The web evaluator, end to end", .serialized)
struct WebEvaluatorTests {
  @Test func theAccessibleExampleEarnsAndTheFlawedOneIsToldWhereEachFailureIs() throws {
    let earned = try CommandRunner.mastery(["grade", "submissions/web-applications/aisha-mensah", "--format", "json"])
    #expect(earned.status == 0, "\(earned.stdout)")
    let flawed = try CommandRunner.mastery(["grade", "submissions/web-applications/ben-carter", "--format", "json"])
    #expect(flawed.status == 1)
    let pages = feedback(try criteria(flawed.stdout)["accessible-pages"])
    #expect(pages.contains { $0.hasPrefix("site/index.html:23: Every image has alternative text") })
    #expect(pages.contains { $0.hasPrefix("site/index.html:15: Every local link") && $0.contains("calendar.html") })
    #expect(pages.contains { $0.hasPrefix("site/index.html:3: The page sets a viewport for phones") })
  }

  @Test func aPageBuiltByItsScriptsFailsAsWrittenAndPassesInTheBrowser() throws {
    // A roomier wall limit than the fixture's 5 s: Chromium starting beside the other suites'
    // sandboxed runs has missed 5 s, which this test is not about (`endless` is).
    let rubric = try TestPaths.temporaryFolder() + "/rubric.xml"
    try String(contentsOfFile: TestPaths.fixture("web-pages/rubric.xml"), encoding: .utf8)
      .replacingOccurrences(of: #"timeout="5s""#, with: #"timeout="30s""#)
      .write(toFile: rubric, atomically: true, encoding: .utf8)
    let result = try CommandRunner.mastery(
      ["grade", TestPaths.fixture("web-pages/scripted"), "--format", "json", "--rubric", rubric])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let found = try criteria(result.stdout)
    #expect(found["as-written"]?["level"] as? String == "developing")
    #expect(feedback(found["as-written"]).contains("site/index.html: Use exactly one h1 heading. (found 0)"))
    #expect(found["as-shown"]?["level"] as? String == "proficient", "\(found["as-shown"] ?? [:])")
    #expect(found["as-shown"]?["summary"] as? String == "11 of 11 check points passed on 1 page (after scripts ran)")
  }

  @Test func aScriptThatNeverEndsMeetsTheTimeLimitAndLeavesNothingRunning() throws {
    let started = Date()
    let result = try CommandRunner.mastery(
      ["grade", TestPaths.fixture("web-pages/endless"), "--format", "json"] + fixtureRubric)
    // The page is named for this test alone, so other tests' browsers are not counted.
    #expect(Date().timeIntervalSince(started) < 60)
    #expect(result.status == 1)
    let shown = try criteria(result.stdout)["as-shown"]
    #expect(shown?["status"] as? String == "scored", "the page's fault, not a grader error")
    #expect(
      feedback(shown).contains {
        $0.hasPrefix("site/never-finishes.html: the page did not finish loading within 5.0 s")
      })
    let left = try CommandRunner.run("/usr/bin/pgrep", ["-f", "chromium.*never-finishes"])
    #expect(left.stdout.isEmpty, "left running: \(left.stdout)")
  }

  @Test(.enabled(if: CgroupSupport.detected != nil, "this machine gives runs no cgroup, so the browser has only its wall limit"))
  func aPageThatEatsMemoryIsStoppedByTheMemoryLimitLongBeforeTheWallLimit() throws {
    let rubric = try TestPaths.temporaryFolder() + "/rubric.xml"
    try String(contentsOfFile: TestPaths.fixture("web-pages/rubric.xml"), encoding: .utf8)
      .replacingOccurrences(of: #"timeout="5s""#, with: #"timeout="60s""#)
      .write(toFile: rubric, atomically: true, encoding: .utf8)
    let started = Date()
    let result = try CommandRunner.mastery(
      ["grade", TestPaths.fixture("web-pages/hungry"), "--format", "json", "--rubric", rubric])
    #expect(Date().timeIntervalSince(started) < 30, "stopped by the memory limit, not the 60 s wall limit")
    #expect(result.status == 1, "\(result.stderr)")
    let shown = try criteria(result.stdout)["as-shown"]
    #expect(shown?["status"] as? String == "scored", "the page's fault, not a grader error")
    #expect(
      feedback(shown).contains { $0.hasPrefix("site/eats-memory.html: the page's scripts used more than the browser's 1024 MiB of memory") },
      "\(feedback(shown))")
    let left = try CommandRunner.run("/usr/bin/pgrep", ["-f", "chromium.*eats-memory"])
    #expect(left.stdout.isEmpty, "left running: \(left.stdout)")
  }

  @Test func malformedMarkupOfEveryKindGetsClearOutcomes() throws {
    let result = try CommandRunner.mastery(
      ["grade", TestPaths.fixture("web-pages/malformed"), "--format", "json"] + fixtureRubric)
    #expect(result.status == 1)
    let written = feedback(try criteria(result.stdout)["as-written"])
    for expected in [
      "site/index.html:4: The HTML parses without errors: Opening and ending tag mismatch: b and i.",
      "site/index.html:7: Every id is used once: id \"twice\" is used 2 times (lines 6, 7).",
      "site/index.html:10: Every link to a place in a page points to an id that exists: \"#nowhere\": no element has id \"nowhere\".",
      "site/index.html:13: No fixed width wider than a phone in inline styles: <div style=\"width: 1200px\"> is 1200px wide.",
      "site/empty.html:1: The HTML parses without errors: Document is empty.",
    ] {
      #expect(written.contains(expected), "missing: \(expected)")
    }
    #expect(written.contains { $0.contains("\"../../../../etc/passwd\" points outside the submission") })
  }

  @Test func hugeAndDeepPagesAreJudgedWithoutHanging() throws {
    let huge = Array("<html lang=\"en\"><body>".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 50 << 20)
    let deep = Array(
      ("<html lang=\"en\"><head><title>Deep</title></head><body>" + String(repeating: "<div>", count: 100_000)
        + "<h1>x</h1>")
        .utf8)
    let folder = try webSubmission(["huge.html": huge, "deep.html": deep])
    let started = Date()
    let result = try CommandRunner.mastery(["grade", folder, "--format", "json"] + fixtureRubric)
    #expect(Date().timeIntervalSince(started) < 60)
    #expect(result.status == 1)
    let found = try criteria(result.stdout)
    let written = feedback(found["as-written"])
    #expect(written.contains("site/huge.html: the page is larger than 8 MiB; every check on it fails."))
    #expect(found["as-written"]?["status"] as? String == "scored")
    #expect(found["as-shown"]?["status"] as? String == "scored")
  }

  @Test func onlyEvidenceFilesAreReadNeverPipesOrFilesOutsideTheSite() throws {
    let page = """
      <html lang="en"><head><title>Pipes</title><link rel="stylesheet" href="pipe.css">
      <link rel="stylesheet" href="../notes.css"></head><body><h1>Pipes</h1><div id="app"><p>x</p></div></body></html>
      """
    let folder = try webSubmission(["index.html": Array(page.utf8)])
    // A named pipe would block whoever opens it for reading; a file beside the site is not evidence.
    #expect(mkfifo(folder + "/site/pipe.css", 0o644) == 0)
    try "@media (max-width: 1px) {}".write(toFile: folder + "/notes.css", atomically: true, encoding: .utf8)
    let started = Date()
    let result = try CommandRunner.mastery(["grade", folder, "--format", "json"] + fixtureRubric)
    #expect(Date().timeIntervalSince(started) < 60)
    let written = feedback(try criteria(result.stdout)["as-written"])
    #expect(written.contains { $0.contains("\"pipe.css\": site/pipe.css is not in the submission") }, "\(written)")
    #expect(
      written.contains { $0.contains("\"../notes.css\" leads to notes.css, outside the site folder site/.") },
      "\(written)")
    #expect(written.contains { $0.contains("no @media rule") }, "the CSS outside the site is not read")
  }

  @Test func theJSONListsEveryProblemAndBrowserFindingsSayWhichLinesTheyAre() throws {
    // Seven images without alt on lines 9-15 of the file; a script adds an eighth.
    let page = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <title>Gallery</title>
      </head>
      <body>
      <h1>Gallery</h1>
      <div id="app"><p>Our class garden</p></div>
      \((1...7).map { "<img src=\"photo\($0).png\">" }.joined(separator: "\n"))
      <script>document.getElementById("app").insertAdjacentHTML("beforeend", "<img src=made.png>")</script>
      </body>
      </html>
      """
    let folder = try webSubmission(["index.html": Array(page.utf8)])
    let result = try CommandRunner.mastery(["grade", folder, "--format", "json"] + fixtureRubric)
    let found = try criteria(result.stdout)
    func problems(_ criterion: String) -> [[String: Any]] {
      let failed = found[criterion]?["failedChecks"] as? [[String: Any]] ?? []
      return failed.first { $0["check"] as? String == "img-alt" }?["problems"] as? [[String: Any]] ?? []
    }
    // As written: all seven in the JSON, five in the feedback.
    #expect(problems("as-written").compactMap { $0["line"] as? Int } == Array(9...15), "\(result.stdout)")
    let written = feedback(found["as-written"]).filter { $0.contains("Every image has alternative text") }
    #expect(written.count == 5)
    #expect(feedback(found["as-written"]).contains { $0.hasPrefix("site/index.html: … and 2 more like it") })
    // In the browser: the file's images at their file lines; the script's image at a line of the DOM, said so.
    let shown = problems("as-shown")
    #expect(shown.compactMap { $0["line"] as? Int } == Array(9...15), "\(shown)")
    #expect(shown.first?["domLine"] as? Int != nil && shown.first?["line"] == nil, "\(shown)")
    #expect(
      feedback(found["as-shown"]).contains {
        $0.contains("of the page as the browser built it, not a line of the file)") && $0.contains("made.png")
      }, "\(feedback(found["as-shown"]))")
  }

  @Test func remoteResourcesAreNeverFetched() throws {
    // A server on this machine's loopback: the page asks it for a script, an image and a stylesheet.
    let log = try TestPaths.temporaryFolder() + "/server.log"
    let port = 20_000 + Int(getpid() % 20_000)
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    server.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1"]
    server.currentDirectoryURL = URL(fileURLWithPath: try TestPaths.temporaryFolder())
    FileManager.default.createFile(atPath: log, contents: nil)
    server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    server.standardError = server.standardOutput
    try server.run()
    defer {
      // SIGKILL: the test process may hand its children an ignored SIGTERM.
      kill(server.processIdentifier, SIGKILL)
      server.waitUntilExit()
    }
    usleep(300_000)
    let base = "http://127.0.0.1:\(port)"
    let page = """
      <html lang="en"><head><title>Remote</title><link rel="stylesheet" href="\(base)/style.css">
      <script src="\(base)/app.js"></script></head>
      <body><h1>Remote</h1><div id="app"><img src="\(base)/photo.png" alt="A photo"></div>
      <script>fetch("\(base)/data.json")</script></body></html>
      """
    let folder = try webSubmission(["index.html": Array(page.utf8)])
    let result = try CommandRunner.mastery(["grade", folder, "--format", "json"] + fixtureRubric)
    #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
    #expect(try criteria(result.stdout)["as-shown"]?["status"] as? String == "scored")
    // The server works (this process can reach it), yet no request came from the sandbox.
    _ = try CommandRunner.run(
      "/usr/bin/python3", ["-c", "import urllib.request as u\ntry: u.urlopen('\(base)/probe')\nexcept Exception: pass"])
    let requests = try String(contentsOfFile: log, encoding: .utf8)
    #expect(requests.contains("/probe"), "the server was reachable from here: \(requests)")
    for path in ["/style.css", "/app.js", "/photo.png", "/data.json"] {
      #expect(!requests.contains(path), "fetched \(path): \(requests)")
    }
  }
}
