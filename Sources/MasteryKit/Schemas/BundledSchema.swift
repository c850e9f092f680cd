import LibXML

/// A schema shipped inside the binary (see scripts/generate-schemas.sh), so `mastery` needs no
/// files beside it and `mastery schema` can print them: the XSDs of the XML formats, and the JSON
/// Schemas of the plugin protocol.
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

  /// The JSON Schema of what the engine writes on a `command` plugin's standard input.
  public static let pluginRequest = BundledSchema(
    name: "plugin-request", fileName: "plugin-request.json", namespace: "urn:mastery:plugin-request:1",
    text: pluginRequestText)

  /// The JSON Schema of what a `command` plugin writes on its standard output.
  public static let pluginResult = BundledSchema(
    name: "plugin-result", fileName: "plugin-result.json", namespace: "urn:mastery:plugin-result:1",
    text: pluginResultText)

  /// Every bundled schema.
  public static let all: [BundledSchema] = [rubric, submission, review, pluginRequest, pluginResult]

  /// True for an XML Schema, false for a JSON Schema.
  public var isXSD: Bool { fileName.hasSuffix(".xsd") }

  /// Compiles the schema (an XML Schema).
  ///
  /// - Throws: `MarkupError.invalidSchema` when it does not compile (a build defect, caught by tests).
  public func compiled() throws -> XSDSchema {
    try XSDSchema(bytes: Array(text.utf8), path: fileName)
  }
}
