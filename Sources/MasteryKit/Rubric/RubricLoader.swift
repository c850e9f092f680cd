import Foundation
import LibXML

/// What loading one rubric file produced: the model when it could be built,
/// and every finding, sorted by place.
public struct RubricLoad: Sendable {
  public var path: String
  public var rubric: Microcredential?
  public var findings: [Finding]
  /// The SHA-256 of the rubric file, when it was read and parsed.
  public var sha256: String?

  /// True when no finding is an error (warnings allowed).
  public var isValid: Bool { !findings.contains { $0.severity == .error } }
}

/// Loads rubric files: parse safely, check the root, validate against the
/// bundled XSD, build the model, then lint its meaning.
///
/// XSD errors stop the load before the model is built (the model assumes the
/// structure the schema guarantees). Safe to use from many tasks at once.
public struct RubricLoader: Sendable {
  public static let namespace = BundledSchema.rubric.namespace
  /// Rubrics are small: anything above 4 MiB is refused before parsing.
  public static let sizeLimit = 4 << 20

  private let reader: DocumentReader

  /// A loader with the bundled rubric schema.
  ///
  /// - Throws: `MarkupError.invalidSchema` only if the bundled schema is broken (a build defect).
  public init() throws {
    reader = try DocumentReader(schema: .rubric, rootName: "microcredential", noun: "rubric", sizeLimit: Self.sizeLimit)
  }

  /// Loads and checks one rubric file.
  ///
  /// - Parameter path: the rubric file; used in every finding.
  /// - Returns: the model (when the file is well-formed and schema-valid) and all findings.
  public func load(_ path: String) -> RubricLoad {
    load(path, onlyIfRubric: false) ?? RubricLoad(path: path, rubric: nil, findings: [])
  }

  /// Loads a file found in a folder search, or nil when it is not a rubric.
  ///
  /// Not a rubric: its root is not `<microcredential>`, or, when it is not
  /// well-formed, it never mentions `<microcredential`; a file named
  /// `rubric.xml` is always one. Deciding here, after the one read and parse,
  /// spares a second read of every candidate.
  func load(_ path: String, onlyIfRubric: Bool) -> RubricLoad? {
    let skipForeign = onlyIfRubric && !path.hasSuffix("/rubric.xml") && path != "rubric.xml"
    switch reader.read(path, skipForeign: skipForeign) {
    case .foreign:
      return nil
    case .invalid(let findings):
      return RubricLoad(path: path, rubric: nil, findings: findings)
    case .valid(let root, let sha256):
      let directory = (path as NSString).deletingLastPathComponent
      var builder = RubricBuilder(root: root, path: path, directory: directory.isEmpty ? "." : directory)
      let rubric = builder.build()
      let findings = (builder.findings + RubricLinter(rubric: rubric).findings).sorted {
        ($0.location, $0.ruleID) < ($1.location, $1.ruleID)
      }
      return RubricLoad(path: path, rubric: rubric, findings: findings.cappedPerRule(), sha256: sha256)
    }
  }
}
