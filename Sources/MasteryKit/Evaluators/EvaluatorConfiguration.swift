/// The configuration of one evaluator kind, read from a rubric's `<evaluator>`.
///
/// A conforming type must declare every attribute and child element it reads
/// through the `ConfigurationReader` it is given (so unknown ones are
/// reported with their line), report every invalid value as a finding rather
/// than throwing, and fall back to a documented default after reporting.
public protocol EvaluatorConfiguration: Sendable {
  /// The kind, its one-line summary: stable strings, never derived from a type name.
  static var description: EvaluatorDescription { get }

  /// Reads the configuration; findings go to the reader.
  init(reading reader: ConfigurationReader)

  /// The level ids this evaluator can give, or nil when it can give any level.
  var reachableLevels: Set<String>? { get }

  /// How the criterion is judged, in sentences a candidate understands.
  func explanation(levels: [Level]) -> [String]
}

/// What a rubric writes in `kind`, and what the kind does.
public struct EvaluatorDescription: Sendable, Hashable {
  public let kind: String
  public let summary: String

  public init(kind: String, summary: String) {
    self.kind = kind
    self.summary = summary
  }
}
