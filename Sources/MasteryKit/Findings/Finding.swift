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

extension Finding {
  /// The most findings of one rule listed for one document; the rest are counted.
  public static let perRuleLimit = 100
}

extension [Finding] {
  /// At most `limit` findings of each rule, in their order; the rest of a rule become one
  /// finding, at the first of them, that says how many more there are. A document with
  /// thousands of the same mistake stays readable, and checking it stays linear.
  public func cappedPerRule(_ limit: Int = Finding.perRuleLimit) -> [Finding] {
    var seen: [String: Int] = [:]
    var firstLeftOut: [String: Int] = [:]
    var kept: [Finding] = []
    for finding in self {
      let count = seen[finding.ruleID, default: 0]
      seen[finding.ruleID] = count + 1
      if count < limit {
        kept.append(finding)
      } else if count == limit {
        firstLeftOut[finding.ruleID] = kept.count
        kept.append(finding)
      }
    }
    for (rule, index) in firstLeftOut {
      let more = (seen[rule] ?? 0) - limit
      kept[index].message = "\(more) more \(more == 1 ? "finding" : "findings") like those above, not listed one by one (the first \(limit) are)"
    }
    return kept
  }
}
