/// A `python-tests` run as data, for the JSON report (`tests` of a criterion), so CI reads counts
/// and outcomes instead of parsing the summary line. See docs/results-json.md.
public struct TestRunResult: Sendable, Hashable, Codable {
  /// How the run ended.
  public enum Outcome: String, Sendable, Hashable, Codable {
    /// pytest finished and its report was checked.
    case completed
    case timeout
    case memoryExceeded = "memory-exceeded"
    case outputLimit = "output-limit"
    case workingCopyLimit = "working-copy-limit"
    /// The report cannot be trusted: forged, incomplete, or a canary passed beside its test.
    case tampering
    /// A signal ended it.
    case crashed
    /// pytest ended without a report (code that exits the run early).
    case noResult = "no-result"
  }

  public struct Counts: Sendable, Hashable, Codable {
    public var collected = 0
    public var passed = 0
    public var failed = 0
    public var error = 0
    public var skipped = 0
    public var xfailed = 0
    public var xpassed = 0
  }

  public struct Test: Sendable, Hashable, Codable {
    /// pytest's node id, relative to the tests folder.
    public var id: String
    public var outcome: TestOutcome
    /// What the test is worth, and what it earned.
    public var points: Double
    public var earned: Double
    /// What went wrong, when the rubric shows messages (`show-failures="messages"`).
    public var message: String?
  }

  public var outcome: Outcome
  /// The run's wall time; nil in reproducible output (`SOURCE_DATE_EPOCH`), as is `peakMemoryBytes`.
  public var seconds: Double?
  /// The largest resident memory of any process of the run, when the system reports it.
  public var peakMemoryBytes: Int?
  /// How the memory limit was held: `cgroup v1` or `cgroup v2` (resident memory and swap, in a
  /// group of the run's own), or `address space` (RLIMIT_AS, where the host gives runs no cgroup).
  public var memoryLimit: String? = nil
  /// Nil unless the run completed.
  public var counts: Counts?
  public var earnedPoints: Double?
  public var totalPoints: Double?
  /// One entry per author test, in pytest's order; empty when the rubric shows no failures
  /// (`show-failures="none"`: the hidden tests' names stay hidden) or the run did not complete.
  public var tests: [Test]

  /// Without what differs from one run of the same inputs to the next (time, memory).
  public var withoutMeasurements: TestRunResult {
    var result = self
    result.seconds = nil
    result.peakMemoryBytes = nil
    result.memoryLimit = nil
    return result
  }
}
