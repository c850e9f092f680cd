/// `text`: a written reflection or answer: present, within word limits, and
/// answering the prompts the author lists (headings or keywords).
public struct TextConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "text", summary: "Reflections: presence, word counts, required prompts answered.",
    examples: [
      .valid(
        """
        <evaluator kind="text" min-words="150" max-words="600">
          <prompt id="impact" heading="Impact on Students">What changed for your students?</prompt>
          <prompt id="evidence" keyword="evidence"/>
          <level-at met="100%" level="proficient"/>
          <level-at met="50%" level="developing"/>
        </evaluator>
        """),
      .invalid(
        """
        <evaluator kind="text" min-words="600" max-words="150">
          <prompt id="p"/>
          <level-at met="80%" level="developing"/>
          <level-at met="50%" level="proficient"/>
        </evaluator>
        """, "word-limits", "evaluator-config", "threshold-order"),
    ])

  public struct Prompt: Sendable, Hashable {
    public enum Match: Sendable, Hashable {
      case heading(String)
      case keyword(String)
    }

    public var id: String
    public var match: Match
    public var guidance: String
    public var location: Location
  }

  public var minWords: Int?
  public var maxWords: Int?
  public var prompts: [Prompt]
  public var mapping: LevelMapping?

  public init(reading reader: ConfigurationReader) {
    minWords = reader.optionalInteger("min-words", in: 0...1_000_000)
    maxWords = reader.optionalInteger("max-words", in: 1...1_000_000)
    if let minWords, let maxWords, minWords > maxWords {
      reader.report(
        "min-words (\(minWords)) is above max-words (\(maxWords)); no text can satisfy both",
        at: reader.element.attribute("min-words")?.location, rule: RubricRules.wordLimits)
    }
    let readers = reader.children("prompt")
    reader.requireUniqueIDs(readers)
    prompts = readers.compactMap { prompt -> Prompt? in
      let id = prompt.requiredString("id")
      let heading = prompt.string("heading")
      let keyword = prompt.string("keyword")
      let match: Prompt.Match?
      switch (heading, keyword) {
      case (let heading?, nil): match = .heading(heading)
      case (nil, let keyword?): match = .keyword(keyword)
      default:
        prompt.report("<prompt> needs exactly one of 'heading' or 'keyword'")
        match = nil
      }
      guard let id, let match else { return nil }
      return Prompt(id: id, match: match, guidance: prompt.element.normalizedText, location: prompt.element.location)
    }
    mapping = reader.levelMapping(
      attribute: "met", total: readers.count + 1, noun: "checks (the word limits and each prompt)")
  }

  public var reachableLevels: Set<String>? { mapping?.reachableLevels }

  /// The word limits the evaluator checks: its own `min-words` and `max-words`, and where it
  /// leaves one out, the same attribute of the first evidence item read that sets it.
  ///
  /// - Parameter evidence: The criterion's evidence items. The items of kind `text` are read, or
  ///   all of them when the criterion names no `text` item.
  /// - Returns: The lowest and highest word count accepted; nil where no limit applies.
  public func wordLimits(reading evidence: [EvidenceItem]) -> (minimum: Int?, maximum: Int?) {
    let texts = evidence.filter { $0.kind == .text }
    let read = texts.isEmpty ? evidence : texts
    return (minWords ?? read.compactMap(\.minWords).first, maxWords ?? read.compactMap(\.maxWords).first)
  }

  public func explanation(levels: [Level], evidence: [EvidenceItem]) -> [String] {
    var lines: [String] = []
    let limits = wordLimits(reading: evidence)
    var check = ""
    if !prompts.isEmpty {
      let both = limits.minimum != nil && limits.maximum != nil
      check = both ? "; the word limits count as one check" : "; the word limit counts as one check"
    }
    switch limits {
    case (let low?, let high?): lines.append("Write between \(low) and \(high) words\(check).")
    case (let low?, nil): lines.append("Write at least \(low) words\(check).")
    case (nil, let high?): lines.append("Write at most \(high) words\(check).")
    case (nil, nil): break
    }
    for prompt in prompts {
      switch prompt.match {
      case .heading(let heading): lines.append("Include a section headed “\(heading)”." + guidance(prompt))
      case .keyword(let keyword): lines.append("Address “\(keyword)”." + guidance(prompt))
      }
    }
    lines += mapping?.explanation(levels: levels, noun: "checks are met") ?? []
    return lines
  }

  private func guidance(_ prompt: Prompt) -> String {
    prompt.guidance.isEmpty ? "" : " " + prompt.guidance
  }
}
