import ArgumentParser
import MasteryKit

extension RubricExplanation.Format: ExpressibleByArgument {}

struct Explain: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show a rubric as a teacher reads it: evidence, criteria, levels, and how to earn it.")

  @Argument(help: "The rubric file.", completion: .file())
  var rubric: String

  @Option(help: "Output: text or markdown.")
  var format: RubricExplanation.Format = .text

  func run() async throws {
    let load = try RubricLoader().load(rubric)
    for finding in load.findings { Output.error(finding.description) }
    guard load.isValid, let model = load.rubric else {
      Output.error("\(rubric) is not a valid rubric; fix the errors above (see `mastery validate`)")
      throw ExitStatus.invalidInput.exitCode
    }
    Output.write(RubricExplanation(rubric: model).render(format))
  }
}
