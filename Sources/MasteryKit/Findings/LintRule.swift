/// A rule a finding can come from: a stable id (never renamed: CI
/// configurations and SARIF viewers key on it), a default severity, a
/// one-line summary and help that says how to fix it.
public struct LintRule: Sendable, Hashable, Identifiable {
  public let id: String
  public let severity: Finding.Severity
  public let summary: String
  public let help: String

  public init(id: String, severity: Finding.Severity, summary: String, help: String) {
    self.id = id
    self.severity = severity
    self.summary = summary
    self.help = help
  }
}
