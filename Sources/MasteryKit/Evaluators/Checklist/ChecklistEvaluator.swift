/// Grades a `checklist` criterion from the checks the candidate affirms in the manifest.
///
/// An affirmed check counts only when a file it requires is attached (inside
/// the submission, not a link). A required check left unaffirmed gives the
/// lowest level whatever the count.
public struct ChecklistEvaluator: Evaluator {
  public let configuration: ChecklistConfiguration

  public init(configuration: ChecklistConfiguration) {
    self.configuration = configuration
  }

  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    guard let mapping = configuration.mapping else { return .error("the checklist has no level mapping") }
    let affirmations = Dictionary(
      input.submission.affirmations(for: input.criterion.id).map { ($0.check, $0) },
      uniquingKeysWith: { first, _ in first })
    var counted = 0
    var withoutFile = 0
    var feedback: [String] = []
    var files: [EvidenceFile] = []
    var missingRequired = false
    for check in configuration.checks {
      guard let affirmation = affirmations[check.id] else {
        if check.required {
          missingRequired = true
          feedback.append("Required, not affirmed: \(check.statement)")
        }
        continue
      }
      var attached = false
      if let path = affirmation.file {
        switch input.context.resolver.attachment(
          path, in: input.submission, label: "check:\(input.criterion.id)/\(check.id)")
        {
        case .success(let file):
          files.append(file)
          attached = true
        case .failure(let problem):
          feedback.append("The file for “\(check.statement)” cannot be used: \(Self.describe(problem, path))")
        }
      }
      if check.attachment == .required, !attached {
        withoutFile += 1
        if affirmation.file == nil { feedback.append("Attach a file that shows: \(check.statement)") }
        if check.required { missingRequired = true }
        continue
      }
      counted += 1
    }
    let total = configuration.checks.count
    var level = mapping.level(count: Double(counted), of: Double(total))
    if missingRequired {
      level = mapping.floor
    }
    var summary = "\(counted) of \(total) checks affirmed"
    if withoutFile > 0 {
      summary += " (\(withoutFile) more affirmed without the file \(withoutFile == 1 ? "it needs" : "they need"))"
    }
    return .scored(level, summary: summary, feedback: feedback, evidence: files)
  }

  private static func describe(_ problem: EvidenceResolver.AttachmentProblem, _ path: String) -> String {
    switch problem {
    case .unsafe: return "'\(path)' is outside the submission"
    case .absent: return "'\(path)' is not in the submission"
    case .folder: return "'\(path)' is a folder; attach a file"
    case .symlink(let link): return "'\(link)' is a symbolic link; attach the file itself"
    }
  }
}
