/// `checklist`: statements the candidate affirms, some required, some needing
/// an attached file; the share (or count) affirmed maps to a level.
public struct ChecklistConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "checklist", summary: "Items the candidate affirms or the evidence shows; required items.",
    examples: [
      .valid(
        """
        <evaluator kind="checklist">
          <check id="privacy" required="true">I removed student names from every artifact.</check>
          <check id="sources" attachment="required">My lesson cites at least two sources.</check>
          <level-at affirmed="2" level="proficient"/>
          <level-at affirmed="1" level="developing"/>
        </evaluator>
        """),
      .invalid(
        """
        <evaluator kind="checklist" strict="yes">
          <check id="a">One</check>
          <check id="a" attachment="maybe">Two</check>
          <level-at affirmed="3" level="proficient"/>
        </evaluator>
        """, "evaluator-config", "duplicate-id", "evaluator-config", "policy-unreachable"),
    ])

  public enum Attachment: String, Sendable, Hashable, CaseIterable {
    case none, optional, required
  }

  public struct Check: Sendable, Hashable {
    public var id: String
    public var statement: String
    public var required: Bool
    public var attachment: Attachment
    public var location: Location
  }

  public var checks: [Check]
  public var mapping: LevelMapping?

  public init(reading reader: ConfigurationReader) {
    let readers = reader.children("check")
    reader.requireUniqueIDs(readers)
    checks = readers.compactMap { check in
      let id = check.requiredString("id")
      let required = check.boolean("required", default: false)
      let attachment = check.choice("attachment", default: Attachment.none)
      let statement = check.element.normalizedText
      if statement.isEmpty { check.report("<check> needs the statement the candidate affirms as its text") }
      guard let id else { return nil }
      return Check(
        id: id, statement: statement, required: required, attachment: attachment, location: check.element.location)
    }
    if readers.isEmpty { reader.report("a checklist needs at least one <check>") }
    mapping = reader.levelMapping(attribute: "affirmed", total: readers.count, noun: "checks")
  }

  public var reachableLevels: Set<String>? { mapping?.reachableLevels }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    var lines = checks.map { check in
      var notes: [String] = []
      if check.required { notes.append("required") }
      if check.attachment == .required { notes.append("attach a file that shows it") }
      return "☐ \(check.statement)" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
    }
    lines += mapping?.explanation(levels: levels, noun: "checks are affirmed") ?? []
    if checks.contains(where: \.required) { lines.append("A required check left unaffirmed gives the lowest level.") }
    return lines
  }
}
