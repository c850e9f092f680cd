import Foundation

/// The `mastery-1` plugin protocol: what the engine writes on a plugin's standard input, and what
/// the plugin writes on its standard output. `mastery schema plugin-request` and
/// `mastery schema plugin-result` print the JSON Schemas; docs/plugins.md describes both.
public enum PluginProtocol {
  /// The value of `protocol` in every request of this version.
  public static let version = "mastery-plugin/1"

  public struct Request: Sendable, Hashable, Codable {
    public struct Level: Sendable, Hashable, Codable {
      public var id: String
      public var label: String
      public var score: Double
      /// The criterion's descriptor for this level, if the rubric has one.
      public var descriptor: String?
    }

    public struct Criterion: Sendable, Hashable, Codable {
      public var id: String
      public var title: String
      public var weight: Double
      /// The rubric's levels, lowest first.
      public var levels: [Level]
      /// The lowest level the mastery policy accepts for this criterion, if any.
      public var requiredLevel: String?
    }

    public struct Configuration: Sendable, Hashable, Codable {
      /// The `<evaluator>` attributes that are not the engine's.
      public var attributes: [String: String]
      /// The `<evaluator>` children other than `<level-at>`.
      public var elements: [PluginElement]
    }

    public struct Evidence: Sendable, Hashable, Codable {
      public struct File: Sendable, Hashable, Codable {
        /// Where the plugin reads it, inside the sandbox.
        public var path: String
        /// As the candidate named it, relative to the submission folder.
        public var name: String
        public var sha256: String
        public var bytes: Int
      }

      public var item: String
      /// `file`, `folder`, `text` or `url`.
      public var kind: String
      public var present: Bool
      /// The item's file or folder inside the sandbox, when present and not a url.
      public var path: String?
      public var url: String?
      public var files: [File]
    }

    public var `protocol`: String
    public var criterion: Criterion
    public var configuration: Configuration
    public var evidence: [Evidence]
    public var credential: String
    public var candidate: String
    public var attempt: Int
  }

  public struct Result: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
      case scored, pending, error
    }

    public struct Feedback: Sendable, Hashable, Codable {
      public var text: String
      public var file: String?
      public var line: Int?
    }

    public struct Test: Sendable, Hashable, Codable {
      public var name: String
      /// `passed`, `failed`, `skipped` or `error`.
      public var outcome: String
      public var points: Double?
      public var maxPoints: Double?
      public var message: String?
    }

    public var status: Status
    /// A level id of the rubric; or give `points` and `maxPoints` for the rubric's `<level-at score>` mapping.
    public var level: String?
    public var points: Double?
    public var maxPoints: Double?
    public var summary: String?
    /// Why it is pending, or why the plugin could not judge.
    public var message: String?
    public var feedback: [Feedback]?
    public var tests: [Test]?
  }

  /// A result read from a plugin's output, or what is wrong with it (for the grader-error message).
  public static func decodeResult(_ bytes: [UInt8]) -> Swift.Result<Result, PluginFailure> {
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return .failure(.init("it wrote no result on standard output")) }
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
      return .failure(.init("its standard output is not JSON: \(excerpt(text))"))
    }
    guard let fields = object as? [String: Any] else {
      return .failure(.init("its result is not a JSON object: \(excerpt(text))"))
    }
    let known: Set<String> = [
      "status", "level", "points", "maxPoints", "summary", "message", "feedback", "tests",
    ]
    if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
      return .failure(.init("its result has a field the protocol does not define: '\(unknown)'"))
    }
    do {
      let result = try JSONDecoder().decode(Result.self, from: Data(text.utf8))
      if let problem = problem(result) { return .failure(.init(problem)) }
      return .success(result)
    } catch let DecodingError.keyNotFound(key, _) {
      return .failure(.init("its result has no '\(key.stringValue)'"))
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      return .failure(.init("its result's '\(path(context.codingPath))' has the wrong type"))
    } catch let DecodingError.dataCorrupted(context) {
      return .failure(.init("its result's '\(path(context.codingPath))' is not valid: \(context.debugDescription)"))
    } catch {
      return .failure(.init("its result cannot be read: \(error)"))
    }
  }

  /// What the schema asks of a result beyond its types.
  static func problem(_ result: Result) -> String? {
    if let points = result.points, !points.isFinite || points < 0 { return "its 'points' must be a number ≥ 0" }
    if let maxPoints = result.maxPoints, !maxPoints.isFinite || maxPoints <= 0 {
      return "its 'maxPoints' must be a number > 0"
    }
    if (result.points == nil) != (result.maxPoints == nil) { return "'points' and 'maxPoints' come together" }
    if result.status == .scored, result.level == nil, result.points == nil {
      return "a scored result needs a 'level', or 'points' and 'maxPoints'"
    }
    if result.status != .scored, (result.message ?? "").isEmpty {
      return "a \(result.status.rawValue) result needs a 'message' saying why"
    }
    for test in result.tests ?? [] where !["passed", "failed", "skipped", "error"].contains(test.outcome) {
      return "test '\(test.name)' has outcome '\(test.outcome)'; use passed, failed, skipped or error"
    }
    return nil
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
  }

  static func excerpt(_ text: String) -> String {
    let line = text.prefix(120).replacingOccurrences(of: "\n", with: " ")
    return "\"\(line)\(text.count > 120 ? "..." : "")\""
  }
}

/// Why a plugin's run cannot be used.
public struct PluginFailure: Error, Sendable, Hashable {
  public var reason: String
  init(_ reason: String) { self.reason = reason }
}

/// Gradescope's `results/results.json`, as far as the engine reads it.
struct AutograderResults: Decodable {
  struct Test: Decodable {
    var score: Double?
    var maxScore: Double?
    var name: String?
    var number: String?
    var output: String?
    var visibility: String?
    var status: String?

    enum CodingKeys: String, CodingKey {
      case score, name, number, output, visibility, status
      case maxScore = "max_score"
    }
  }

  var score: Double?
  var tests: [Test]?
  var output: String?
  var visibility: String?
  var stdoutVisibility: String?

  enum CodingKeys: String, CodingKey {
    case score, tests, output, visibility
    case stdoutVisibility = "stdout_visibility"
  }
}
