/// A rubric as a teacher reads it: what is certified, what to submit, how
/// each criterion is judged (with its level descriptors), and when the
/// credential is earned, in plain sentences.
public struct RubricExplanation: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case text, markdown
  }

  public let rubric: Microcredential

  public init(rubric: Microcredential) {
    self.rubric = rubric
  }

  public func render(_ format: Format) -> String {
    format == .markdown ? markdown : text
  }

  // MARK: Sentences shared by both formats

  private func label(_ levelID: String) -> String { rubric.level(levelID)?.label ?? levelID }

  private func title(ofCriterion id: String) -> String { rubric.criterion(id)?.title ?? id }

  /// "You earn this when ..." for the mastery policy.
  public var policySentence: String {
    let policy = rubric.policy
    var conditions: [String] = []
    if let every = policy.everyCriterion {
      conditions.append("every criterion is at least \(label(every.level))")
    }
    for gate in policy.gates {
      conditions.append("\(title(ofCriterion: gate.criterion)) is at least \(label(gate.level))")
    }
    if let total = policy.total {
      switch total.threshold {
      case .percent(let percent):
        conditions.append(
          "your weighted total is at least \(percent.compact)% of the \(rubric.maximumPoints.compact) points")
      case .amount(let points):
        conditions.append("your weighted total is at least \(points.compact) of \(rubric.maximumPoints.compact) points")
      }
    }
    guard !conditions.isEmpty else { return "You earn this with any complete submission." }
    return "You earn this when " + Self.list(conditions) + "."
  }

  /// How attempts count, in one sentence.
  public var attemptsSentence: String {
    let attempts = rubric.policy.attempts
    let limit = attempts.maximum.map { "You may submit up to \(plural($0, "time")); " } ?? "You may resubmit; "
    switch attempts.rule {
    case .latest: return limit + "your latest attempt counts."
    case .highest: return limit + "your best result on each criterion counts."
    case .average: return limit + "the average of your results on each criterion counts."
    case .decayingAverage:
      return limit
        + "on each criterion, recent attempts count more (a decaying average, decay \(attempts.decay?.compact ?? "?"))."
    case .nMastery:
      return limit
        + "a level counts once you reach it in \(attempts.count.map { plural($0, "attempt") } ?? "several attempts")."
    }
  }

  private static func list(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    case 2: return "\(items[0]) and \(items[1])"
    default: return items.dropLast().joined(separator: ", ") + ", and " + (items.last ?? "")
    }
  }

  private func evidenceLine(_ item: EvidenceItem) -> String {
    var facts: [String] = [item.kind.rawValue]
    if let path = item.path { facts.append("at \(path)") }
    switch (item.minWords, item.maxWords) {
    case (let low?, let high?): facts.append("\(low)–\(high) words")
    case (let low?, nil): facts.append("at least \(low) words")
    case (nil, let high?): facts.append("at most \(high) words")
    case (nil, nil): break
    }
    facts.append(item.required ? "required" : "optional")
    let description = item.description.isEmpty ? item.id : item.description
    return "\(description) (\(facts.joined(separator: ", ")))"
  }

  private func judgedBy(_ criterion: Criterion) -> [String] {
    criterion.evaluator.configuration?.explanation(
      levels: rubric.levels, evidence: criterion.evidence.compactMap(rubric.evidenceItem)) ?? []
  }

  /// A criterion's evidence as the candidate knows it, never by the rubric's internal id.
  ///
  /// - Parameters:
  ///   - criterion: The criterion.
  ///   - code: Wraps a path (backticks in Markdown).
  /// - Returns: Each item's name (its description's first clause) and where it goes in the
  ///   submission, "; " between them.
  private func evidenceNames(_ criterion: Criterion, code: (String) -> String = { $0 }) -> String {
    criterion.evidence.map { id in
      guard let item = rubric.evidenceItem(id) else { return id }
      let name = Self.shortName(item.description)
      switch (name.isEmpty, item.path) {
      case (false, let path?): return "\(name) (\(code(path)))"
      case (true, let path?): return code(path)
      case (false, nil): return name
      case (true, nil): return item.kind == .url ? "a web address" : id
      }
    }.joined(separator: "; ")
  }

  /// The first clause of a description, up to its first colon or else its first full stop.
  ///
  /// The whole description when the cut would leave a parenthesis open ("(e.g. ...").
  static func shortName(_ description: String) -> String {
    var name = Substring(description)
    if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
    if let stop = name.range(of: ". ") { name = name[..<stop.lowerBound] }
    if name.filter({ $0 == "(" }).count != name.filter({ $0 == ")" }).count { name = Substring(description) }
    while name.last == "." || name.last == " " { name = name.dropLast() }
    return String(name)
  }

  private var levelScale: String {
    rubric.levels.map { "\($0.label) (\($0.score.compact))" }.joined(separator: " < ")
  }

  private var alignmentList: [String] {
    rubric.alignments.map { alignment in
      var parts = [alignment.framework]
      if let code = alignment.code { parts.append(code) }
      if let name = alignment.name { parts.append("“\(name)”") }
      return parts.joined(separator: " ")
    }
  }

  // MARK: Text

  private var text: String {
    var out: [String] = []
    out.append("\(rubric.title) (\(rubric.id) \(rubric.version))")
    out.append("Issued by \(rubric.issuer.name)" + (rubric.issuer.url.map { " <\($0)>" } ?? ""))
    out.append("")
    if let description = rubric.description { out.append(description) }
    out.append("Competency: \(rubric.competency)")
    if let method = rubric.keyMethod { out.append("Key method: \(method)") }
    if !alignmentList.isEmpty { out.append("Aligned with: " + alignmentList.joined(separator: "; ")) }
    out.append("Levels: \(levelScale)")
    out.append("")
    out.append("What you submit")
    for item in rubric.evidence { out.append("  • \(evidenceLine(item))") }
    out.append("")
    out.append("How it is judged")
    for (number, criterion) in rubric.criteria.enumerated() {
      out.append(
        "  \(number + 1). \(criterion.title) (weight \(criterion.weight.compact)); judged from: \(evidenceNames(criterion))"
      )
      if let description = criterion.description { out.append("     \(description)") }
      for line in judgedBy(criterion) { out.append("     \(line)") }
      for level in rubric.levels {
        if let descriptor = criterion.descriptor(for: level.id) {
          out.append("     \(level.label): \(descriptor.text)")
        }
      }
    }
    out.append("")
    out.append("How you earn it")
    out.append("  \(policySentence)")
    out.append("  \(attemptsSentence)")
    return out.joined(separator: "\n") + "\n"
  }

  // MARK: Markdown

  private static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }

  private var markdown: String {
    var out: [String] = []
    out.append("# \(rubric.title)")
    out.append("")
    out.append(
      "`\(rubric.id)` version \(rubric.version), issued by "
        + (rubric.issuer.url.map { "[\(rubric.issuer.name)](\($0))" } ?? rubric.issuer.name) + ".")
    out.append("")
    if let description = rubric.description {
      out.append(description)
      out.append("")
    }
    out.append("**Competency:** \(rubric.competency)")
    if let method = rubric.keyMethod {
      out.append("")
      out.append("**Key method:** \(method)")
    }
    if !alignmentList.isEmpty {
      out.append("")
      out.append("**Aligned with:** " + alignmentList.joined(separator: "; "))
    }
    out.append("")
    out.append("**Levels:** \(levelScale)")
    out.append("")
    out.append("## What you submit")
    out.append("")
    for item in rubric.evidence { out.append("- \(evidenceLine(item))") }
    out.append("")
    out.append("## How it is judged")
    for criterion in rubric.criteria {
      out.append("")
      out.append("### \(criterion.title)")
      out.append("")
      out.append(
        "Weight \(criterion.weight.compact); judged from: \(evidenceNames(criterion) { "`\($0)`" })."
      )
      if let description = criterion.description {
        out.append("")
        out.append(description)
      }
      let judged = judgedBy(criterion)
      if !judged.isEmpty {
        out.append("")
        for line in judged { out.append("- \(line)") }
      }
      let described = rubric.levels.compactMap { level in criterion.descriptor(for: level.id).map { (level, $0) } }
      if !described.isEmpty {
        out.append("")
        out.append("| Level | What it looks like |")
        out.append("| --- | --- |")
        for (level, descriptor) in described {
          out.append("| \(Self.cell(level.label)) | \(Self.cell(descriptor.text)) |")
        }
      }
    }
    out.append("")
    out.append("## How you earn it")
    out.append("")
    out.append(policySentence)
    out.append("")
    out.append(attemptsSentence)
    return out.joined(separator: "\n") + "\n"
  }
}
