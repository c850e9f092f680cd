import ArgumentParser

/// The exit codes every command shares (documented in README.md).
///
/// When several apply, the most severe wins: 3/4 > 2 > 1 > 0.
enum ExitStatus: Int32 {
  case success = 0
  case notYet = 1
  case pending = 2
  case invalidInput = 3
  case graderError = 4

  var exitCode: ExitCode { ExitCode(rawValue) }
}
