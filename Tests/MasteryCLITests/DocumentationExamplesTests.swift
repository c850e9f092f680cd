import Foundation
import MasteryTestSupport
import Testing

/// Runs every example in the README and docs/.
///
/// In a ```console block, each
/// `$ mastery ...` line is run from the repository root, and the lines after
/// it (up to the next `$`) must equal what it printed (stdout, then stderr).
/// A last line `[exit N]` gives the expected exit status (0 when absent).
@Suite("Documentation examples")
struct DocumentationExamplesTests {
  struct Example: CustomTestStringConvertible, Sendable {
    var file: String
    var line: Int
    var command: String
    var output: String
    var status: Int32
    var testDescription: String { "\(file):\(line): \(command)" }
  }

  static let examples: [Example] = {
    var files = ["README.md"]
    let docs = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.repository("docs"))) ?? []
    files += docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    var examples: [Example] = []
    for file in files {
      guard let text = try? String(contentsOfFile: TestPaths.repository(file), encoding: .utf8) else { continue }
      var inConsole = false
      var current: Example?
      func flush() {
        guard var example = current else { return }
        var lines = example.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let last = lines.last, last.hasPrefix("[exit "), last.hasSuffix("]") {
          example.status = Int32(last.dropFirst(6).dropLast()) ?? -1
          lines.removeLast()
        }
        example.output = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        examples.append(example)
        current = nil
      }
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.hasPrefix("```") {
          if inConsole { flush() }
          inConsole = line == "```console"
          continue
        }
        guard inConsole else { continue }
        if line.hasPrefix("$ ") {
          flush()
          current = Example(file: file, line: index + 1, command: String(line.dropFirst(2)), output: "", status: 0)
        } else if current != nil {
          current?.output += line + "\n"
        }
      }
    }
    return examples
  }()

  @Test func thereAreExamples() {
    #expect(Self.examples.count >= 5)
  }

  @Test(arguments: examples)
  func exampleOutputIsCurrent(example: Example) throws {
    let words = example.command.split(separator: " ").map(String.init)
    try #require(words.first == "mastery", "examples run mastery only")
    let result = try CommandRunner.mastery(Array(words.dropFirst()))
    let actual = result.stdout + result.stderr
    #expect(Self.matches(actual, example.output), "\(actual)")
    #expect(result.status == example.status)
  }

  /// Whether `actual` is `expected`, where an ellipsis (…) in an expected line stands for any text
  /// within that line (a duration, a rate).
  static func matches(_ actual: String, _ expected: String) -> Bool {
    guard expected.contains("…") else { return actual == expected }
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    guard actualLines.count == expectedLines.count else { return false }
    return zip(actualLines, expectedLines).allSatisfy { line, pattern in
      let parts = pattern.components(separatedBy: "…")
      guard parts.count > 1 else { return line == pattern }
      let regex = "^" + parts.map(NSRegularExpression.escapedPattern(for:)).joined(separator: ".*") + "$"
      return String(line).range(of: regex, options: .regularExpression) != nil
    }
  }

  @Test func anEllipsisStandsForAnyTextWithinALine() {
    #expect(Self.matches("7 submissions in 1.2 s\n", "7 submissions in … s\n"))
    #expect(!Self.matches("8 submissions in 1.2 s\n", "7 submissions in … s\n"))
    #expect(!Self.matches("7 submissions in 1.2 s\nmore\n", "7 submissions in … s\n"))
  }
}
