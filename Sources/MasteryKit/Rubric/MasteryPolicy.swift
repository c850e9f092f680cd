/// When a submission earns the credential.
public struct MasteryPolicy: Sendable {
  /// A minimum level every criterion must reach.
  public var everyCriterion: Requirement?
  /// Criteria that must each reach their own minimum (gates).
  public var gates: [Gate]
  /// A minimum weighted total.
  public var total: TotalRequirement?
  /// How several attempts by one candidate combine.
  public var attempts: AttemptsPolicy
  public var location: Location

  public struct Requirement: Sendable, Hashable {
    public var level: String
    public var location: Location
  }

  public struct Gate: Sendable, Hashable {
    public var criterion: String
    public var level: String
    /// Where `ref` is written.
    public var location: Location
    /// Where `at-least` is written.
    public var levelLocation: Location
  }

  public struct TotalRequirement: Sendable, Hashable {
    public var threshold: Threshold
    public var location: Location
  }
}

/// A threshold written as a percentage ("75%") or an absolute amount ("12").
public enum Threshold: Sendable, Hashable, CustomStringConvertible {
  case percent(Double)
  case amount(Double)

  /// Parses "75%", "12" or "2.5"; nil for anything else.
  public init?(_ text: String) {
    let trimmed = text.trimmingWhitespace
    if trimmed.hasSuffix("%") {
      guard let value = Double(trimmed.dropLast()), value >= 0, value.isFinite else { return nil }
      self = .percent(value)
    } else {
      guard let value = Double(trimmed), value >= 0, value.isFinite else { return nil }
      self = .amount(value)
    }
  }

  public var description: String {
    switch self {
    case .percent(let value): return "\(value.compact)%"
    case .amount(let value): return value.compact
    }
  }
}

/// How a candidate's attempts combine into the standing decision.
public struct AttemptsPolicy: Sendable, Hashable {
  public enum Rule: String, Sendable, Hashable, CaseIterable {
    case latest
    case highest
    case average
    case decayingAverage = "decaying-average"
    case nMastery = "n-mastery"
  }

  public var rule: Rule
  /// The most attempts allowed; nil for no limit.
  public var maximum: Int?
  /// For `n-mastery`: in how many attempts a criterion must reach a level for it to count.
  public var count: Int?
  /// For `decaying-average`: the weight of the newest attempt (0 < decay < 1).
  public var decay: Double?
  /// Where `<attempts>` is written, if it is.
  public var location: Location?

  public static let latest = AttemptsPolicy(rule: .latest, maximum: nil, count: nil, decay: nil, location: nil)
}

extension Double {
  /// "2" for 2.0, "2.5" for 2.5: how a teacher writes a number.
  public var compact: String {
    if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
    return String(self)
  }
}

extension StringProtocol {
  /// The text without leading and trailing XML white space (space, tab, CR, LF).
  var trimmingWhitespace: String {
    let text = String(self)
    let utf8 = text.utf8
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
    guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
    else { return "" }
    if first == utf8.startIndex, utf8.index(after: last) == utf8.endIndex { return text }
    return String(text[first...last])
  }
}
