/// `python-tests`: the author's hidden pytest tests run against the
/// candidate's code in the sandbox; the share of points passed maps to a level.
public struct PythonTestsConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "python-tests", summary: "The author's hidden pytest tests run against the candidate's code, sandboxed.",
    examples: [
      .valid(
        """
        <evaluator kind="python-tests" tests="tests" timeout="10s" memory="256MiB" show-failures="names">
          <points test="test_grades.py::test_empty" value="2"/>
          <level-at passed="80%" level="proficient"/>
          <level-at passed="50%" level="developing"/>
        </evaluator>
        """),
      .invalid(
        """
        <evaluator kind="python-tests" tests="../outside" timeout="soon">
          <level-at passed="150%" level="mastered"/>
        </evaluator>
        """, "unsafe-path", "evaluator-config", "evaluator-config", "undefined-level", "policy-unreachable"),
      .invalid(
        """
        <evaluator kind="python-tests" tests="missing-tests"/>
        """, "missing-file", "evaluator-config"),
      .invalid(
        """
        <evaluator kind="python-tests" tests="tests" interpreter="/root/.pyenv/shims/python3">
          <level-at passed="50%" level="developing"/>
        </evaluator>
        """, "evaluator-config"),
    ])

  /// What the candidate sees of a failing hidden test.
  public enum Disclosure: String, Sendable, Hashable, CaseIterable {
    case names, messages, none
  }

  /// How a test pytest skipped counts.
  public enum SkipPolicy: String, Sendable, Hashable, CaseIterable {
    /// In the total, earning nothing (reported as skipped, never as failed).
    case notPassed = "not-passed"
    /// Left out of the total.
    case excluded
    /// Earns its points.
    case passed
  }

  public struct Limits: Sendable, Hashable {
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var memoryBytes: Int
    public var processes: Int
    public var fileSizeBytes: Int
    public var outputBytes: Int
    /// The candidate's working copy: a memory file system of this size inside the sandbox.
    public var workingCopyBytes: Int
  }

  /// The tests folder, relative to the rubric's folder.
  public var tests: String
  /// A folder beside the rubric with a solution every test must pass, checked
  /// once per run before any candidate's code: the author's tests are proved sound.
  public var reference: String?
  public var interpreter: String
  public var limits: Limits
  public var showFailures: Disclosure
  public var skipped: SkipPolicy
  /// Points by what the author wrote in `<points test>`: a pytest node id or its end; other tests count 1.
  public var points: [String: Double]
  /// Where each `<points>` is, for the findings of `mastery validate`.
  public var pointLocations: [String: Location]
  /// Where the `<evaluator>` is.
  public var location: Location
  public var mapping: LevelMapping?

  public init(reading reader: ConfigurationReader) {
    tests = reader.pathBesideRubric("tests", folder: true, required: true) ?? ""
    reference = reader.pathBesideRubric("reference", folder: true, required: false)
    interpreter = reader.string("interpreter") ?? "python3"
    // The sandbox shows candidate code only /usr: an interpreter elsewhere could not run there.
    if interpreter.contains("/"), !interpreter.hasPrefix("/usr/") || interpreter.contains("..") {
      reader.report(
        "interpreter '\(interpreter)' must be a name looked up in /usr/bin (e.g. python3) or a path under /usr/",
        at: reader.element.attribute("interpreter")?.location)
    }
    let wall = reader.duration("timeout", default: 10)
    limits = Limits(
      wallSeconds: wall, cpuSeconds: reader.duration("cpu", default: wall),
      memoryBytes: reader.byteSize("memory", default: 256 << 20),
      processes: reader.integer("processes", default: 64, in: 1...4096),
      fileSizeBytes: reader.byteSize("file-size", default: 16 << 20),
      outputBytes: reader.byteSize("output", default: 1 << 20),
      workingCopyBytes: reader.byteSize("working-copy", default: 64 << 20))
    showFailures = reader.choice("show-failures", default: Disclosure.messages)
    skipped = reader.choice("skipped", default: SkipPolicy.notPassed)
    location = reader.element.location
    let pointReaders = reader.children("points")
    reader.requireUniqueIDs(pointReaders, attribute: "test")
    var points: [String: Double] = [:]
    var pointLocations: [String: Location] = [:]
    for entry in pointReaders {
      guard let test = entry.requiredString("test") else { continue }
      if entry.string("value") == nil { entry.report("<points> needs a 'value' attribute") }
      points[test] = entry.number("value", default: 1, in: 0...1_000_000)
      pointLocations[test] = entry.element.location
    }
    self.points = points
    self.pointLocations = pointLocations
    mapping = reader.levelMapping(attribute: "passed")
  }

  public var assetFolders: [String] { [tests] + (reference.map { [$0] } ?? []) }

  public var reachableLevels: Set<String>? { mapping?.reachableLevels }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    var lines = [
      "Your code is run against the credential's own tests, in an isolated sandbox (\(limits.wallSeconds.compact) s at most)."
    ]
    lines += mapping?.explanation(levels: levels, noun: "test points pass") ?? []
    return lines
  }
}
