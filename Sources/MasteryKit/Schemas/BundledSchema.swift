import LibXML

/// An XSD shipped inside the binary (see scripts/generate-schemas.sh), so
/// `mastery` needs no files beside it and `mastery schema` can print them.
public struct BundledSchema: Sendable, Hashable {
  /// The name `mastery schema NAME` takes.
  public let name: String
  /// The file it comes from, under rubrics/schema/.
  public let fileName: String
  /// The namespace its documents use.
  public let namespace: String
  public let text: String

  public static let rubric = BundledSchema(
    name: "rubric", fileName: "microcredential.xsd", namespace: "urn:mastery:rubric:1", text: microcredentialText)

  public static let submission = BundledSchema(
    name: "submission", fileName: "submission.xsd", namespace: "urn:mastery:submission:1", text: submissionText)

  public static let review = BundledSchema(
    name: "review", fileName: "review.xsd", namespace: "urn:mastery:review:1", text: reviewText)

  /// Every bundled schema.
  public static let all: [BundledSchema] = [rubric, submission, review]

  /// Compiles the schema.
  ///
  /// - Throws: `MarkupError.invalidSchema` when it does not compile (a build defect, caught by tests).
  public func compiled() throws -> XSDSchema {
    try XSDSchema(bytes: Array(text.utf8), path: fileName)
  }
}
