import ArgumentParser
import MasteryKit

struct Sandbox: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "What this machine gives sandboxed runs.", subcommands: [Check.self])

  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print bubblewrap and its namespaces, the uids, cgroups and run folders; exit 4 when runs cannot be sandboxed.",
      discussion: """
        Runs /bin/true in the sandbox to see that it works. The last line says `sandbox: usable`, or why not. \
        Exit codes: 0 usable; 4 when the sandbox cannot run here (every sandboxed criterion would be a grader error).
        """)

    func run() async throws {
      let check = await SandboxCheck.run()
      let width = check.lines.map(\.topic.count).max() ?? 0
      Output.write(
        check.lines.map { $0.topic.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.finding }
          .joined(separator: "\n") + "\n")
      if check.unusable != nil { throw ExitStatus.graderError.exitCode }
    }
  }
}
