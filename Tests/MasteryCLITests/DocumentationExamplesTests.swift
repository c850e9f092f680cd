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
    #expect(result.stdout + result.stderr == example.output)
    #expect(result.status == example.status)
  }
}
