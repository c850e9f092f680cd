/// Translates the common CSS selector forms to XPath 1.0 so rubric authors
/// need not write XPath: `tag`, `#id`, `.class`, `[attr]`, `[attr=value]`,
/// compounds of these (`a.button[href]`), descendant (space) and child (`>`)
/// combinators, and `,` for alternatives.
public enum CSSSelector {
  /// The XPath for `selector`, or nil when it uses an unsupported form.
  public static func xpath(for selector: String) -> String? {
    let alternatives = selector.split(separator: ",", omittingEmptySubsequences: false)
    var parts: [String] = []
    for alternative in alternatives {
      guard let path = path(for: String(alternative)) else { return nil }
      parts.append(path)
    }
    return parts.isEmpty ? nil : parts.joined(separator: " | ")
  }

  private static func path(for selector: String) -> String? {
    var tokens: [String] = []
    var current = ""
    var inBrackets = false
    for character in selector {
      if character == "[" { inBrackets = true }
      if character == "]" { inBrackets = false }
      if !inBrackets, character == " " || character == ">" {
        if !current.isEmpty { tokens.append(current) }
        current = ""
        if character == ">" { tokens.append(">") }
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { tokens.append(current) }
    guard !tokens.isEmpty, tokens.first != ">", tokens.last != ">" else { return nil }
    var xpath = ""
    var axis = "//"
    for token in tokens {
      if token == ">" {
        // A child combinator needs a step before it, and never follows another.
        guard !xpath.isEmpty, axis == "//" else { return nil }
        axis = "/"
        continue
      }
      guard let step = compound(token) else { return nil }
      xpath += axis + step
      axis = "//"
    }
    return xpath
  }

  private static func isNameCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "-" || character == "_"
  }

  private static func compound(_ token: String) -> String? {
    var index = token.startIndex
    var tag = "*"
    var predicates: [String] = []
    func name() -> String {
      let start = index
      while index < token.endIndex, isNameCharacter(token[index]) { index = token.index(after: index) }
      return String(token[start..<index])
    }
    if token[index] == "*" {
      index = token.index(after: index)
    } else if isNameCharacter(token[index]) {
      tag = name().lowercased()
    }
    while index < token.endIndex {
      let marker = token[index]
      index = token.index(after: index)
      switch marker {
      case "#":
        let id = name()
        guard !id.isEmpty else { return nil }
        predicates.append("@id='\(id)'")
      case ".":
        let className = name()
        guard !className.isEmpty else { return nil }
        predicates.append("contains(concat(' ', normalize-space(@class), ' '), ' \(className) ')")
      case "[":
        guard let close = token[index...].firstIndex(of: "]") else { return nil }
        let inside = token[index..<close]
        index = token.index(after: close)
        if let equals = inside.firstIndex(of: "=") {
          let attribute = inside[..<equals].trimmingWhitespace
          var value = inside[inside.index(after: equals)...].trimmingWhitespace
          if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
          }
          guard !attribute.isEmpty, attribute.allSatisfy(isNameCharacter), !value.contains("'") else { return nil }
          predicates.append("@\(attribute)='\(value)'")
        } else {
          let attribute = inside.trimmingWhitespace
          guard !attribute.isEmpty, attribute.allSatisfy(isNameCharacter) else { return nil }
          predicates.append("@\(attribute)")
        }
      default:
        return nil
      }
    }
    return tag + predicates.map { "[\($0)]" }.joined()
  }
}
