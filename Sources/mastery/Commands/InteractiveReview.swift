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
  /// The text extracted from document evidence (PDFs), by full path, made before the review starts.
  var documentTexts: [String: String] = [:]
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
      "\(todo.count) \(todo.count == 1 ? "criterion" : "criteria") to review. At a prompt: ? shows the levels again, p pages the evidence, "
        + (Self.opener == nil ? "" : "o opens a file with the desktop's program, ")
        + "s skips, q quits."
    )
    let progress = ReviewProgress(total: todo.count, command: gradeCommand)
    let interruption = progress.sayOnInterrupt()
    defer { interruption.cancel() }
    for (number, criterion) in todo.enumerated() {
      say("")
      say("[\(number + 1)/\(todo.count)] \(criterion.title) (\(criterion.id))")
      if let description = criterion.description { say(description) }
      showLevels(criterion)
      showEvidence(criterion, page: false)
      guard let level = askLevel(criterion) else { return say(progress.summary(ending: "You quit.")) }
      guard let level = level else { continue }
      say("Feedback for the candidate (one line, empty for none):")
      guard let line = prompt("> ") else {
        return say(progress.summary(ending: "Input ended before the feedback; \(criterion.id) was not saved."))
      }
      let feedback = line.trimmingCharacters(in: .whitespaces)
      let record = try ledger.add(
        ReviewEntry(
          submission: target.key, criterion: criterion.id, reviewer: reviewer, level: level.id,
          feedback: feedback.isEmpty ? nil : feedback, rubricVersion: target.rubric.version),
        revise: false)
      progress.saved()
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
    say(progress.summary(ending: "Done."))
  }

  /// The command that brings the decision up to date after these reviews.
  private var gradeCommand: String {
    "mastery grade \(shellQuoted(target.submission.folder))"
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
      case "o" where Self.opener != nil: openEvidence(criterion)
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
      let shown: String
      var pageable = full
      var extracted: String?
      if let text = documentTexts[full] {
        shown = full + ", its text as pdftotext extracts it"
        extracted = text
      } else if let text = EvidenceText.plainText(full) {
        shown = full
        extracted = text
      } else {
        var hint = Self.opener == nil ? "" : "; o opens it with the desktop's program"
        if full.lowercased().hasSuffix(".pdf"), EvidenceText.pdfToText == nil {
          hint += "; install poppler-utils to read a PDF's text here"
        }
        say("Evidence '\(id)': file \(full) (\(EvidenceText.describeSize(full)), not text\(hint))")
        continue
      }
      let text = extracted ?? ""
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      if page {
        if documentTexts[full] != nil, let copy = temporaryCopy(text) { pageable = copy }
        pager(pageable)
        if pageable != full { unlink(pageable) }
      } else {
        say("Evidence '\(id)' (\(shown)):")
        for line in lines.prefix(Self.inlineLines) { say("  | \(line)") }
        if lines.count > Self.inlineLines {
          say("  | ... \(lines.count - Self.inlineLines) more lines: p pages the whole text")
        }
      }
    }
  }

  /// Opens a file in $PAGER (else less) on the terminal, in this process's own process group so
  /// the pager is in the terminal's foreground (Foundation's `Process` starts a new group, which
  /// a pager reading the terminal stops in). Ctrl-C belongs to the pager while it runs.
  private func pager(_ path: String) {
    let pager = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less"
    ForegroundProcess.run(["/bin/sh", "-c", "\(pager) \"$1\"", "pager", path])
  }

  /// A private temporary file holding `text`, for the pager.
  private func temporaryCopy(_ text: String) -> String? {
    var template = Array((NSTemporaryDirectory() + "mastery-evidence-XXXXXX.txt").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
      guard let start = buffer.baseAddress else { return -1 }
      return mkstemps(start, 4)
    }
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    guard Output.writeAll(text, to: descriptor) == 0 else {
      unlink(path)
      return nil
    }
    return path
  }

  /// The text of each PDF among the evidence of `criteria`, extracted in the sandbox.
  static func documentTexts(_ criteria: [Criterion], target: ReviewTarget) async -> [String: String] {
    var texts: [String: String] = [:]
    let sandbox = BubblewrapSandbox()
    for id in Set(criteria.flatMap(\.evidence)).sorted() {
      guard let path = target.submission.answer(for: id)?.path ?? target.rubric.evidenceItem(id)?.path else { continue }
      let full = (target.submission.folder as NSString).appendingPathComponent(path)
      var info = stat()
      guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG, EvidenceText.isPDF(full) else { continue }
      if let text = await EvidenceText.pdf(full, sandbox: sandbox) { texts[full] = text }
    }
    return texts
  }

  /// The desktop's opener (`xdg-open`) when there is a desktop to open things on.
  static let opener: String? = {
    let environment = ProcessInfo.processInfo.environment
    guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return nil }
    return FileManager.default.isExecutableFile(atPath: "/usr/bin/xdg-open") ? "/usr/bin/xdg-open" : nil
  }()

  /// Opens each evidence file of `criterion` with the desktop's program.
  private func openEvidence(_ criterion: Criterion) {
    guard let opener = Self.opener else { return }
    for id in criterion.evidence {
      guard let path = target.submission.answer(for: id)?.path ?? target.rubric.evidenceItem(id)?.path else { continue }
      let full = (target.submission.folder as NSString).appendingPathComponent(path)
      if (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil { continue }
      guard FileManager.default.fileExists(atPath: full) else { continue }
      say("opening \(full)")
      ForegroundProcess.run([opener, full])
    }
  }
}

/// Counts what an interactive review saved and says it when the review ends, however it ends.
final class ReviewProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  let total: Int
  let command: String

  init(total: Int, command: String) {
    self.total = total
    self.command = command
  }

  func saved() { lock.withLock { count += 1 } }

  /// "2 of 3 criteria saved; run `mastery grade …` to update the decision."
  func summary(ending: String) -> String {
    let saved = lock.withLock { count }
    let what = "\(saved) of \(total) \(total == 1 ? "criterion" : "criteria") saved"
    let next =
      saved == 0
      ? "nothing was changed."
      : "run `\(command)` to update the decision (others can see your reviews in `mastery history`)."
    return "\(ending) \(what); \(next)"
  }

  /// On Ctrl-C: says what was saved, then exits 130 as shells expect.
  func sayOnInterrupt() -> any DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [self] in
      // Ctrl-C in a pager is the pager's.
      if ForegroundProcess.isRunning { return }
      Output.error("\n" + summary(ending: "Interrupted."))
      _exit(130)
    }
    source.resume()
    return source
  }
}

/// Quotes `text` for a POSIX shell when it needs it.
func shellQuoted(_ text: String) -> String {
  let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
  return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
