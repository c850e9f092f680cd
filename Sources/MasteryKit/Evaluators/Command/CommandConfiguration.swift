/// `command`: an executable beside the rubric reads a JSON request on stdin
/// and writes a JSON result on stdout: third-party evaluators without recompiling.
public struct CommandConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "command", summary: "An external program that reads a JSON request and writes a JSON result.",
    examples: [
      .valid(#"<evaluator kind="command" run="bin/grader" args="--strict" timeout="30s"/>"#),
      .invalid(#"<evaluator kind="command" run="bin/missing" sandbox="never"/>"#, "missing-file", "evaluator-config"),
    ])

  /// The executable, relative to the rubric's folder.
  public var run: String
  public var arguments: [String]
  public var timeoutSeconds: Double
  public var memoryBytes: Int
  public var sandbox: Bool

  public init(reading reader: ConfigurationReader) {
    run = reader.pathBesideRubric("run", folder: false, required: true) ?? ""
    arguments = reader.list("args") ?? []
    timeoutSeconds = reader.duration("timeout", default: 30)
    memoryBytes = reader.byteSize("memory", default: 512 << 20)
    sandbox = reader.boolean("sandbox", default: true)
  }

  public var reachableLevels: Set<String>? { nil }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    ["An automated check (\(run)) judges this criterion."]
  }
}
