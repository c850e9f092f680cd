public import LibXML

/// A place in a source file; see `SourceLocation`.
public typealias Location = SourceLocation

/// Something a check found in an input file.
///
/// A rule, a severity, a message that says what to do, and the exact place:
/// a value, not an exception.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case note
    case warning
    case error

    private var rank: Int {
      switch self {
      case .note: 0
      case .warning: 1
      case .error: 2
      }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  public var ruleID: String
  public var severity: Severity
  public var message: String
  public var location: Location

  public init(rule: LintRule, message: String, at location: Location, severity: Severity? = nil) {
    self.ruleID = rule.id
    self.severity = severity ?? rule.severity
    self.message = message
    self.location = location
  }

  enum CodingKeys: String, CodingKey {
    case ruleID = "rule"
    case severity, message, location
  }

  /// `file:line:column: severity: message [rule-id]`, the form compilers use.
  public var description: String {
    "\(location): \(severity.rawValue): \(message) [\(ruleID)]"
  }
}
