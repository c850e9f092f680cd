/// A plugin that judges one kind of criterion from the evidence.
///
/// A conforming type must return a verdict for every input it is given:
/// `scored` with a level of the rubric, `pending` when a person must act
/// first, or `error` when it could not judge (a missing tool, a crash, its
/// own timeout). It must never turn its own failure into a low level: a
/// grader failure is never the candidate's. Throwing is reported as `error`.
public protocol Evaluator: Sendable {
  associatedtype Configuration: EvaluatorConfiguration

  /// Makes an evaluator for one criterion's configuration.
  init(configuration: Configuration)

  /// Judges the criterion described by `input`.
  func evaluate(_ input: EvaluationInput) async throws -> Verdict
}

extension Evaluator {
  /// The kind rubrics write, from the configuration's description.
  public static var kind: String { Configuration.description.kind }

  /// Runs a fresh evaluator for a configuration of unknown static type.
  static func evaluate(_ configuration: any EvaluatorConfiguration, _ input: EvaluationInput) async throws -> Verdict {
    guard let typed = configuration as? Configuration else {
      return .error("the \(kind) evaluator was given another kind's configuration")
    }
    return try await Self(configuration: typed).evaluate(input)
  }
}

/// Everything an evaluator may look at for one criterion of one submission.
public struct EvaluationInput: Sendable {
  public var criterion: Criterion
  public var rubric: Microcredential
  public var submission: Submission
  /// The criterion's own evidence items, as found in the submission.
  public var evidence: [ResolvedEvidence]
  public var context: EvaluationContext
}

/// What grading provides to every evaluator: where reviews come from, how
/// files are looked at, where candidate code runs.
public struct EvaluationContext: Sendable {
  public var reviews: any ReviewSource
  public var resolver: EvidenceResolver
  /// Where candidate code runs; `UnconfinedRunner` only with `--no-sandbox`.
  public var sandbox: any CommandSandbox
  /// Where the logs of suspicious runs are kept.
  public var logFolder: String
  /// The headless browser for web criteria with render="browser".
  public var browser: String
  /// Where what the author's Python tests are (and how they did on the reference) is kept between
  /// runs: the ledger. Nil: found again in every process.
  public var suiteCache: (any SuiteCache)?
  /// `--trust-plugins`: a `command` plugin whose rubric says `trusted="true"` runs outside the sandbox.
  public var trustPlugins = false

  public init(
    reviews: any ReviewSource = NoReviews(), resolver: EvidenceResolver = EvidenceResolver(),
    sandbox: any CommandSandbox = BubblewrapSandbox(), logFolder: String = ".mastery/logs",
    browser: String = "/usr/lib/chromium/chromium", suiteCache: (any SuiteCache)? = nil
  ) {
    self.suiteCache = suiteCache
    self.reviews = reviews
    self.resolver = resolver
    self.sandbox = sandbox
    self.logFolder = logFolder
    self.browser = browser
  }
}

/// An evaluator's judgement of one criterion.
public struct Verdict: Sendable, Hashable {
  public enum Status: String, Sendable, Hashable, Codable {
    case scored, pending, error
  }

  public var status: Status
  /// The level reached (scored only).
  public var level: String?
  /// One line on what was found ("5 of 7 checks affirmed").
  public var summary: String?
  /// Lines for the candidate.
  public var feedback: [String]
  /// Files the judgement rests on, beyond the criterion's evidence items.
  public var evidence: [EvidenceFile]
  /// Why it is pending or failed.
  public var message: String?
  /// Scored at the lowest level because required evidence is missing (no
  /// "to reach the next level" advice then: the evidence comes first).
  public var missingEvidence = false
  /// Built-in checks that failed, each with all its problems (`web`); `feedback` may show only some.
  public var failedChecks: [CheckFailure] = []
  /// The test run as data (`python-tests`).
  public var tests: TestRunResult? = nil

  public static func scored(
    _ level: String, summary: String? = nil, feedback: [String] = [], evidence: [EvidenceFile] = [],
    failedChecks: [CheckFailure] = []
  ) -> Verdict {
    Verdict(
      status: .scored, level: level, summary: summary, feedback: feedback, evidence: evidence, message: nil,
      failedChecks: failedChecks)
  }

  public static func pending(_ message: String, feedback: [String] = []) -> Verdict {
    Verdict(status: .pending, level: nil, summary: nil, feedback: feedback, evidence: [], message: message)
  }

  public static func error(_ message: String) -> Verdict {
    Verdict(status: .error, level: nil, summary: nil, feedback: [], evidence: [], message: message)
  }
}
