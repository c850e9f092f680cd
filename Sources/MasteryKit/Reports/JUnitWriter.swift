/// `mastery grade --format junit`.
///
/// JUnit XML as Jenkins, GitLab and GitHub test reporters read it. One testsuite per submission,
/// one testcase per criterion (plus the weighted total when the policy sets a threshold): below its
/// required level is a `failure`, a grader error an `error`, pending review `skipped`. An invalid
/// submission is one testcase with an `error`.
public struct JUnitWriter: GradeReportWriter {
  public init() {}

  public mutating func begin() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mastery\">\n"
  }

  private func attribute(_ name: String, _ value: String) -> String {
    " \(name)=\"\(XMLText.escape(value))\""
  }

  public mutating func write(_ report: GradeReport) -> String {
    switch report {
    case .invalid(let invalid):
      let name = "\(invalid.credential ?? "unknown credential"): \(invalid.candidate?.id ?? invalid.path)"
      let body = (invalid.reasons + invalid.findings.map(\.description)).joined(separator: "\n")
      return "  <testsuite" + attribute("name", name) + attribute("tests", "1") + attribute("failures", "0")
        + attribute("errors", "1") + attribute("skipped", "0") + attribute("file", invalid.path) + ">\n"
        + "    <testcase" + attribute("classname", invalid.credential ?? "mastery")
        + attribute("name", "submission manifest")
        + ">\n      <error" + attribute("type", "invalid-input")
        + attribute("message", invalid.reasons.first ?? "invalid input")
        + ">" + XMLText.escape(body) + "</error>\n    </testcase>\n  </testsuite>\n"
    case .decided(let decision):
      return suite(decision)
    }
  }

  private func suite(_ decision: Decision) -> String {
    let classname = "\(decision.credential.id)"
    var cases: [String] = []
    var failures = 0
    var errors = 0
    var skipped = 0
    for result in decision.criteria {
      var body = ""
      let details = ([result.summary].compactMap { $0 } + result.feedback).joined(separator: "\n")
      switch result.status {
      case .error:
        errors += 1
        body = "<error" + attribute("type", "grader-error") + attribute("message", result.message ?? "") + "/>"
      case .pending:
        skipped += 1
        body = "<skipped" + attribute("message", result.message ?? "pending") + "/>"
      case .scored where result.meetsRequirement == false:
        failures += 1
        let message = "\(result.levelLabel ?? "?"); this credential needs \(result.requiredLabel ?? "more")"
        var text = details
        if let descriptor = result.descriptor, let label = result.levelLabel { text += "\n\(label): \(descriptor)" }
        if let next = result.nextLevel, let descriptor = next.descriptor {
          text += "\nTo reach \(next.label): \(descriptor)"
        }
        body =
          "<failure" + attribute("type", "not-yet") + attribute("message", message) + ">" + XMLText.escape(text)
          + "</failure>"
      case .scored:
        body =
          "<system-out>" + XMLText.escape("\(result.levelLabel ?? "?")" + (details.isEmpty ? "" : "\n" + details))
          + "</system-out>"
      }
      cases.append(
        "    <testcase" + attribute("classname", classname) + attribute("name", result.title) + ">\n      " + body
          + "\n    </testcase>\n")
    }
    let total = decision.total
    if let required = total.required, let meets = total.meetsRequirement {
      let summary =
        "\(PolicyEvaluation.percent(of: total)) (\(total.points.compact) of \(total.maximum.compact) points)"
      let body: String
      if decision.criteria.contains(where: { $0.status != .scored }) {
        skipped += 1
        body = "<skipped" + attribute("message", "the total waits for every criterion") + "/>"
      } else if meets {
        body = "<system-out>" + XMLText.escape(summary) + "</system-out>"
      } else {
        failures += 1
        body =
          "<failure" + attribute("type", "not-yet")
          + attribute("message", "\(summary); this credential needs \(required)") + "/>"
      }
      cases.append(
        "    <testcase" + attribute("classname", classname) + attribute("name", "Weighted total") + ">\n      " + body
          + "\n    </testcase>\n")
    }
    let name =
      "\(decision.credential.id) \(decision.credential.version): \(decision.submission.candidate.id) attempt \(decision.submission.attempt)"
    var head = "  <testsuite" + attribute("name", name) + attribute("tests", String(cases.count))
    head += attribute("failures", String(failures)) + attribute("errors", String(errors))
    head += attribute("skipped", String(skipped)) + attribute("timestamp", decision.gradedAt)
    head += attribute("file", decision.submission.path) + ">\n"
    var properties = "    <properties>\n"
    properties +=
      "      <property" + attribute("name", "outcome") + attribute("value", decision.outcome.rawValue) + "/>\n"
    for (index, reason) in decision.reasons.enumerated() {
      properties += "      <property" + attribute("name", "reason.\(index + 1)") + attribute("value", reason) + "/>\n"
    }
    properties +=
      "      <property" + attribute("name", "rubric.sha256") + attribute("value", decision.credential.rubricSHA256)
      + "/>\n"
    properties += "    </properties>\n"
    return head + properties + cases.joined() + "  </testsuite>\n"
  }

  public mutating func end() -> String { "</testsuites>\n" }
}
