import Foundation
import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

/// Shows how far a batch is, on standard error: on a terminal a bar redrawn
/// in place (at most ten times a second); elsewhere (CI logs) a plain line
/// every five seconds, with no control characters.
struct ProgressDisplay {
  let total: Int
  let terminal: Bool
  let enabled: Bool
  private let started = ContinuousClock.now
  private var lastShown: ContinuousClock.Instant
  private var drawn = false

  init(total: Int, enabled: Bool) {
    self.total = total
    self.enabled = enabled && total > 0
    terminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    lastShown = started
  }

  /// Seconds since the batch started.
  var elapsed: Double {
    (ContinuousClock.now - started).inSeconds
  }

  /// Called after each submission.
  mutating func update(_ summary: BatchSummary) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard now - lastShown >= (terminal ? .milliseconds(100) : .seconds(5)) else { return }
    lastShown = now
    if terminal {
      Output.progress("\r\u{1B}[2K" + bar(summary))
      drawn = true
    } else {
      Output.error(line(summary))
    }
  }

  /// Clears the bar before the summary is printed.
  mutating func finish() {
    guard drawn else { return }
    Output.progress("\r\u{1B}[2K")
    drawn = false
  }

  /// "412 of 1,000 submissions (41%), 38.2/s, about 15 s left; 200 earned, ...".
  func line(_ summary: BatchSummary) -> String {
    "batch: \(summary.total) of \(total) submissions (\(percent(summary))%), \(rate(summary)), \(remaining(summary)); "
      + summary.sentence
  }

  func bar(_ summary: BatchSummary) -> String {
    let width = 24
    let filled = total > 0 ? min(width, summary.total * width / total) : width
    return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
      + "\(summary.total)/\(total) \(percent(summary))% · \(rate(summary)) · \(remaining(summary))"
  }

  private func percent(_ summary: BatchSummary) -> Int { total > 0 ? summary.total * 100 / total : 100 }

  private func rate(_ summary: BatchSummary) -> String {
    let seconds = elapsed
    return seconds > 0 ? String(format: "%.1f/s", Double(summary.total) / seconds) : "-"
  }

  private func remaining(_ summary: BatchSummary) -> String {
    guard summary.total > 0 else { return "estimating time left" }
    let left = elapsed / Double(summary.total) * Double(total - summary.total)
    return "about \(BatchSummary.duration(left)) left"
  }
}
