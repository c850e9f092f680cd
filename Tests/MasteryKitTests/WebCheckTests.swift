import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

/// A site folder with `files` (relative path → content), and its first page parsed.
private func page(_ html: String, files: [String: String] = [:]) throws -> (WebPage, WebSite) {
  let folder = try TestPaths.temporaryFolder() + "/submission"
  let site = folder + "/site"
  try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
  let all = files.merging(["index.html": html], uniquingKeysWith: { first, _ in first })
  for (path, content) in all {
    let full = site + "/" + path
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try content.write(toFile: full, atomically: true, encoding: .utf8)
  }
  let page = try WebPage(name: "site/index.html", fullPath: site + "/index.html", bytes: Array(html.utf8))
  return (page, WebSite(root: site, submissionFolder: folder, files: all.keys.map { site + "/" + $0 }))
}

private func problems(_ id: String, _ html: String, files: [String: String] = [:]) throws -> [WebCheck.Problem] {
  let check = try #require(WebCheck.all.first { $0.id == id }, "no check \(id)")
  let (page, site) = try page(html, files: files)
  return check.run(page, site)
}

/// One case: a check, a page, and the lines of the problems it must find (none: it passes).
struct WebCheckCase: Sendable, CustomTestStringConvertible {
  var check: String
  var html: String
  var lines: [Int]
  var mentions: String = ""
  var files: [String: String] = [:]
  var testDescription: String { "\(check): \(lines.isEmpty ? "passes" : "fails at \(lines)")" }
}

@Suite("Built-in web checks")
struct WebCheckTests {
  static let cases: [WebCheckCase] = [
    // well-formed
    .init(
      check: "parses", html: "<html><body><nav><main><p>HTML5 elements are fine</p></main></nav></body></html>",
      lines: []),
    .init(
      check: "parses", html: "<html><body>\n<p><b>x</p>\n</span></body></html>", lines: [2, 3],
      mentions: "Unexpected end tag"),
    .init(check: "unique-ids", html: "<p id=a>1</p><p id=b>2</p>", lines: []),
    .init(
      check: "unique-ids", html: "<p id=a>1</p>\n<p id=a>2</p>", lines: [2],
      mentions: "id \"a\" is used 2 times (lines 1, 2)"),
    // accessibility
    .init(check: "lang", html: "<html lang=\"en\"><body></body></html>", lines: []),
    .init(check: "lang", html: "<html lang=\" \"><body></body></html>", lines: [1]),
    .init(check: "title", html: "<html><head><title>Class page</title></head></html>", lines: []),
    .init(check: "title", html: "<html><head><title>  </title></head></html>", lines: [1]),
    .init(check: "img-alt", html: "<img src=a.png alt=\"\"><img src=b.png role=presentation>", lines: []),
    .init(
      check: "img-alt", html: "<p>\n<img src=\"b.png\"></p>", lines: [2], mentions: "<img src=\"b.png\"> has no alt"),
    .init(
      check: "form-labels",
      html: """
        <form><label for=e>Email</label><input id=e type=email>
        <label>Name <input name=n></label><input aria-label="Phone" name=p><input type=hidden name=h>
        <span id=x>Grade</span><select aria-labelledby=x></select><button>Send</button></form>
        """, lines: []),
    .init(
      check: "form-labels", html: "<form>\n<input name=\"email\" placeholder=\"Email\">\n<textarea></textarea></form>",
      lines: [2, 3], mentions: "<input name=\"email\"> has no label"),
    .init(check: "heading-order", html: "<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h3>e</h3>", lines: []),
    .init(
      check: "heading-order", html: "<h2>a</h2>\n<h4>b</h4>", lines: [1, 2], mentions: "the first heading is <h2>"),
    .init(
      check: "link-text",
      html:
        "<a href=a.html>Homework for this week</a><a href=b.html><img alt=\"Home\" src=h.png></a><a href=c.html aria-label=\"Contact\"></a>",
      lines: []),
    .init(
      check: "link-text", html: "<a href=a.html></a>\n<a href=b.html>Click here!</a>", lines: [1, 2],
      mentions: "does not say where it goes"),
    .init(check: "tabindex", html: "<div tabindex=0></div><div tabindex=-1></div>", lines: []),
    .init(check: "tabindex", html: "<p>\n<a href=x tabindex=\"2\">x</a>", lines: [2]),
    .init(
      check: "button-names",
      html: "<button>Send</button><button aria-label=\"Close\"></button><input type=button value=Go>", lines: []),
    .init(check: "button-names", html: "<button> </button>\n<input type=button>", lines: [1, 2]),
    // links
    .init(
      check: "local-links",
      html:
        "<a href=\"page.html#top\">p</a><img src=\"img/a%20b.png\" alt=\"\"><a href=\"https://example.org/x\">x</a><a href=\"mailto:a@b.c\">m</a><link rel=stylesheet href=\"/css/s.css\"><a href=\"docs/\">docs</a>",
      lines: [], files: ["page.html": "<p>", "img/a b.png": "png", "css/s.css": "", "docs/index.html": ""]),
    .init(
      check: "local-links", html: "<a href=\"Page.html\">p</a>\n<script src=\"../../outside.js\"></script>",
      lines: [1, 2], mentions: "site/Page.html is not in the submission", files: ["page.html": "<p>"]),
    .init(
      check: "fragment-links",
      html: "<h2 id=\"rules\">Rules</h2><a href=\"#rules\">r</a><a href=\"other.html#x\">o</a><a href=\"#top\">top</a>",
      lines: [], files: ["other.html": "<p id=x>here</p>"]),
    .init(
      check: "fragment-links", html: "<a href=\"#missing\">m</a>\n<a href=\"other.html#nope\">o</a>", lines: [1, 2],
      mentions: "no element has id \"missing\"", files: ["other.html": "<p id=x>here</p>"]),
    // responsive
    .init(
      check: "viewport", html: "<head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>",
      lines: []),
    .init(
      check: "viewport", html: "<html><head><meta name=\"viewport\" content=\"initial-scale=1\"></head></html>",
      lines: [1]),
    .init(
      check: "fluid-widths",
      html: "<div style=\"max-width: 900px; width: 100%\"></div><img style=\"width:320px\" alt=\"\">", lines: []),
    .init(
      check: "fluid-widths", html: "<p>\n<table style=\"min-width: 960px\"></table>", lines: [2], mentions: "960px wide"
    ),
    .init(
      check: "fluid-widths",
      html: "<p style=\"width: infpx\">\n<p style=\"width: nanpx\">\n<p style=\"width: 1e300px\">",
      lines: [3], mentions: "1000000px wide"),
    .init(check: "media-query", html: "<style>@media (max-width: 600px) { p { margin: 0 } }</style>", lines: []),
    .init(
      check: "media-query", html: "<link rel=\"stylesheet\" href=\"s.css\">", lines: [],
      files: ["s.css": "@MEDIA print { }"]),
    .init(
      check: "media-query", html: "<link rel=\"stylesheet\" href=\"s.css\"><style>p {}</style>", lines: [1],
      files: ["s.css": "p {}"]),
    // Issue 12: CSS is tokenized, so comments and strings are not rules.
    .init(
      check: "media-query", html: "<style>/* @media (max-width: 600px) { p { margin: 0 } } */ p {}</style>", lines: [1]),
    .init(
      check: "media-query", html: "<style>p::after { content: \"@media (max-width: 600px) {\" }</style>", lines: [1]),
    .init(check: "media-query", html: "<style>@media screen; p {}</style>", lines: [1]),
    .init(check: "media-query", html: "<style>p { @media (max-width: 600px) { margin: 0 } }</style>", lines: []),
    .init(check: "media-query", html: "<style media=\"(max-width: 600px)\">p {}</style>", lines: []),
    // Issue 12: local @import is followed, relative to the stylesheet, once, never remote or outside.
    .init(
      check: "media-query", html: "<link rel=\"stylesheet\" href=\"css/main.css\">", lines: [],
      files: [
        "css/main.css": "@charset \"utf-8\";\n@import \"parts/layout.css\";\nbody {}",
        "css/parts/layout.css": "@import url(small.css);", "css/parts/small.css": "@media (max-width: 600px) {}",
      ]),
    .init(
      check: "media-query", html: "<style>@import url(\"a.css\");</style>", lines: [],
      files: ["a.css": "@media (max-width: 600px) { p {} }"]),
    .init(
      check: "media-query", html: "<style>@import \"missing.css\" screen and (max-width: 600px);</style>", lines: []),
    .init(
      check: "media-query", html: "<link rel=\"stylesheet\" href=\"a.css\">", lines: [1],
      files: [
        "a.css": "@import \"b.css\";", "b.css": "@import url(a.css); @import \"c.css\" supports(display: grid);",
        "c.css": "",
      ]),
    .init(
      check: "media-query", html: "<link rel=\"stylesheet\" href=\"a.css\">", lines: [1],
      files: ["a.css": "p {}\n@import \"b.css\";", "b.css": "@media (max-width: 600px) {}"]),
    .init(
      check: "media-query",
      html:
        "<style>@import \"https://example.org/m.css\"; @import \"../../outside.css\"; @import \"/*x.css*/\";</style>",
      lines: [1]),
    .init(
      check: "fluid-widths", html: "<p>\n<div style=\"width:900px !important\"></div>", lines: [2],
      mentions: "900px wide"),
    .init(
      check: "fluid-widths", html: "<div style=\"background: url(a;b.png); WIDTH: 900PX\"></div>", lines: [1],
      mentions: "900px wide"),
    .init(
      check: "fluid-widths",
      html: "<div style=\"/* width: 900px; */ width: 100%; content: 'min-width: 990px'\"></div>", lines: []),
    // Issue 12: well-formed follows HTML5 for script text and self-closing tags.
    .init(
      check: "parses",
      html: "<html><head><script>var closing = \"</b>\"; var open = '<p>';</script></head><body></body></html>",
      lines: []),
    .init(
      check: "parses", html: "<p>Rules</p>\n<div/>\n<p>Homework</p>", lines: [2],
      mentions: "<div/> does not close the div"),
    .init(
      check: "parses",
      html:
        "<p>a<br/><img src=a.png alt=\"\"/><input name=n/></p><svg><path d=\"M0 0\"/><g/></svg><a href=x/>x</a><!-- <div/> --><script>\"<div/>\"</script>",
      lines: []),
    // Issue 12: only the head's <title> names the page; an empty lang says so.
    .init(
      check: "title", html: "<html><head></head><body>\n<svg><title>Logo</title></svg></body></html>", lines: [2],
      mentions: "belongs to an <svg>"),
    .init(
      check: "title",
      html: "<html><head><title>Rubric</title></head><body><svg><title>Logo</title></svg></body></html>", lines: []),
    .init(check: "lang", html: "<html lang=\"\"><body></body></html>", lines: [1], mentions: "is empty"),
    .init(check: "lang", html: "<html><body></body></html>", lines: [1], mentions: "has no lang attribute"),
    // Issue 12: accessible names skip hidden content and scripts.
    .init(
      check: "link-text",
      html:
        "<a href=a.html><span aria-hidden=\"true\">Lesson plans</span></a>\n<a href=b.html><script>var name = 'Lesson plans'</script></a>\n<a href=c.html><span hidden>Lesson plans</span><i style=\"display: none\">Lesson plans</i></a>",
      lines: [1, 2, 3], mentions: "has no text"),
    .init(
      check: "link-text",
      html:
        "<a href=a.html aria-labelledby=\"l\"><span aria-hidden=\"true\">→</span></a><span id=l hidden>Lesson plans</span><a href=b.html><svg aria-label=\"Homework\"></svg></a>",
      lines: []),
    // Issue 12: empty names do not label a field.
    .init(
      check: "form-labels",
      html:
        "<form>\n<input name=\"a\" title=\"\">\n<label for=\"b\"> </label><input id=\"b\" name=\"b\">\n<input name=\"c\" aria-labelledby=\"nowhere\">\n<label><select name=\"d\"><option>Grade 5</option></select></label></form>",
      lines: [2, 3, 4, 5]),
    .init(
      check: "form-labels", html: "<label for=\"b\"></label><input id=\"b\" name=\"b\">", lines: [1],
      mentions: "its <label> has no text"),
    .init(
      check: "form-labels", html: "<input name=\"c\" aria-labelledby=\"nowhere\">", lines: [1],
      mentions: "names no element of the page"),
    .init(
      check: "form-labels",
      html: "<span id=\"s\">Search</span><input name=\"q\" aria-labelledby=\"s\"><input name=\"t\" title=\"Topic\">",
      lines: []),
    // Issue 12: image map links and image buttons need alt too.
    .init(
      check: "img-alt",
      html:
        "<map name=\"m\">\n<area href=\"a.html\" shape=\"rect\">\n<area href=\"b.html\" alt=\"\"></map>\n<input type=\"image\" src=\"go.png\">\n<map name=\"n\"><area href=\"c.html\" alt=\"Cafeteria\"></map><map name=\"o\"><area href=\"c.html\" alt=\"\"></map>",
      lines: [2, 3, 4, 5]),
    .init(
      check: "img-alt",
      html:
        "<map name=\"m\"><area href=\"a.html\" alt=\"Home\"><area href=\"a.html\" alt=\"\"><area shape=\"default\"></map><input type=\"image\" src=\"go.png\" alt=\"Search\">",
      lines: []),
    // Issue 12: links leaving the site folder, and letters in the wrong case.
    .init(
      check: "local-links", html: "<a href=\"../notes.html\">n</a>\n<a href=\"../gone.html\">g</a>", lines: [1, 2],
      mentions: "outside the site folder site/", files: ["../notes.html": "<p>"]),
    .init(
      check: "local-links", html: "<p>\n<img src=\"img/Map.SVG\" alt=\"\">", lines: [2],
      mentions: "did you mean img/map.svg?", files: ["img/map.svg": "<svg/>"]),
  ]

  @Test(arguments: cases)
  func check(_ example: WebCheckCase) throws {
    let found = try problems(example.check, example.html, files: example.files)
    #expect(found.map(\.line) == example.lines, "\(found)")
    if !example.mentions.isEmpty {
      #expect(found.contains { $0.message.contains(example.mentions) }, "\(found)")
    }
  }

  @Test(arguments: [
    ("<p>Fish & chips</p>", "Write & as &amp;"),
    ("<p>&copy 2026 <a href=\"?a=1&b=2\">x</a></p>", "Write & as &amp;"),
    ("<p id=\"a\" id=\"b\">x</p>", "Give each attribute once"),
    ("<p class=\"x\" \"y\">q</p>", "separated by spaces"),
    ("<p>x</b></p>", "Close every tag"),
    ("<p>x</p><!-- a note", "End every comment"),
  ])
  func eachKindOfParseErrorGetsItsOwnAdvice(html: String, advice: String) throws {
    let found = try problems("parses", html)
    #expect(!found.isEmpty)
    #expect(found.allSatisfy { $0.advice?.contains(advice) == true }, "\(found)")
  }

  @Test(arguments: [
    ("@media (max-width: 600px) { p {} }", true),
    ("@MEDIA print { }", true),
    ("@\\6d edia (max-width: 600px) { }", true),
    ("/* @media (max-width: 600px) { } */", false),
    ("p::before { content: '@media (max-width: 600px) { }' }", false),
    ("p { background: url(@media.png) }", false),
    ("@media screen;", false),
    ("@mediaeval (x) { }", false),
  ])
  func onlyRealMediaRulesCount(css: String, expected: Bool) {
    #expect(CSSTokenizer.summary(of: Array(css.utf8)).hasMediaRule == expected)
  }

  @Test func pathologicalCSSIsReadInOnePass() {
    for css in [
      String(repeating: "url(", count: 200_000), String(repeating: "/*", count: 200_000),
      String(repeating: "@import \"a.css\" (", count: 50_000), String(repeating: "\"\\", count: 200_000),
    ] {
      let started = Date()
      _ = CSSTokenizer.summary(of: Array(css.utf8))
      _ = CSSTokenizer.declarations(in: css)
      #expect(Date().timeIntervalSince(started) < 5, "\(css.prefix(20))")
    }
  }

  @Test func browserLinesMapBackToFileLinesOnlyWhereAnElementBacksThem() throws {
    let written = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <title>Gallery</title>
      </head>
      <body>
      <div id="app"></div>
      <img src="a.png">
      </body>
      </html>
      """
    // What Chromium's --dump-dom prints for it once a script added an image: <head> moves up a line.
    let dom = """
      <!DOCTYPE html>
      <html lang="en"><head>
      <title>Gallery</title>
      </head>
      <body>
      <div id="app"><img src="made.png"></div>
      <img src="a.png">

      </body></html>
      """
    let (page, site) = try page(written)
    let shown = try WebPage(name: page.name, fullPath: page.fullPath, bytes: Array(dom.utf8))
    let lines = DOMLineMap(source: page, dom: shown)
    #expect(lines.fileLine(ofDOMLine: 7) == 8)
    #expect(lines.fileLine(ofDOMLine: 6) == nil, "the line also holds an image a script made")
    let check = try #require(WebCheck.all.first { $0.id == "img-alt" })
    let failure = WebEvaluator.failure(check, page: page.name, problems: check.run(shown, site), lines: lines)
    #expect(failure.problems.map(\.line) == [nil, 8])
    #expect(failure.problems.map(\.domLine) == [6, nil])
    let feedback = WebEvaluator.feedback(failure, found: failure.problems.count)
    #expect(
      feedback.first
        == "site/index.html (line 6 of the page as the browser built it, not a line of the file): Every image has alternative text: <img src=\"made.png\"> has no alt attribute."
    )
    #expect(feedback.dropFirst().first?.hasPrefix("site/index.html:8: Every image") == true)
    // A finding about <head>, which the browser prints on the <html> line, still gets the file's line of <head>.
    let viewport = try #require(WebCheck.all.first { $0.id == "viewport" })
    let noViewport = WebEvaluator.failure(
      viewport, page: page.name, problems: viewport.run(shown, site), lines: lines)
    #expect(noViewport.problems.map(\.line) == [3])
    #expect(lines.fileLine(ofDOMLine: 2) == nil, "<html> and <head> share the DOM's line 2")
  }

  @Test func everyProblemIsKeptUpToTheCapWhileTheFeedbackShowsFive() throws {
    let check = try #require(WebCheck.all.first { $0.id == "img-alt" })
    let (page, site) = try page(String(repeating: "<img src=\"x.png\">\n", count: 1_005))
    let found = check.run(page, site)
    let failure = WebEvaluator.failure(check, page: page.name, problems: found, lines: nil)
    #expect(failure.problems.count == CheckFailure.problemLimit)
    #expect(failure.unlisted == 5)
    #expect(failure.problems.last?.line == 1_000)
    let feedback = WebEvaluator.feedback(failure, found: found.count)
    #expect(feedback.count == 7, "\(feedback)")
    #expect(feedback.contains("site/index.html: … and 1000 more like it (the JSON report lists the first 1000)."))
  }

  @Test func manyHTML5ElementsDoNotCrowdOutOrBecomeParseErrors() throws {
    let html =
      "<html><body>" + String(repeating: "<section><p>Unit</p></section>\n", count: 600) + "<p>x</b></p></body></html>"
    let found = try problems("parses", html)
    #expect(found.map(\.line) == [601], "\(found.prefix(3))")
  }

  @Test func everyCheckSetHasChecksAndEveryCheckHasACase() {
    for set in WebConfiguration.CheckSet.allCases {
      #expect(!WebCheck.checks(in: [set]).isEmpty, "\(set) has no checks")
    }
    let covered = Set(Self.cases.filter { !$0.lines.isEmpty }.map(\.check))
    let passing = Set(Self.cases.filter { $0.lines.isEmpty }.map(\.check))
    for check in WebCheck.all {
      #expect(
        covered.contains(check.id) && passing.contains(check.id), "\(check.id) needs a failing and a passing case")
    }
    #expect(Set(WebCheck.all.map(\.id)).count == WebCheck.all.count, "check ids are unique")
  }

  @Test func aMissingBrowserIsAGraderErrorNamingThePackage() async throws {
    let catalog = try await RubricCatalog(folder: nil, rubric: TestPaths.fixture("web-pages/rubric.xml"))
    let context = EvaluationContext(browser: "/nonexistent/chromium")
    let session = try GradingSession(catalog: catalog, grader: Grader(context: context, jobs: 1))
    guard case .decided(let decision) = await session.grade(TestPaths.fixture("web-pages/scripted")) else {
      Issue.record("expected a decision")
      return
    }
    #expect(decision.outcome == .error)
    let shown = try #require(decision.criteria.first { $0.criterion == "as-shown" })
    #expect(shown.status == .error)
    #expect(shown.message?.contains("install the Debian package chromium") == true)
    #expect(decision.criteria.first { $0.criterion == "as-written" }?.status == .scored)
  }
}
