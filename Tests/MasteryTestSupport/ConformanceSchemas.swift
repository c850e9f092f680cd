import Foundation
import Testing

/// The public conformance schemas (SARIF, the Jenkins JUnit XSD, Open Badges 3.0) that some tests
/// check our output against.
///
/// They are third-party files and stay out of the repository: they are read from the folder named
/// by `MASTERY_CONFORMANCE_SCHEMAS`, else from `../shared/schemas` beside the repository. A test that
/// needs one is written `@Test(ConformanceSchemas.required(NAME))`, so a fresh clone without them
/// skips it and says what is missing.
public enum ConformanceSchemas {
  /// The SARIF 2.1.0 JSON schema.
  public static let sarif = "sarif-schema-2.1.0.json"
  /// The Jenkins xUnit JUnit 10 XSD.
  public static let junit = "junit_jenkins_xunit_junit-10.xsd"
  /// The Open Badges 3.0 AchievementCredential JSON schema.
  public static let openBadgesCredential = "ob3/ob_v3p0_achievementcredential_schema.json"

  /// Where the schemas are looked for when `MASTERY_CONFORMANCE_SCHEMAS` is not set, relative to
  /// the repository root. The one place outside the repository the tests may name.
  public static let besideRepository = "../shared/schemas"

  /// The folder searched: `MASTERY_CONFORMANCE_SCHEMAS` when set, else `besideRepository`.
  public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let explicit = environment["MASTERY_CONFORMANCE_SCHEMAS"], !explicit.isEmpty {
      return explicit
    }
    return ((TestPaths.repositoryRoot as NSString).appendingPathComponent(besideRepository) as NSString)
      .standardizingPath
  }

  /// The path of schema `name` (which may not exist; see `has`).
  public static func path(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    (folder(environment: environment) as NSString).appendingPathComponent(name)
  }

  /// Whether schema `name` is there to test against.
  public static func has(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path(name, environment: environment), isDirectory: &isFolder)
      && !isFolder.boolValue
  }

  /// The reason a test is skipped when schema `name` is absent.
  public static func missing(_ name: String) -> String {
    "the conformance schema \(name) is not at \(path(name)); set MASTERY_CONFORMANCE_SCHEMAS to a folder that holds it"
  }

  /// A trait that runs a test only when schema `name` is there, and otherwise skips it saying why.
  public static func required(_ name: String) -> ConditionTrait {
    .enabled(if: has(name), Comment(rawValue: missing(name)))
  }
}
