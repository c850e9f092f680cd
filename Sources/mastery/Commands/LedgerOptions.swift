import ArgumentParser
import MasteryKit

/// Where the ledger is: `--ledger PATH`, else `MASTERY_LEDGER`, else `.mastery/ledger.sqlite`.
struct LedgerOptions: ParsableArguments {
  @Option(help: "The ledger file (default: $MASTERY_LEDGER, else .mastery/ledger.sqlite).", completion: .file())
  var ledger: String?

  var path: String { SQLiteLedger.path(option: ledger) }

  func validate() throws {
    if ledger?.isEmpty == true { throw ValidationError("--ledger needs a file name, e.g. --ledger .mastery/ledger.sqlite") }
  }

  /// Opens an existing ledger without ever creating or changing it, for the commands that only
  /// read; a missing ledger is invalid input (3), an unreadable one a grader failure (4).
  func openForReading() throws -> SQLiteLedger {
    do {
      return try SQLiteLedger(readingAt: path)
    } catch let error as LedgerError {
      Output.error("error: \(error)")
      if case .missing = error { throw ExitStatus.invalidInput.exitCode }
      throw ExitStatus.graderError.exitCode
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }

  /// Opens the ledger, or explains why it cannot be used (exit status 4: the grader's side failed).
  func open() throws -> SQLiteLedger {
    do {
      return try SQLiteLedger(path: path)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }
}

/// Where submissions' rubrics are found, shared by the review commands.
struct RubricOptions: ParsableArguments {
  @Option(help: "The folder searched for rubrics.", completion: .directory)
  var rubrics: String = "rubrics"

  @Option(help: "Use this rubric file instead.", completion: .file())
  var rubric: String?
}

/// A submission loaded and matched with its rubric, for the review commands.
struct ReviewTarget {
  let submission: Submission
  let rubric: Microcredential
  var key: SubmissionKey { SubmissionKey(submission) }

  /// Loads the submission and its rubric, printing findings and exiting 3 when either is unusable.
  static func load(_ path: String, rubrics: RubricOptions) async throws -> ReviewTarget {
    let load = try SubmissionLoader().load(path)
    guard let submission = load.submission, load.isValid else {
      for finding in load.findings { Output.error(finding.description) }
      Output.error("error: \(path) is not a usable submission")
      throw ExitStatus.invalidInput.exitCode
    }
    let catalog = try await RubricCatalog(folder: rubrics.rubrics, rubric: rubrics.rubric)
    switch catalog.rubric(for: submission) {
    case .success(let entry):
      return ReviewTarget(submission: submission, rubric: entry.rubric)
    case .failure(let failure):
      Output.error("error: \(failure.message)")
      throw ExitStatus.invalidInput.exitCode
    }
  }

  /// The reviewer criterion `id`, or an error naming the ones there are.
  func reviewerCriterion(_ id: String) throws -> Criterion {
    let reviewable = rubric.criteria.filter { $0.evaluator.kind == ReviewerConfiguration.description.kind }
    guard let criterion = reviewable.first(where: { $0.id == id }) else {
      let known = reviewable.map(\.id).joined(separator: ", ")
      let what = rubric.criterion(id) == nil ? "has no criterion '\(id)'" : "'\(id)' is not judged by reviewers"
      throw ValidationError("\(rubric.id) \(what); reviewer criteria: \(known.isEmpty ? "none" : known)")
    }
    return criterion
  }

  /// The level named by id, label or number (1 = the lowest).
  func level(_ text: String) throws -> Level {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let level = rubric.levels.first(where: { $0.id == trimmed || $0.label.lowercased() == trimmed.lowercased() }) {
      return level
    }
    if let number = Int(trimmed), number >= 1, number <= rubric.levels.count { return rubric.levels[number - 1] }
    let known = rubric.levels.enumerated().map { "\($0.offset + 1) \($0.element.id)" }.joined(separator: ", ")
    throw ValidationError("'\(trimmed)' is not a level of \(rubric.id); use one of: \(known)")
  }
}

/// Checks a reviewer id as review documents require it: 1 to 200 characters, no space at either end.
func checkReviewer(_ reviewer: String) throws {
  let trimmed = reviewer.trimmingCharacters(in: .whitespacesAndNewlines)
  guard !trimmed.isEmpty, trimmed == reviewer, reviewer.count <= 200 else {
    throw ValidationError("--reviewer must be 1 to 200 characters with no space at either end, e.g. an email address")
  }
}

/// "CRITERION=VALUE" pairs from repeated options.
func pairs(_ values: [String], option: String) throws -> [(String, String)] {
  try values.map { value in
    guard let equals = value.firstIndex(of: "=") else {
      throw ValidationError("--\(option) takes CRITERION=VALUE, not '\(value)'")
    }
    return (String(value[..<equals]), String(value[value.index(after: equals)...]))
  }
}
