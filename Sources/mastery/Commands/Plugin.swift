import ArgumentParser
import Foundation
import MasteryKit

/// How a plugin talks to the engine (`protocol` in a rubric).
typealias PluginInterface = MasteryKit.CommandConfiguration.Interface

extension PluginInterface: ExpressibleByArgument {}

struct Plugin: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Work with plugin evaluators (kind=\"command\").",
    subcommands: [PluginTest.self])
}

struct PluginTest: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run a plugin on its own examples, in the sandbox, and compare each result with the one expected.",
    discussion: """
      Each example is a folder under the plugin's examples/ (or --examples DIR) holding request.json, \
      evidence/ (mounted at /box/evidence) and expected.json. Exit codes: 0 every example passed, 1 any \
      failed, 3 no examples or no plugin, 4 the sandbox cannot run. See docs/plugins.md.
      """)

  @Argument(help: "The plugin's executable (a rubric's run=\"...\").", completion: .file())
  var plugin: String

  @Option(name: .customLong("protocol"), help: "mastery-1 (default) or autograder-results.")
  var interface: PluginInterface = .mastery1

  @Option(help: "The examples folder (default: examples/ beside the plugin).", completion: .directory)
  var examples: String?

  @Option(help: "Each example's time limit in seconds.")
  var timeout: Double = 30

  func run() async throws {
    let sandbox = BubblewrapSandbox()
    if let reason = sandbox.unavailableReason {
      Output.error("error: the sandbox cannot run here: \(reason)")
      throw ExitStatus.graderError.exitCode
    }
    let outcomes: [PluginExamples.Outcome]
    do {
      outcomes = try await PluginExamples.run(
        executable: plugin, interface: interface, examples: examples, sandbox: sandbox, timeoutSeconds: timeout)
    } catch let failure as PluginFailure {
      Output.error("error: \(failure.reason)")
      throw ExitStatus.invalidInput.exitCode
    }
    for outcome in outcomes {
      Output.write(outcome.problem.map { "FAIL \(outcome.name): \($0)\n" } ?? "pass \(outcome.name)\n")
    }
    let failed = outcomes.filter { $0.problem != nil }.count
    Output.write("\(outcomes.count - failed) of \(outcomes.count) examples passed\n")
    if failed > 0 { throw ExitStatus.notYet.exitCode }
  }
}
