import Foundation
import MasteryKit

/// What a finished process printed and how it exited.
public struct CommandResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs programs for end-to-end tests, capturing their output through files
/// (no pipe can fill up and block the child).
public enum CommandRunner {
  /// Runs the built `mastery` with `arguments` in `directory` (the repository root by default).
  public static func mastery(
    _ arguments: [String], in directory: String = TestPaths.repositoryRoot,
    environment: [String: String] = [:]
  ) throws -> CommandResult {
    try run(TestPaths.masteryBinary, arguments, in: directory, environment: environment)
  }

  /// Runs `executable` with `arguments`, waits, and returns its output.
  public static func run(
    _ executable: String, _ arguments: [String], in directory: String = TestPaths.repositoryRoot,
    environment: [String: String] = [:], input: String? = nil
  ) throws -> CommandResult {
    let folder = try TestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let outPath = folder + "/stdout"
    let errPath = folder + "/stderr"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var merged = ProcessInfo.processInfo.environment
    // What the developer's or CI's shell sets must not change what a test sees.
    for key in ["GITHUB_STEP_SUMMARY", "NO_COLOR", "MASTERY_LEDGER"] { merged.removeValue(forKey: key) }
    // Each run its own ledger unless a test shares one on purpose.
    merged["MASTERY_LEDGER"] = folder + "/ledger.sqlite"
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    if let input {
      let inPath = folder + "/stdin"
      try input.write(toFile: inPath, atomically: true, encoding: .utf8)
      process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    try process.run()
    process.waitUntilExit()
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return CommandResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
  }
}

/// What the machine running the tests allows.
public enum TestHost {
  /// Whether this process may mount in a mount namespace of its own (root, or a host that
  /// allows it): to fill a small disk or make a folder read-only for real.
  public static let canMount: Bool = {
    (try? CommandRunner.run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount -t tmpfs -o size=16k t /mnt"]))?
      .status == 0
  }()
}

extension CommandRunner {
  /// Starts the built `mastery` with `arguments` and kills it (SIGKILL) once the ledger at
  /// `ledger` holds `decisions` decision records, read without locking it (the run may be creating
  /// it). Returns how the process ended: `.uncaughtSignal` when it was killed in time.
  public static func masteryKilled(
    _ arguments: [String], whenLedger ledger: String, holds decisions: Int
  ) throws -> Process.TerminationReason {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.masteryBinary)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while process.isRunning, Date() < deadline {
      if let counts = SQLiteLedger.peekCounts(at: ledger), counts.decisions >= decisions {
        kill(process.processIdentifier, SIGKILL)
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    return process.terminationReason
  }
}
