import Foundation

/// Grades a `text` criterion: a written reflection or answer, present,
/// within its word limits, and answering the prompts the rubric lists.
///
/// Checks: the word limits (one check, when any limit applies) and each
/// prompt (one check each). A heading prompt is met when the text has that
/// heading (a Markdown `#` heading, a setext heading, or a line that is all
/// bold) whose words begin with the prompt's words (case and punctuation
/// ignored), followed by at least one word before the next heading; a keyword
/// prompt when the word or phrase appears anywhere (case ignored). Headings do
/// not count as words.
public struct TextEvaluator: Evaluator {
  public let configuration: TextConfiguration
  /// The most text read per criterion; the rest is ignored (and said so).
  static let readLimit = 2 << 20

  public init(configuration: TextConfiguration) {
    self.configuration = configuration
  }

  public func evaluate(_ input: EvaluationInput) async throws -> Verdict {
    guard let mapping = configuration.mapping else { return .error("the text evaluator has no level mapping") }
    let items = input.evidence.filter { $0.item.kind == .text }
    let sources = items.isEmpty ? input.evidence : items
    var text = ""
    var truncated = false
    for source in sources {
      guard let folder = source.fullPath else { continue }
      for file in source.files {
        let full =
          source.item.kind == .folder
          ? (input.submission.folder as NSString).appendingPathComponent(file.path) : folder
        guard let handle = FileHandle(forReadingAtPath: full) else { continue }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: max(0, Self.readLimit - text.utf8.count))) ?? Data()
        truncated = truncated || file.bytes > data.count
        text += String(decoding: data, as: UTF8.self) + "\n"
      }
    }
    let document = TextAnalysis(text)
    let names = sources.map { $0.path ?? $0.item.id }.joined(separator: ", ")
    guard document.wordCount > 0 else {
      return .scored(mapping.floor, summary: "no text", feedback: ["\(names) has no text: write your answer there."])
    }
    var met = 0
    var checks = 0
    var feedback: [String] = []
    if truncated { feedback.append("Only the first \(Self.readLimit >> 20) MiB of text was read.") }
    let (minimum, maximum) = configuration.wordLimits(reading: input.evidence.map(\.item))
    let words = document.wordCount
    if minimum != nil || maximum != nil {
      checks += 1
      if let minimum, words < minimum {
        feedback.append("\(words) words: write at least \(minimum).")
      } else if let maximum, words > maximum {
        feedback.append("\(words) words: keep it to at most \(maximum).")
      } else {
        met += 1
      }
    }
    for prompt in configuration.prompts {
      checks += 1
      switch prompt.match {
      case .heading(let heading):
        switch document.section(headed: heading) {
        case .answered: met += 1
        case .empty: feedback.append("The section “\(heading)” is there but has no text under it.")
        case .absent:
          feedback.append("Add a section headed “\(heading)”." + (prompt.guidance.isEmpty ? "" : " \(prompt.guidance)"))
        }
      case .keyword(let keyword):
        if document.mentions(keyword) {
          met += 1
        } else {
          feedback.append("Address “\(keyword)”." + (prompt.guidance.isEmpty ? "" : " \(prompt.guidance)"))
        }
      }
    }
    guard checks > 0 else {
      return .scored(mapping.steps.first?.level ?? mapping.floor, summary: "\(words) words", feedback: feedback)
    }
    let level = mapping.level(count: Double(met), of: Double(checks))
    return .scored(level, summary: "\(words) words; \(met) of \(checks) checks met", feedback: feedback)
  }
}

/// Words, headings and sections of a Markdown or plain-text answer.
struct TextAnalysis {
  enum Section: Equatable {
    case answered, empty, absent
  }

  private struct Line {
    var text: String
    var headingKey: String?
  }

  private let lines: [Line]
  let wordCount: Int
  private let folded: String

  init(_ text: String) {
    let raw = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    var lines: [Line] = []
    for (index, line) in raw.enumerated() {
      let next = index + 1 < raw.count ? raw[index + 1].trimmingWhitespace : ""
      lines.append(Line(text: line, headingKey: Self.headingKey(line, next: next)))
    }
    self.lines = lines
    wordCount = lines.reduce(0) { count, line in
      line.headingKey == nil && !Self.isRule(line.text) ? count + Self.words(in: line.text) : count
    }
    folded = " " + Self.fold(text) + " "
  }

  /// A letter or digit (ASCII fast path; Unicode properties beyond it).
  @inline(__always)
  private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return (value >= 0x30 && value <= 0x39) || (value | 0x20 >= 0x61 && value | 0x20 <= 0x7A)
    }
    return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
  }

  @inline(__always)
  private static func isSpaceScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
    return scalar.properties.isWhitespace
  }

  /// Tokens between white space that hold at least one letter or digit.
  static func words(in text: String) -> Int {
    var count = 0
    var inToken = false
    var tokenHasWord = false
    for scalar in text.unicodeScalars {
      if isSpaceScalar(scalar) {
        if inToken, tokenHasWord { count += 1 }
        inToken = false
        tokenHasWord = false
      } else {
        inToken = true
        if !tokenHasWord, isWordScalar(scalar) { tokenHasWord = true }
      }
    }
    if inToken, tokenHasWord { count += 1 }
    return count
  }

  /// Lowercase letters and digits, every other run folded to one space.
  static func fold(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var space = false
    for scalar in text.unicodeScalars {
      if isWordScalar(scalar) {
        if space, !out.isEmpty { out.append(" ") }
        space = false
        if scalar.value < 0x80 {
          out.append(Unicode.Scalar(UInt8(scalar.value) | (scalar.value >= 0x41 && scalar.value <= 0x5A ? 0x20 : 0)))
        } else {
          out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
      } else {
        space = true
      }
    }
    return String(out)
  }

  private static func isRule(_ line: String) -> Bool {
    let trimmed = line.trimmingWhitespace
    return trimmed.count >= 3 && (trimmed.allSatisfy { $0 == "=" } || trimmed.allSatisfy { $0 == "-" })
  }

  /// The folded heading text when `line` is a heading, else nil.
  private static func headingKey(_ line: String, next: String) -> String? {
    let trimmed = line.trimmingWhitespace
    guard !trimmed.isEmpty else { return nil }
    if trimmed.hasPrefix("#") {
      let text = trimmed.drop { $0 == "#" }
      guard text.first == " " || text.isEmpty else { return nil }
      return fold(String(text))
    }
    if isRule(next), !isRule(trimmed) { return fold(trimmed) }
    if trimmed.hasPrefix("**"), trimmed.hasSuffix("**") || trimmed.hasSuffix("**:"), trimmed.count > 4 {
      return fold(trimmed)
    }
    return nil
  }

  func section(headed heading: String) -> Section {
    let key = Self.fold(heading)
    guard
      let start = lines.firstIndex(where: { $0.headingKey == key || ($0.headingKey?.hasPrefix(key + " ") ?? false) })
    else { return .absent }
    var index = start + 1
    while index < lines.count, lines[index].headingKey == nil {
      if !Self.isRule(lines[index].text), Self.words(in: lines[index].text) > 0 { return .answered }
      index += 1
    }
    return .empty
  }

  func mentions(_ phrase: String) -> Bool {
    let key = Self.fold(phrase)
    return !key.isEmpty && folded.contains(" " + key + " ")
  }
}
