/// The rules every XML document of ours is held to before its meaning is
/// checked: readable, small enough, well-formed, no DOCTYPE, the right root,
/// valid against its schema.
public enum DocumentRules {
  public static let unreadable = LintRule(
    id: "xml-unreadable", severity: .error, summary: "The file cannot be read.",
    help: "Check the path and the file's permissions.")
  public static let tooLarge = LintRule(
    id: "xml-too-large", severity: .error, summary: "The file is larger than a document of its kind can be.",
    help: "Rubrics and manifests are small text files; check that the path names the document and not an artifact.")
  public static let malformed = LintRule(
    id: "xml-malformed", severity: .error, summary: "The file is not well-formed XML.",
    help: "Fix the XML at the place named: a tag not closed, a stray '&' or '<', invalid UTF-8, an empty file.")
  public static let doctype = LintRule(
    id: "xml-doctype", severity: .error, summary: "The document has a DOCTYPE.",
    help:
      "Remove the <!DOCTYPE ...> declaration. Rubrics, manifests and reviews never need one, and DOCTYPEs can make a parser read files or expand entities without bound."
  )
  public static let wrongRoot = LintRule(
    id: "wrong-root", severity: .error, summary: "The root element is not the one expected.",
    help:
      "A rubric starts with <microcredential xmlns=\"urn:mastery:rubric:1\" ...>; a submission manifest with <submission xmlns=\"urn:mastery:submission:1\" ...>."
  )
  public static let schema = LintRule(
    id: "schema", severity: .error, summary: "The document does not follow its schema.",
    help:
      "Compare the element with `mastery schema rubric` (or `submission`) and docs/: element order, required attributes, allowed values."
  )

  /// All document rules, in documentation order.
  public static let all: [LintRule] = [unreadable, tooLarge, malformed, doctype, wrongRoot, schema]
}
