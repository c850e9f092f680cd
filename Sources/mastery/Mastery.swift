import ArgumentParser
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
      Grade.self, Batch.self, Merge.self, Issue.self, Verify.self, Keys.self, Review.self, Adjudicate.self, History.self, Queue.self, Agreement.self,
      Export.self, Validate.self,
      Explain.self,
      Schema.self,
    ]
  )
}
