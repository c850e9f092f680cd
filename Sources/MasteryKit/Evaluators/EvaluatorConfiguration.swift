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
  ///
  /// - Parameters:
  ///   - levels: The rubric's levels, lowest first.
  ///   - evidence: The criterion's evidence items, for what the evaluator takes from them (word limits).
  /// - Returns: One sentence per line.
  func explanation(levels: [Level], evidence: [EvidenceItem]) -> [String]

  /// Folders beside the rubric (relative to its folder) whose files the evaluator reads when it
  /// judges, such as hidden tests: a change there changes every decision made with them.
  var assetFolders: [String] { get }
}

extension EvaluatorConfiguration {
  public var assetFolders: [String] { [] }
}

/// What a rubric writes in `kind`, what the kind does, and examples of its
/// configuration that one parameterized test checks for every kind.
public struct EvaluatorDescription: Sendable, Hashable {
  public let kind: String
  public let summary: String
  public let examples: [ConfigurationExample]

  public init(kind: String, summary: String, examples: [ConfigurationExample] = []) {
    self.kind = kind
    self.summary = summary
    self.examples = examples
  }
}

/// An `<evaluator>` element and the rule ids lint must report for it (none for a valid one).
///
/// The examples assume a rubric whose levels are
/// `not-yet`, `developing`, `proficient`, with a folder `tests/` and an
/// executable `bin/grader` beside it.
public struct ConfigurationExample: Sendable, Hashable {
  public let xml: String
  public let findings: [String]

  public static func valid(_ xml: String) -> ConfigurationExample { .init(xml: xml, findings: []) }

  public static func invalid(_ xml: String, _ findings: String...) -> ConfigurationExample {
    .init(xml: xml, findings: findings)
  }
}
