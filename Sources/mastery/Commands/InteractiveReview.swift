import Foundation
import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

/// The review in a terminal.
///
/// For each reviewer criterion the reviewer has not yet scored: the criterion, its level descriptors and the evidence, then the
/// level and feedback. Each criterion is saved as soon as both are entered,
/// so quitting or Ctrl-C keeps what was saved and nothing half-entered.
/// Other reviewers' levels are shown only after the reviewer saved their own.
struct InteractiveReview {
  let target: ReviewTarget
  let reviewer: String
  let ledger: any Ledger
  /// Lines of evidence text shown inline before offering the pager.
  static let inlineLines = 30

  static var isTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

  func run() throws {
    let criteria = target.rubric.criteria.filter { $0.evaluator.kind == ReviewerConfiguration.description.kind }
    var todo: [Criterion] = []
    for criterion in criteria {
      let mine = try ledger.current(target.key, criterion: criterion.id).filter {
        $0.reviewer == reviewer && $0.kind == .review
      }
      if mine.isEmpty { todo.append(criterion) }
    }
    say(
      "Reviewing \(target.rubric.title) \(target.rubric.version) for \(target.submission.candidate.display), attempt \(target.submission.attempt)"
    )
    guard !todo.isEmpty else {
      say("You have reviewed every reviewer criterion of this submission (use --revise with --score to change one).")
      return
    }
    say(
      "\(todo.count) \(todo.count == 1 ? "criterion" : "criteria") to review. At a prompt: ? shows the levels again, p pages the evidence, s skips, q quits."
    )
    for (number, criterion) in todo.enumerated() {
      say("")
      say("[\(number + 1)/\(todo.count)] \(criterion.title) (\(criterion.id))")
      if let description = criterion.description { say(description) }
      showLevels(criterion)
      showEvidence(criterion, page: false)
      guard let level = askLevel(criterion) else { return }
      guard let level = level else { continue }
      say("Feedback for the candidate (one line, empty for none):")
      guard let line = prompt("> ") else { return }
      let feedback = line.trimmingCharacters(in: .whitespaces)
      let record = try ledger.add(
        ReviewEntry(
          submission: target.key, criterion: criterion.id, reviewer: reviewer, level: level.id,
          feedback: feedback.isEmpty ? nil : feedback, rubricVersion: target.rubric.version),
        revise: false)
      say("saved review #\(record.id): \(criterion.id) = \(level.label)")
      let others = try ledger.current(target.key, criterion: criterion.id).filter { $0.reviewer != reviewer }
      if !others.isEmpty {
        say(
          "Other reviews: "
            + others.map { "\($0.reviewer): \(target.rubric.level($0.level)?.label ?? $0.level)" }.joined(
              separator: ", "))
      }
    }
    say("")
    say("Done.")
  }

  private func say(_ line: String) {
    Output.write(line + "\n")
  }

  /// Reads one line; nil at the end of input (Ctrl-D). (`q` quits at the level prompt.)
  private func prompt(_ text: String) -> String? {
    Output.write(text)
    guard let line = readLine(strippingNewline: true) else { return nil }
    return line
  }

  private func showLevels(_ criterion: Criterion) {
    for (index, level) in target.rubric.levels.enumerated() {
      let descriptor = criterion.descriptor(for: level.id)?.text ?? "(no descriptor)"
      say("  \(index + 1) \(level.label): \(descriptor)")
    }
  }

  /// The level chosen: .some(level), .some(nil) to skip, nil to quit.
  private func askLevel(_ criterion: Criterion) -> Level?? {
    while true {
      guard
        let answer = prompt("Level (1-\(target.rubric.levels.count), id, ?, p, s, q): ")?.trimmingCharacters(
          in: .whitespaces)
      else { return nil }
      switch answer.lowercased() {
      case "q": return nil
      case "s": return .some(nil)
      case "?": showLevels(criterion)
      case "p": showEvidence(criterion, page: true)
      default:
        if let level = try? target.level(answer) { return .some(level) }
        say(
          "'\(answer)' is not a level; give 1-\(target.rubric.levels.count) or one of: \(target.rubric.levels.map(\.id).joined(separator: ", "))"
        )
      }
    }
  }

  private func showEvidence(_ criterion: Criterion, page: Bool) {
    for id in criterion.evidence {
      guard let item = target.rubric.evidenceItem(id) else { continue }
      let path = target.submission.answer(for: id)?.path ?? item.path
      if let url = target.submission.answer(for: id)?.url {
        say("Evidence '\(id)': \(url)")
        continue
      }
      guard let path else {
        say("Evidence '\(id)': not given")
        continue
      }
      let full = (target.submission.folder as NSString).appendingPathComponent(path)
      // Never follow a symbolic link out of the submission (grading refuses them too).
      if (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil {
        say("Evidence '\(id)': \(full) is a symbolic link and is not shown")
        continue
      }
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else {
        say("Evidence '\(id)': \(full) is missing")
        continue
      }
      if isFolder.boolValue {
        let files = (FileManager.default.enumerator(atPath: full)?.allObjects as? [String] ?? []).sorted()
        say("Evidence '\(id)': folder \(full) (\(files.count) entries)")
        for file in files.prefix(50) { say("    \(file)") }
        continue
      }
      guard item.kind == .text, let text = try? String(contentsOfFile: full, encoding: .utf8) else {
        say("Evidence '\(id)': file \(full)")
        continue
      }
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if page {
        pager(full)
      } else {
        say("Evidence '\(id)' (\(full)):")
        for line in lines.prefix(Self.inlineLines) { say("  | \(line)") }
        if lines.count > Self.inlineLines {
          say("  | ... \(lines.count - Self.inlineLines) more lines: p pages the whole text")
        }
      }
    }
  }

  /// Opens a file in $PAGER (else less), on the terminal.
  private func pager(_ path: String) {
    let pager = ProcessInfo.processInfo.environment["PAGER"] ?? "less"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "\(pager) \"$1\"", "pager", path]
    try? process.run()
    process.waitUntilExit()
  }
}
