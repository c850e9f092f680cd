/// Every rule a submission manifest is checked against, beyond `DocumentRules`.
public enum SubmissionRules {
  public static let credentialMismatch = LintRule(
    id: "credential-mismatch", severity: .error, summary: "The manifest names another credential than the rubric.",
    help: "Check the manifest's credential attribute, or grade it with the rubric it names.")
  public static let versionMismatch = LintRule(
    id: "version-mismatch", severity: .error,
    summary: "The manifest's credential version differs from the rubric's.",
    help:
      "A different MAJOR version is an error (the rubric changed in ways that can change decisions); a different MINOR or PATCH version is a warning."
  )
  public static let unknownEvidence = LintRule(
    id: "unknown-evidence", severity: .error, summary: "An answer names an evidence item the rubric does not ask for.",
    help: "Use one of the ids of the <item> elements under <evidence> in the rubric file.")
  public static let evidenceAnswer = LintRule(
    id: "evidence-answer", severity: .error, summary: "An answer gives the wrong kind of location.",
    help: "Answer file, folder and text items with path=\"...\" and url items with url=\"...\", exactly one of them.")
  public static let duplicateAnswer = LintRule(
    id: "duplicate-answer", severity: .error, summary: "Two answers or affirmations for the same thing.",
    help: "Give each evidence item one answer, each checklist one <checklist>, each check one <affirm>.")
  public static let unknownCheck = LintRule(
    id: "unknown-check", severity: .error,
    summary: "A checklist answer names a criterion or check the rubric does not have.",
    help:
      "Use the id of a criterion whose evaluator is a checklist, and the ids of its <check> elements, as the rubric file writes them."
  )
  public static let unsafePath = LintRule(
    id: "unsafe-path", severity: .error, summary: "A path is absolute or leaves the submission folder.",
    help:
      "Write paths relative to the submission folder, with '/' between folders: no leading '/' or '~', no '..', no '\\'."
  )
  public static let symlink = LintRule(
    id: "symlink", severity: .error, summary: "The manifest or evidence is, or passes through, a symbolic link.",
    help: "Replace the link with the file itself: links can point outside the submission.")
  public static let missingEvidence = LintRule(
    id: "missing-evidence", severity: .warning, summary: "A path in the manifest names nothing in the submission.",
    help: "Add the file, or fix the path; criteria that need missing evidence are not yet met.")
  public static let wrongKind = LintRule(
    id: "wrong-kind", severity: .warning, summary: "Evidence is a file where a folder is asked for, or the reverse.",
    help: "Answer a folder item with a folder and a file or text item with a file.")

  /// All rules a manifest is checked against, in documentation order.
  public static let all: [LintRule] =
    DocumentRules.all + [
      credentialMismatch, versionMismatch, unknownEvidence, evidenceAnswer, duplicateAnswer, unknownCheck, unsafePath,
      symlink, missingEvidence, wrongKind,
    ]
}
