import Foundation
import LibXML

/// Grades a `web` criterion: the candidate's pages parsed with libxml2's HTML
/// parser, then the rubric's assertions and the built-in check sets run on
/// each page (with render="browser", on the page as Chromium shows it after
/// its scripts ran; well-formedness is always judged on the source).
///
/// Every (check, page) and (assertion, page) pair is worth its points; the share of points passed
/// gives the level through the rubric's `level-at passed` steps. A page that is missing, too large or
/// unreadable fails everything on it. Feedback names each failure with its page and line.
public struct WebEvaluator: Evaluator {
  public let configuration: WebConfiguration
  /// Failures listed per check and page in the feedback before "and N more"; `failedChecks` (the
  /// JSON report's) lists them all, up to `CheckFailure.problemLimit`.
  static let problemsShown = 5

  public init(configuration: WebConfiguration) {
    self.configuration = configuration
  }

  /// One page to check, as found.
  struct PageSource {
    var name: String
    var fullPath: String
  }

  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    guard let mapping = configuration.mapping else { return .error("the web evaluator has no level mapping") }
    guard let evidence = input.evidence.first(where: { $0.isPresent && $0.fullPath != nil }),
      let evidencePath = evidence.fullPath
    else {
      return .scored(mapping.floor, summary: "no pages", feedback: ["The pages to check are not in the submission."])
    }
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: evidencePath, isDirectory: &isFolder)
    let siteRoot = isFolder.boolValue ? evidencePath : (evidencePath as NSString).deletingLastPathComponent
    // Only the evidence files (regular files, hashed by the resolver) are read.
    let evidenceFiles = input.evidence.flatMap(\.files).map {
      (input.submission.folder as NSString).appendingPathComponent($0.path)
    }
    let site = WebSite(root: siteRoot, submissionFolder: input.submission.folder, files: evidenceFiles)
    let relativeRoot =
      isFolder.boolValue ? (evidence.path ?? "") : ((evidence.path ?? "") as NSString).deletingLastPathComponent
    let pages = Self.pages(configuration.pages, root: siteRoot, relativeRoot: relativeRoot, site: site)
    let checks = WebCheck.checks(in: configuration.checkSets)
    let renderer =
      configuration.render == .browser
      ? BrowserRenderer(sandbox: input.context.sandbox, binary: input.context.browser) : nil
    if let renderer, let missing = renderer.unavailable() { return .error(missing) }
    // The browser sees a copy of the evidence files under the site folder, made once.
    var copy: BrowserRenderer.SiteCopy?
    if let renderer {
      switch renderer.copy(site.files.filter { $0.hasPrefix(site.root + "/") }, root: site.root) {
      case .success(let made): copy = made
      case .failure(let failure): return .error("\(failure)")
      }
    }
    defer { copy?.remove() }

    var earned = 0.0
    var possible = 0.0
    var feedback: [String] = []
    var failures: [CheckFailure] = []
    for source in pages {
      possible += Double(checks.count) + configuration.assertions.reduce(0) { $0 + $1.points }
      let page: WebPage
      do {
        guard site.files.contains(WebSite.absolute(source.fullPath)) else {
          throw MarkupError.unreadable(path: source.name, reason: "No such file among the evidence")
        }
        page = try WebPage(
          name: source.name, fullPath: source.fullPath,
          bytes: MarkupDocument.read(source.fullPath, limit: WebPage.sizeLimit))
      } catch {
        feedback.append("\(source.name): \(Self.describe(error, page: source.name)); every check on it fails.")
        continue
      }
      // After scripts ran, when asked: what the checks other than well-formedness look at.
      var shown = page
      var lines: DOMLineMap?
      if let renderer, let copy {
        switch await renderer.render(source.fullPath, site: siteRoot, copy: copy, timeout: configuration.timeout) {
        case .success(let dom):
          do {
            shown = try WebPage(name: source.name, fullPath: source.fullPath, bytes: dom)
            lines = DOMLineMap(source: page, dom: shown)
          } catch {
            feedback.append(
              "\(source.name): the page as the browser shows it cannot be parsed; every check on it fails.")
            continue
          }
        case .failure(.candidate(let reason)):
          feedback.append("\(source.name): \(reason); every check on it fails.")
          continue
        case .failure(.grader(let reason)):
          return .error(reason)
        }
      }
      for check in checks {
        let onSource = check.set == .wellFormed || lines == nil
        let problems = check.run(onSource ? page : shown, site)
        if problems.isEmpty {
          earned += 1
          continue
        }
        let failure = Self.failure(check, page: source.name, problems: problems, lines: onSource ? nil : lines)
        failures.append(failure)
        feedback += Self.feedback(failure, found: problems.count)
      }
      for assertion in configuration.assertions {
        switch Self.holds(assertion, on: shown) {
        case .success(nil):
          earned += assertion.points
        case .success(let found?):
          feedback.append("\(source.name): \(assertion.message)" + (found.isEmpty ? "" : " (found \(found))"))
        case .failure(let message):
          return .error("assertion '\(assertion.id)' cannot be evaluated: \(message)")
        }
      }
    }
    let level = mapping.level(count: earned, of: possible)
    let summary =
      "\(earned.compact) of \(possible.compact) check points passed on \(pages.count) page\(pages.count == 1 ? "" : "s")"
      + (renderer == nil ? "" : " (after scripts ran)")
    return .scored(level, summary: summary, feedback: feedback, failedChecks: failures)
  }

  /// A failed check's problems, at most `CheckFailure.problemLimit` of them, each at its file line; with
  /// `lines` (the page as the browser built it), at the file line its DOM line maps to, or else at its DOM line.
  static func failure(_ check: WebCheck, page: String, problems: [WebCheck.Problem], lines: DOMLineMap?)
    -> CheckFailure
  {
    let listed = problems.prefix(CheckFailure.problemLimit).map { problem in
      let advice = problem.advice ?? check.advice
      guard let lines, problem.line > 0 else {
        return CheckFailure.Problem(
          line: problem.line > 0 ? problem.line : nil, message: problem.message, advice: advice)
      }
      if let fileLine = lines.fileLine(of: problem) {
        return CheckFailure.Problem(line: fileLine, message: problem.message, advice: advice)
      }
      return CheckFailure.Problem(line: nil, domLine: problem.line, message: problem.message, advice: advice)
    }
    return CheckFailure(
      check: check.id, page: page, title: check.title, problems: Array(listed), unlisted: problems.count - listed.count)
  }

  /// The feedback lines of a failed check: its first `problemsShown` problems, how many more, and each
  /// distinct piece of advice once.
  static func feedback(_ failure: CheckFailure, found: Int) -> [String] {
    var lines: [String] = []
    for problem in failure.problems.prefix(problemsShown) {
      let place: String
      if let line = problem.line {
        place = "\(failure.page):\(line)"
      } else if let domLine = problem.domLine {
        place = "\(failure.page) (line \(domLine) of the page as the browser built it, not a line of the file)"
      } else {
        place = failure.page
      }
      lines.append("\(place): \(failure.title): \(problem.message).")
    }
    if found > problemsShown {
      let listed = found > CheckFailure.problemLimit ? "the first \(CheckFailure.problemLimit)" : "them all"
      lines.append("\(failure.page): … and \(found - problemsShown) more like it (the JSON report lists \(listed)).")
    }
    var advised = Set<String>()
    for problem in failure.problems where advised.insert(problem.advice).inserted {
      lines.append("  → \(problem.advice)")
    }
    return lines
  }

  /// The pages named by `pages`: each a file, or a folder meaning every `.html` below it (sorted).
  static func pages(_ pages: [String], root: String, relativeRoot: String, site: WebSite) -> [PageSource] {
    var found: [PageSource] = []
    func name(_ relative: String) -> String {
      relativeRoot.isEmpty ? relative : (relativeRoot as NSString).appendingPathComponent(relative)
    }
    for page in pages {
      let full = (root as NSString).appendingPathComponent(page)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue {
        let prefix = WebSite.absolute(full) + "/"
        let below = site.files.filter {
          $0.hasPrefix(prefix) && ($0.lowercased().hasSuffix(".html") || $0.lowercased().hasSuffix(".htm"))
        }.map { String($0.dropFirst(prefix.count)) }.sorted()
        let relative = page.hasSuffix("/") ? String(page.dropLast()) : page
        found += below.map {
          PageSource(name: name(relative == "." ? $0 : relative + "/" + $0), fullPath: full + "/" + $0)
        }
      } else {
        found.append(PageSource(name: name(page), fullPath: full))
      }
    }
    return found
  }

  /// nil when the assertion holds on the page, else what was found; a failure when the XPath cannot be evaluated.
  static func holds(_ assertion: WebConfiguration.Assertion, on page: WebPage) -> Result<String?, MarkupError> {
    let expression: String
    switch assertion.test {
    case .xpath(let xpath): expression = xpath
    case .selector(let selector):
      guard let xpath = CSSSelector.xpath(for: selector) else {
        return .failure(.xpath(expression: selector, message: "not a supported selector"))
      }
      expression = xpath
    }
    let counted =
      assertion.minimum != nil || assertion.maximum != nil
      || { if case .selector = assertion.test { true } else { false } }()
    do {
      if counted {
        guard case .number(let value) = try page.document.evaluate("count(\(expression))") else {
          return .failure(.xpath(expression: expression, message: "does not select elements"))
        }
        let count = Int(value)
        let minimum = assertion.minimum ?? (assertion.maximum == nil ? 1 : 0)
        let fits = count >= minimum && count <= (assertion.maximum ?? Int.max)
        return .success(fits ? nil : "\(count)")
      }
      return .success(try page.document.evaluate(expression).isTrue ? nil : "")
    } catch let error as MarkupError {
      return .failure(error)
    } catch {
      return .failure(.xpath(expression: expression, message: "\(error)"))
    }
  }

  static func describe(_ error: Error, page: String) -> String {
    switch error {
    case MarkupError.tooLarge(_, let limit): return "the page is larger than \(limit >> 20) MiB"
    case MarkupError.unreadable(_, let reason) where reason.contains("No such file") || reason.contains("exist"):
      return "the page is not in the submission"
    case MarkupError.unreadable(_, let reason): return "the page cannot be read (\(reason))"
    default: return "the page cannot be parsed as HTML"
    }
  }
}
