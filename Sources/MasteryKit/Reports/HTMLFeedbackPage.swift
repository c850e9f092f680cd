import Foundation

/// `mastery grade --format html`: the candidate's feedback page. One
/// self-contained HTML document (no scripts, no external resources) with,
/// per submission: the decision and its reasons, each criterion's level,
/// descriptor, feedback and what the next level asks for, and for an earned
/// decision what the credential is (and, when one was issued with the page,
/// its file and how anyone can verify it).
///
/// Written to pass the engine's own `web` checks (well-formed, accessibility,
/// links, responsive), readable on a phone, and printable.
public struct HTMLFeedbackPage: GradeReportWriter {
  /// A credential issued for the decision a page shows (`mastery batch --issue` writes both).
  public struct IssuedCredential: Sendable, Hashable {
    /// The credential's file name, as the candidate receives it (`digital-literacy-rusd-t-0142-2.jwt`).
    public var file: String

    public init(file: String) {
      self.file = file
    }
  }

  private var index = 0

  public init() {}

  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in XMLText.escape(text).unicodeScalars {
      if scalar == "'" { out += "&#39;" } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }

  static let style = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: #1a1a1a;
      background: #ffffff; margin: 0; }
    main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
    h1 { font-size: 1.6rem; margin: 0 0 1rem; }
    h2 { font-size: 1.35rem; margin: 2rem 0 0.25rem; border-top: 2px solid #d0d0d0; padding-top: 1.25rem; }
    h3 { font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
    .who { margin: 0 0 0.75rem; color: #404040; }
    .decision { font-size: 1.15rem; padding: 0.75rem 1rem; border-radius: 6px; border-left: 6px solid; }
    .earned { background: #e8f5e9; border-color: #1b5e20; }
    .not-yet { background: #fff8e1; border-color: #7a5300; }
    .pending { background: #e3f2fd; border-color: #0d47a1; }
    .error, .invalid { background: #fdecea; border-color: #8e1b10; }
    .criterion { border: 1px solid #d0d0d0; border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
    .meets { color: #1b5e20; }
    .short { color: #8e1b10; }
    .feedback { padding-left: 1.25rem; }
    .feedback li { margin: 0.25rem 0; overflow-wrap: anywhere; }
    .next { background: #f4f4f4; padding: 0.5rem 0.75rem; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid #d0d0d0; vertical-align: top; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; overflow-wrap: anywhere; }
    @media (max-width: 600px) {
      main { padding: 1rem 0.75rem 2rem; }
      h1 { font-size: 1.35rem; }
      table, tr, td, th { display: block; }
      tr { margin-bottom: 0.5rem; }
    }
    @media print {
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      .criterion { break-inside: avoid; }
      details { display: block; }
      details > summary { display: none; }
    }
    """

  public mutating func begin() -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Feedback on your microcredential submission</title>
    <style>
    \(Self.style)
    </style>
    </head>
    <body>
    <main>
    <h1>Feedback on your microcredential submission</h1>

    """
  }

  public mutating func write(_ report: GradeReport) -> String {
    write(report, issued: nil)
  }

  /// One submission's part of the page.
  ///
  /// - Parameters:
  ///   - report: The submission's report.
  ///   - issued: The credential issued for its decision, if one was: only then does the page name
  ///     a credential file and how to verify it.
  /// - Returns: The HTML of one `<article>`.
  public mutating func write(_ report: GradeReport, issued: IssuedCredential?) -> String {
    index += 1
    let id = "submission-\(index)"
    switch report {
    case .invalid(let invalid):
      var lines = [
        "<article aria-labelledby=\"\(id)\">",
        "<h2 id=\"\(id)\">\(Self.escape(invalid.credential ?? "A submission")) could not be graded</h2>",
        "<p class=\"who\">\(Self.escape(invalid.candidate?.display ?? invalid.path))</p>",
        "<p class=\"decision invalid\"><strong>Not graded:</strong> the submission needs fixing first.</p>",
        "<ul class=\"feedback\">",
      ]
      lines += (invalid.reasons + invalid.findings.filter { $0.severity == .error }.map(\.description)).map {
        "<li>\(Self.escape($0))</li>"
      }
      lines += ["</ul>", "</article>", ""]
      return lines.joined(separator: "\n")
    case .decided(let decision):
      return article(decision, id: id, issued: decision.outcome == .earned ? issued : nil)
    }
  }

  private func article(_ decision: Decision, id: String, issued: IssuedCredential?) -> String {
    let credential = "\(decision.credential.title) \(decision.credential.version)"
    // A decision no review can make earned is already not-yet (PolicyEvaluation), with its
    // waiting reviews as feedback to come.
    let outcome = decision.outcome
    let reviewsToCome = decision.criteria.contains { $0.status == .pending }
    let banner: String
    switch outcome {
    case .earned: banner = "<strong>Earned.</strong> Congratulations: you have demonstrated this competency."
    case .notYet:
      banner =
        "<strong>Not yet.</strong> Your work is not at the level this credential asks for yet; the notes below say what to do."
        + (reviewsToCome ? " A reviewer's feedback on part of your work is still to come." : "")
    case .pending: banner = "<strong>Waiting for review.</strong> A reviewer still has to score part of your work."
    case .error:
      banner =
        "<strong>Not decided.</strong> The grader could not judge part of your work. This is not your fault; the team will grade it again."
    }
    let total = decision.total
    var lines = [
      "<article aria-labelledby=\"\(id)\">",
      "<h2 id=\"\(id)\">\(Self.escape(credential))</h2>",
      "<p class=\"who\">\(Self.escape(decision.submission.candidate.display)), attempt \(decision.submission.attempt), submitted \(Self.time(decision.submission.submitted)); graded \(Self.time(decision.gradedAt))</p>",
      "<p class=\"decision \(outcome.rawValue)\">\(banner) Total: \(Self.escape(PolicyEvaluation.percent(of: total))) (\(total.points.compact) of \(total.maximum.compact) points)\(total.required.map { ", \(Self.escape($0)) needed" } ?? "").</p>",
      "<h3>Why</h3>",
      "<ul class=\"feedback\">",
    ]
    lines += decision.reasons.map { "<li>\(Self.escape($0))</li>" }
    lines.append("</ul>")
    if let heading = decision.progressHeading {
      lines.append("<h3>\(Self.escape(heading))</h3>")
      lines.append("<ul class=\"progress\">")
      lines += decision.progress.map { "<li>\(Self.escape($0))</li>" }
      lines.append("</ul>")
    }
    if let left = decision.attemptsLeftSentence { lines.append("<p class=\"attempts\">\(Self.escape(left))</p>") }
    for result in decision.criteria {
      lines.append("<section class=\"criterion\" aria-label=\"\(Self.escape(result.title))\">")
      lines.append("<h3>\(Self.escape(result.title))</h3>")
      switch result.status {
      case .scored:
        // Which level was reached and which is required, each named as such: "(meets Developing)"
        // after "Proficient" read as if Developing had been reached.
        var required = ""
        if let meets = result.meetsRequirement {
          let label = Self.escape(result.requiredLabel ?? result.requiredLevel ?? "")
          required =
            meets
            ? " · required: \(label) — <span class=\"meets\">met</span>"
            : " · required: \(label) — <span class=\"short\">not met yet</span>"
        }
        lines.append(
          "<p><strong>Reached: \(Self.escape(result.levelLabel ?? result.level ?? ""))</strong>, \((result.points ?? 0).compact) of \(result.maximumPoints.compact) points\(required)</p>"
        )
        if let descriptor = result.descriptor {
          lines.append("<p>What this level looks like: \(Self.escape(descriptor))</p>")
        }
      case .pending:
        lines.append(
          "<p><strong>Feedback to come:</strong> this part is still with the reviewers\(result.message.map { ": \(Self.escape($0))" } ?? "").</p>"
        )
      case .error:
        lines.append(
          "<p><strong>Not judged:</strong> the grader could not judge this part (\(Self.escape(result.message ?? "an error"))). This is not your fault.</p>"
        )
      }
      let notes = [result.summary].compactMap { $0 } + result.feedback
      if !notes.isEmpty {
        lines.append("<ul class=\"feedback\">")
        lines += notes.map { "<li>\(Self.escape($0))</li>" }
        lines.append("</ul>")
      }
      if let next = result.nextLevel {
        // Only a descriptor the rubric has is pointed at; without one, the level is named plainly.
        lines.append(
          next.descriptor.map {
            "<p class=\"next\"><strong>To reach \(Self.escape(next.label)):</strong> \(Self.escape($0))</p>"
          } ?? "<p class=\"next\"><strong>Next level up:</strong> \(Self.escape(next.label)).</p>"
        )
      }
      lines.append("</section>")
    }
    if outcome == .earned {
      let earned =
        "You earned <strong>\(Self.escape(decision.credential.title))</strong> (version \(Self.escape(decision.credential.version)))."
      let contents =
        "It names each criterion's level and the SHA-256 fingerprint of every file that was judged, so anyone can check it against your files."
      lines.append("<h3>Your credential</h3>")
      if let issued {
        let file = Self.escape(issued.file)
        lines += [
          "<p>\(earned) Your credential is the file <code>\(file)</code>: an Open Badges 3.0 credential, signed with the issuer's key, that you can add to a badge wallet or share. \(contents)</p>",
          "<p>To check it: <code>mastery verify \(file) --key ISSUER-PUBLIC-KEY --evidence YOUR-SUBMISSION-FOLDER</code>. It says whether the signature, dates and files all match.</p>",
        ]
      } else {
        // No credential exists yet: nothing to verify, so no command; say what comes next.
        lines.append(
          "<p>\(earned) What you receive next is the credential itself, from the issuer: an Open Badges 3.0 credential, signed with the issuer's key, that you can add to a badge wallet or share. \(contents)</p>"
        )
      }
    }
    lines += [
      "<details>",
      "<summary>The \(decision.evidence.count) file\(decision.evidence.count == 1 ? "" : "s") judged, and the rubric</summary>",
      "<table>",
      "<caption>Each file with its SHA-256 fingerprint</caption>",
      "<tr><th scope=\"col\">File</th><th scope=\"col\">SHA-256</th></tr>",
    ]
    lines += decision.evidence.map {
      "<tr><td>\(Self.escape($0.path))</td><td><code>\(Self.escape($0.sha256))</code></td></tr>"
    }
    lines += [
      "<tr><td>rubric \(Self.escape(decision.credential.id)) \(Self.escape(decision.credential.version))</td><td><code>\(Self.escape(decision.credential.rubricSHA256))</code></td></tr>",
      "</table>",
      "</details>",
      "</article>",
      "",
    ]
    return lines.joined(separator: "\n")
  }

  /// A time for people ("1 December 2026") in a `<time>` element that keeps the timestamp.
  ///
  /// Text that is not an ISO 8601 date or time is shown as it is.
  static func time(_ timestamp: String) -> String {
    guard let date = humanDate(timestamp) else { return escape(timestamp) }
    return "<time datetime=\"\(escape(timestamp))\">\(date)</time>"
  }

  private static let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]

  /// The date a timestamp names, for people: "1 December 2026".
  ///
  /// The day, the English month name and the year, the same on every machine and in every locale:
  /// the date in UTC for a time in UTC (`Z`, as the engine writes them), and the date as written
  /// for a time with another offset (`2026-11-17T22:58:00-08:00` was 17 November where the
  /// candidate submitted it) or none.
  ///
  /// - Parameter timestamp: An ISO 8601 date (`2026-12-01`) or time (`2026-12-01T10:30:00Z`).
  /// - Returns: The date in words, or nil when `timestamp` is neither.
  static func humanDate(_ timestamp: String) -> String? {
    let parts = timestamp.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    guard parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
    else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    var valid = timestamp.count == 10 && formatter.date(from: timestamp) != nil
    // A time: with an offset, or without one (read as if in UTC, only to check it is a time).
    for options: ISO8601DateFormatter.Options in [
      [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
    ] where !valid && timestamp.count > 10 {
      formatter.formatOptions = options
      valid = formatter.date(from: timestamp) != nil || formatter.date(from: timestamp + "Z") != nil
    }
    // The formatter rolls 30 February over into March; the date must be one the calendar has.
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
    guard valid, DateComponents(calendar: calendar, year: year, month: month, day: day).isValidDate else {
      return nil
    }
    return "\(day) \(months[month - 1]) \(year)"
  }

  public mutating func end() -> String {
    "<p class=\"who\">Written by mastery \(MasteryVersion.current).</p>\n</main>\n</body>\n</html>\n"
  }
}
