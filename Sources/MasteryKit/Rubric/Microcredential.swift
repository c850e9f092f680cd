import Foundation

/// One microcredential rubric: what is certified, the evidence asked for,
/// the criteria and their levels, and the mastery policy.
public struct Microcredential: Sendable {
  public var id: String
  public var version: String
  public var title: String
  public var issuer: Issuer
  public var description: String?
  /// The credential's badge, when the author gives one (else one is drawn: `BadgeImage`).
  public var image: RubricImage? = nil
  public var competency: String
  public var keyMethod: String?
  public var alignments: [Alignment]
  /// Ordered lowest first; scores strictly increase in a valid rubric.
  public var levels: [Level]
  public var evidence: [EvidenceItem]
  public var criteria: [Criterion]
  public var policy: MasteryPolicy
  /// The rubric file this was loaded from.
  public var path: String
  /// Where `<microcredential>` starts, and where its version is written.
  public var location: Location
  public var versionLocation: Location

  /// The level with this id.
  public func level(_ id: String) -> Level? { levels.first { $0.id == id } }

  /// The criterion with this id.
  public func criterion(_ id: String) -> Criterion? { criteria.first { $0.id == id } }

  /// The evidence item with this id.
  public func evidenceItem(_ id: String) -> EvidenceItem? { evidence.first { $0.id == id } }

  /// The highest score a criterion can reach.
  public var maximumScore: Double { levels.map(\.score).max() ?? 0 }

  /// The most weighted points a submission can earn: every criterion at the top level.
  public var maximumPoints: Double { criteria.reduce(0) { $0 + $1.weight * maximumScore } }
}

public struct Issuer: Sendable, Hashable {
  public var name: String
  public var url: String?
  public var email: String?
  /// The issuer's logo for its profile.
  public var image: RubricImage? = nil
}

/// A picture the author gives: a PNG or SVG file beside the rubric (read when the rubric is
/// loaded), or an https URL.
public struct RubricImage: Sendable, Hashable {
  /// As the rubric writes it.
  public var source: String
  public var caption: String?
  /// The file's bytes and media type (`image/png`, `image/svg+xml`); nil for a URL.
  public var data: Data?
  public var mediaType: String?

  /// What a credential names it by: a `data:` URI of the file, or the URL.
  public var uri: String {
    guard let data, let mediaType else { return source }
    return "data:\(mediaType);base64,\(data.base64EncodedString())"
  }
}

/// A standard or framework the credential aligns with.
public struct Alignment: Sendable, Hashable {
  public var framework: String
  public var code: String?
  public var name: String?
  public var url: String?
  public var text: String?
}

/// A performance level, such as "proficient" with score 2.
public struct Level: Sendable, Hashable {
  public var id: String
  public var score: Double
  public var label: String
  public var location: Location
}

/// A named piece of a submission.
public struct EvidenceItem: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case file, folder, text, url
  }

  public var id: String
  public var kind: Kind
  public var path: String?
  public var required: Bool
  public var minWords: Int?
  public var maxWords: Int?
  public var description: String
  public var location: Location
}

/// One thing judged, by one evaluator, from one or more evidence items.
public struct Criterion: Sendable {
  public var id: String
  public var title: String
  public var description: String?
  public var weight: Double
  public var evidence: [String]
  public var descriptors: [Descriptor]
  public var evaluator: EvaluatorSpec
  /// A level this criterion met in an earlier attempt is kept: it is not judged again.
  public var carryOver: Bool
  /// What the criterion judges and on which levels, as 16 hex digits of a SHA-256: its weight,
  /// evidence, evaluator configuration and the rubric's levels (ids and scores), not its
  /// wording. Results of earlier attempts count across rubric versions only while it is the same.
  public var definition: String
  public var location: Location

  /// The descriptor written for a level, if any.
  public func descriptor(for level: String) -> Descriptor? { descriptors.first { $0.level == level } }
}

/// What performance at one level of one criterion looks like.
public struct Descriptor: Sendable, Hashable {
  public var level: String
  public var text: String
  public var location: Location
}

/// The evaluator a criterion is bound to, with its parsed configuration.
public struct EvaluatorSpec: Sendable {
  public var kind: String
  /// Nil when the kind is not registered (a finding says so).
  public var configuration: (any EvaluatorConfiguration)?
  public var location: Location
}
