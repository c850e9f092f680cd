import ArgumentParser
import Foundation
import MasteryKit

@main
struct Mastery: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mastery",
    abstract: "An assessment engine for educator microcredentials.",
    discussion: """
      Exit codes: 0 valid (or earned), 1 not yet, 2 pending review, 3 invalid input, \
      4 the grader itself failed, 64 a usage error. See README.md.
      """,
    version: MasteryVersion.current,
    subcommands: [
      Grade.self, Batch.self, Merge.self, Issue.self, Verify.self, Revoke.self, Keys.self, Sandbox.self, Review.self, Adjudicate.self, History.self, Queue.self, Agreement.self,
      Export.self, Validate.self,
      Explain.self, Plugin.self,
      Schema.self,
    ]
  )

  /// As ArgumentParser's own entry point, except that `mastery help NAME` for a command that does
  /// not exist is a usage error (64) naming the commands, not the overview and success.
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "help", arguments.count >= 2 {
      let known = configuration.subcommands.map { $0._commandName }
      if !known.contains(arguments[1]) {
        Output.error(
          "error: there is no command '\(arguments[1])'; the commands are \(known.joined(separator: ", "))")
        Foundation.exit(ExitCode.validationFailure.rawValue)
      }
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asynchronous = command as? any AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}
