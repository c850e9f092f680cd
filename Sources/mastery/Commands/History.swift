import ArgumentParser
import Foundation
import MasteryKit

struct History: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "A candidate's attempts side by side, or every review of one submission.",
    discussion: """
      With a candidate id: each credential the candidate attempted, its attempts side by side \
      (each criterion's level, each decision, the feedback given) and any attempt refused. \
      With a submission folder (or its submission.xml): every review and adjudication of that \
      submission, oldest first, superseded ones included.
      """)

  @Argument(help: "A candidate id, or a submission folder (or its submission.xml).", completion: .directory)
  var target: String

  @Option(help: "Only this credential's attempts (with a candidate id).")
  var credential: String?

  @Option(help: "text or json (with a candidate id).")
  var format: HistoryFormat = .text

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  func run() async throws {
    if Self.isSubmission(target) {
      try await reviews()
    } else {
      try attempts()
    }
  }

  /// A file, or a folder holding a manifest: a submission rather than a candidate id.
  static func isSubmission(_ path: String) -> Bool {
    var folder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { return false }
    return !folder.boolValue
      || FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(SubmissionLoader.manifestName))
  }

  private func reviews() async throws {
    let target = try await ReviewTarget.load(self.target, rubrics: rubrics)
    let store = try ledger.openForReading()
    let records = try Review.check { try store.history(target.key) }
    let superseded = Dictionary(
      records.compactMap { record in record.supersedes.map { ($0, record.id) } }, uniquingKeysWith: { $1 })
    if records.isEmpty { Output.write("no reviews of \(target.key)\n") }
    for record in records {
      let label = target.rubric.level(record.level)?.label ?? record.level
      var line =
        "#\(record.id) \(record.recordedAt) \(record.reviewer) \(record.kind == .adjudication ? "adjudicated" : "reviewed") \(record.criterion) = \(label)"
      if let feedback = record.feedback { line += ": \(feedback)" }
      if let reason = record.reason { line += " (reason: \(reason))" }
      if let later = superseded[record.id] { line += " [superseded by #\(later)]" }
      Output.write(line + "\n")
    }
  }

  /// One credential's attempts, each with its latest decision.
  struct Attempts: Encodable {
    var credential: String
    var candidate: String
    var decisions: [Decision]
    var refused: [RefusedAttempt]
  }

  struct RefusedAttempt: Encodable {
    var attempt: Int
    var reason: String
    var recordedAt: String
  }

  private func attempts() throws {
    let store = try ledger.openForReading()
    let candidate = target
    let (all, refusals) = try Review.check {
      let records = try store.attempts(credential: credential, candidate: candidate)
      let credentials = records.map(\.credential).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
      let all = try credentials.map { credential in
        let decisions = try records.filter { $0.credential == credential }.compactMap { record in
          try store.resumeState(
            SubmissionKey(credential: credential, candidate: candidate, attempt: record.attempt), wanted: { _ in true }
          ).latest?.decision
        }
        return (credential, decisions)
      }
      return (all, try store.refusals(credential: credential, candidate: candidate))
    }
    let histories = all.map { credential, decisions in
      Attempts(
        credential: credential, candidate: candidate, decisions: decisions,
        refused: refusals.filter { $0.submission.credential == credential }.map {
          RefusedAttempt(attempt: $0.submission.attempt, reason: $0.reason, recordedAt: $0.recordedAt)
        })
    }
    .filter { !$0.decisions.isEmpty || !$0.refused.isEmpty }
    guard !histories.isEmpty else {
      Output.error(
        "error: the ledger \(ledger.path) has no attempts by '\(candidate)'\(credential.map { " at \($0)" } ?? "")"
          + (FileManager.default.fileExists(atPath: candidate) ? " (\(candidate) is not a submission folder)" : ""))
      throw ExitStatus.invalidInput.exitCode
    }
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      Output.write(String(decoding: try encoder.encode(histories), as: UTF8.self) + "\n")
    case .text:
      Output.write(histories.map(Self.text).joined(separator: "\n"))
    }
  }

  /// Attempts side by side: a column per attempt, a row per criterion, then the feedback given.
  static func text(_ history: Attempts) -> String {
    let decisions = history.decisions
    let first = decisions.first
    var out: [String] = []
    let who = first?.submission.candidate.display ?? history.candidate
    let title = first.map { "\($0.credential.title) (\(history.credential))" } ?? history.credential
    var policy = ""
    if let attempts = decisions.last?.attempts {
      policy = ": \(attempts.policy) attempt counts"
      if let max = attempts.max { policy += ", at most \(max) attempts" }
    }
    out.append("\(who), \(title)\(policy)")
    var criteria: [(id: String, title: String)] = []
    for decision in decisions {
      for result in decision.criteria where !criteria.contains(where: { $0.id == result.criterion }) {
        criteria.append((result.criterion, result.title))
      }
    }
    var rows: [[String]] = [[""] + decisions.map { "attempt \($0.submission.attempt)" }]
    rows.append(["graded"] + decisions.map { String($0.gradedAt.prefix(10)) })
    rows.append(["rubric version"] + decisions.map(\.credential.version))
    for criterion in criteria {
      rows.append(
        [criterion.title]
          + decisions.map { decision in
            guard let result = decision.criteria.first(where: { $0.criterion == criterion.id }) else { return "-" }
            var cell: String
            switch result.status {
            case .scored: cell = result.levelLabel ?? "?"
            case .pending: cell = "pending"
            case .error: cell = "error"
            }
            if let from = result.acrossAttempts?.carriedFrom { cell += " (kept from \(from))" }
            return cell
          })
    }
    rows.append(
      ["decision"]
        + decisions.map { decision in
          decision.outcome.label + (decision.attempts?.identicalTo.map { " (same as \($0))" } ?? "")
        })
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
      out.append(
        String(
          zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .reversed().drop { $0 == " " }.reversed()))
    }
    for refusal in history.refused {
      out.append("attempt \(refusal.attempt) refused \(refusal.recordedAt): \(refusal.reason)")
    }
    for decision in decisions {
      out.append("")
      out.append("Attempt \(decision.submission.attempt): \(decision.outcome.label)")
      for reason in decision.reasons { out.append("  \(reason)") }
      for result in decision.criteria {
        let lines = [result.summary].compactMap { $0 } + result.feedback
        guard !lines.isEmpty else { continue }
        out.append("  \(result.title):")
        out += lines.map { "    \($0)" }
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
