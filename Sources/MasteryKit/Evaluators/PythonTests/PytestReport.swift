/// How pytest ended one test. `xfailed` and `xpassed` are pytest's own: a test the author marked
/// as expected to fail, which failed or passed (a strict xfail that passes is `failed`).
public enum TestOutcome: String, Sendable, Hashable, Codable, CaseIterable {
  case passed, failed, error, skipped, xfailed, xpassed
}

/// What the engine's runner (`PythonScripts.runner`) writes after a pytest session.
struct PytestReport: Decodable {
  struct Collected: Decodable {
    /// pytest's node id, relative to the tests folder: `test_leap.py::LeapTest::test_2000`.
    var id: String
    var line: Int?
    /// The qualified name of the function that defines it (`LeapBase.test_inherited` when inherited).
    var function: String
  }

  struct CollectionError: Decodable {
    /// The file (or folder) that could not be collected.
    var id: String
    /// The error's last line.
    var message: String
    /// pytest's whole account of it, for the author.
    var detail: String
  }

  struct Test: Decodable {
    var id: String
    /// Nil when the test started and never reported.
    var outcome: TestOutcome?
    var message: String
    var seconds: Double?
  }

  var mode: String
  var exitstatus: Int
  var collected: [Collected]
  var errors: [CollectionError]
  var tests: [Test]
  /// The most resident memory the run's processes held, as the run itself reports it.
  var peakMemoryBytes: Int?
}
