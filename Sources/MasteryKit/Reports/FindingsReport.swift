import Foundation

/// The findings of `mastery validate` over many files, rendered for people
/// (text), programs (JSON), code-scanning tools (SARIF 2.1.0) and GitHub
/// Actions (workflow commands).
public struct FindingsReport: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case text, json, sarif, github
  }

  public struct File: Sendable {
    public var path: String
    public var rubricID: String?
    public var version: String?
    public var findings: [Finding]

    public init(path: String, rubricID: String? = nil, version: String? = nil, findings: [Finding]) {
      self.path = path
      self.rubricID = rubricID
      self.version = version
      self.findings = findings
    }

    public var isValid: Bool { !findings.contains { $0.severity == .error } }
  }

  public var files: [File]
  public var rules: [LintRule]
  public var toolVersion: String

  public init(files: [File], rules: [LintRule] = RubricRules.all, toolVersion: String = MasteryVersion.current) {
    self.files = files
    self.rules = rules
    self.toolVersion = toolVersion
  }

  /// The same report with every warning raised to an error (`--strict`).
  public func strict() -> FindingsReport {
    var copy = self
    for index in copy.files.indices {
      for finding in copy.files[index].findings.indices where copy.files[index].findings[finding].severity == .warning {
        copy.files[index].findings[finding].severity = .error
      }
    }
    return copy
  }

  public var errorCount: Int { files.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count } }
  public var warningCount: Int { files.reduce(0) { $0 + $1.findings.filter { $0.severity == .warning }.count } }
  public var isValid: Bool { errorCount == 0 }

  /// One line for people: how many files, errors and warnings.
  public var summary: String {
    let noun = files.count == 1 ? "rubric" : "rubrics"
    if errorCount == 0, warningCount == 0 { return "\(files.count) \(noun) valid" }
    let invalid = files.filter { !$0.isValid }.count
    return
      "\(plural(errorCount, "error")), \(plural(warningCount, "warning")); \(invalid) of \(files.count) \(noun) invalid"
  }

  /// The report in `format`, ending with a newline (empty text when nothing was found).
  public func render(_ format: Format) -> String {
    switch format {
    case .text: return files.flatMap(\.findings).map { "\($0)\n" }.joined()
    case .github: return files.flatMap(\.findings).map(Self.githubAnnotation).joined()
    case .json: return JSONOutput.encode(jsonDocument)
    case .sarif: return JSONOutput.encode(sarifDocument)
    }
  }

  // MARK: JSON

  struct JSONDocument: Encodable {
    struct FileEntry: Encodable {
      var path: String
      var valid: Bool
      var rubric: RubricEntry?
      var findings: [FindingEntry]
    }

    struct RubricEntry: Encodable {
      var id: String
      var version: String
    }

    struct FindingEntry: Encodable {
      var rule: String
      var severity: String
      var message: String
      var file: String
      var line: Int
      var column: Int
    }

    struct Summary: Encodable {
      var files: Int
      var errors: Int
      var warnings: Int
      var valid: Bool
    }

    var tool: String
    var version: String
    var files: [FileEntry]
    var summary: Summary
  }

  private var jsonDocument: JSONDocument {
    JSONDocument(
      tool: "mastery", version: toolVersion,
      files: files.map { file in
        JSONDocument.FileEntry(
          path: file.path, valid: file.isValid,
          rubric: file.rubricID.map { JSONDocument.RubricEntry(id: $0, version: file.version ?? "") },
          findings: file.findings.map {
            JSONDocument.FindingEntry(
              rule: $0.ruleID, severity: $0.severity.rawValue, message: $0.message, file: $0.location.file,
              line: $0.location.line, column: $0.location.column)
          })
      },
      summary: .init(files: files.count, errors: errorCount, warnings: warningCount, valid: isValid))
  }

  // MARK: SARIF 2.1.0

  struct SARIF: Encodable {
    struct Run: Encodable {
      var tool: Tool
      var results: [Result]
    }

    struct Tool: Encodable {
      var driver: Driver
    }

    struct Driver: Encodable {
      var name: String
      var version: String
      var rules: [Rule]
    }

    struct Rule: Encodable {
      var id: String
      var shortDescription: Text
      var help: Text
      var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable {
      var level: String
    }

    struct Text: Encodable {
      var text: String
    }

    struct Result: Encodable {
      var ruleId: String
      var ruleIndex: Int?
      var level: String
      var message: Text
      var locations: [ResultLocation]
    }

    struct ResultLocation: Encodable {
      var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
      var artifactLocation: ArtifactLocation
      var region: Region?
    }

    struct ArtifactLocation: Encodable {
      var uri: String
    }

    struct Region: Encodable {
      var startLine: Int
      var startColumn: Int?
    }

    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
      case schema = "$schema"
      case version, runs
    }
  }

  private var sarifDocument: SARIF {
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let driver = SARIF.Driver(
      name: "mastery", version: toolVersion,
      rules: rules.map {
        SARIF.Rule(
          id: $0.id, shortDescription: .init(text: $0.summary), help: .init(text: $0.help),
          defaultConfiguration: .init(level: $0.severity.rawValue))
      })
    let results = files.flatMap(\.findings).map { finding in
      let location = finding.location
      let region =
        location.line > 0
        ? SARIF.Region(startLine: location.line, startColumn: location.column > 0 ? location.column : nil) : nil
      return SARIF.Result(
        ruleId: finding.ruleID, ruleIndex: index[finding.ruleID], level: finding.severity.rawValue,
        message: .init(text: finding.message),
        locations: [
          SARIF.ResultLocation(
            physicalLocation: .init(artifactLocation: .init(uri: Self.uri(location.file)), region: region))
        ])
    }
    return SARIF(runs: [SARIF.Run(tool: SARIF.Tool(driver: driver), results: results)])
  }

  /// A relative path as a URI reference (percent-encoded, forward slashes).
  static func uri(_ path: String) -> String {
    var trimmed = path
    while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
    let encoded = trimmed.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? trimmed
    return path.hasPrefix("/") ? "file://" + encoded : encoded
  }

  // MARK: GitHub workflow commands

  /// A finding as a workflow command at its file, line and column (`mastery validate` and `mastery grade` share it).
  static func githubAnnotation(_ finding: Finding) -> String {
    let command: String
    switch finding.severity {
    case .error: command = "error"
    case .warning: command = "warning"
    case .note: command = "notice"
    }
    var properties = ["file=\(Self.escapeProperty(finding.location.file))"]
    if finding.location.line > 0 { properties.append("line=\(finding.location.line)") }
    if finding.location.column > 0 { properties.append("col=\(finding.location.column)") }
    properties.append("title=\(Self.escapeProperty(finding.ruleID))")
    return "::\(command) \(properties.joined(separator: ","))::\(Self.escapeData(finding.message))\n"
  }

  static func escapeData(_ text: String) -> String {
    text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
  }

  static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }
}

func plural(_ count: Int, _ noun: String) -> String {
  "\(count) \(noun)\(count == 1 ? "" : "s")"
}
