/// What the `web` checks read from CSS once it is tokenized: the at-rules of a
/// stylesheet and the declarations of a `style` attribute.
extension CSSTokenizer {
  /// What the `media-query` check needs from one stylesheet.
  struct StylesheetSummary: Equatable {
    /// An `@media` rule with a block, anywhere in the sheet.
    var hasMediaRule = false
    /// The `@import` rules browsers honour: those before every other rule but `@charset` and `@layer` statements.
    var imports: [Import] = []
  }

  struct Import: Equatable {
    var url: String
    /// The import carries a media condition with a feature (`screen and (max-width: 600px)`).
    var hasMediaCondition: Bool
  }

  /// Reads a stylesheet's at-rules in one pass.
  static func summary(of bytes: [UInt8]) -> StylesheetSummary {
    var summary = StylesheetSummary()
    var tokenizer = CSSTokenizer(bytes)
    var curly = 0
    var nested = 0  // open ( [ and functions
    var importsAllowed = true
    var awaitingMediaBlock = false
    while let token = tokenizer.next() {
      let topLevel = curly == 0 && nested == 0
      switch token {
      case .whitespace, .cdo, .cdc:
        continue
      case .atKeyword(let name) where topLevel && name.lowercased() == "import":
        let prelude = statement(&tokenizer)
        guard prelude.endedWithSemicolon else {
          importsAllowed = false
          if prelude.openedBlock { curly += 1 }
          continue
        }
        if importsAllowed, let found = importRule(prelude.tokens) { summary.imports.append(found) }
        continue
      case .atKeyword(let name) where topLevel && ["charset", "layer"].contains(name.lowercased()):
        // Statements (ending in ";") of these keep later imports valid; a `@layer` block does not.
        let prelude = statement(&tokenizer)
        if prelude.openedBlock {
          importsAllowed = false
          curly += 1
        }
        continue
      case .atKeyword(let name) where nested == 0 && name.lowercased() == "media":
        awaitingMediaBlock = true
      case .openCurly:
        if nested == 0, awaitingMediaBlock { summary.hasMediaRule = true }
        awaitingMediaBlock = false
        curly += 1
      case .closeCurly:
        awaitingMediaBlock = false
        if nested == 0 { curly = max(0, curly - 1) }
      case .semicolon:
        if nested == 0 { awaitingMediaBlock = false }
      case .openParen, .openSquare, .function:
        nested += 1
      case .closeParen, .closeSquare:
        nested = max(0, nested - 1)
      default:
        break
      }
      if topLevel { importsAllowed = false }
    }
    return summary
  }

  /// The tokens of an at-rule's prelude, up to its `;` or `{` (both consumed) at the top nesting level.
  private static func statement(_ tokenizer: inout CSSTokenizer) -> (
    tokens: [Token], endedWithSemicolon: Bool, openedBlock: Bool
  ) {
    var tokens: [Token] = []
    var nested = 0
    while let token = tokenizer.next() {
      switch token {
      case .semicolon where nested == 0: return (tokens, true, false)
      case .openCurly where nested == 0: return (tokens, false, true)
      case .openParen, .openSquare, .function: nested += 1
      case .closeParen, .closeSquare: nested = max(0, nested - 1)
      default: break
      }
      tokens.append(token)
    }
    return (tokens, false, false)
  }

  /// An `@import` prelude: its address, then optional `layer`, `supports(...)` and a media query list.
  private static func importRule(_ tokens: [Token]) -> Import? {
    var rest = tokens.filter { $0 != .whitespace }[...]
    let url: String
    switch rest.first {
    case .string(let text)?, .url(let text)?:
      url = text
      rest = rest.dropFirst()
    case .function(let name)? where name.lowercased() == "url":
      guard rest.count >= 3, case .string(let text) = rest[rest.startIndex + 1],
        rest[rest.startIndex + 2] == .closeParen
      else { return nil }
      url = text
      rest = rest.dropFirst(3)
    default:
      return nil
    }
    var condition = false
    var skipping = 0  // inside layer(...) or supports(...)
    for token in rest {
      switch token {
      case .function(let name) where skipping > 0 || ["layer", "supports"].contains(name.lowercased()):
        skipping += 1
      case .openParen where skipping > 0, .openSquare where skipping > 0:
        skipping += 1
      case .closeParen where skipping > 0, .closeSquare where skipping > 0:
        skipping -= 1
      case .openParen, .function:
        condition = true
      default:
        break
      }
    }
    return Import(url: url, hasMediaCondition: condition)
  }

  /// One declaration of a declaration list: `name: value [!important]`.
  struct Declaration: Equatable {
    /// Lower case.
    var name: String
    /// The value's tokens without white space or `!important`.
    var value: [Token]
    var important: Bool
  }

  /// The declarations of a `style` attribute (a declaration list), as a browser reads them: `;` inside
  /// strings, comments, `url(...)` or brackets does not end a declaration.
  static func declarations(in style: String) -> [Declaration] {
    var declarations: [Declaration] = []
    var tokenizer = CSSTokenizer(style)
    var current: [Token] = []
    var nested = 0
    func finish() {
      defer { current = [] }
      let tokens = current.filter { $0 != .whitespace }
      guard tokens.count >= 2, case .ident(let name) = tokens[0], tokens[1] == .colon else { return }
      var value = Array(tokens.dropFirst(2))
      var important = false
      if value.count >= 2, case .ident(let word) = value[value.count - 1], word.lowercased() == "important",
        value[value.count - 2] == .delim(UInt8(ascii: "!"))
      {
        important = true
        value.removeLast(2)
      }
      declarations.append(Declaration(name: name.lowercased(), value: value, important: important))
    }
    while let token = tokenizer.next() {
      switch token {
      case .semicolon where nested == 0:
        finish()
        continue
      case .openParen, .openSquare, .openCurly, .function: nested += 1
      case .closeParen, .closeSquare, .closeCurly: nested = max(0, nested - 1)
      default: break
      }
      current.append(token)
    }
    finish()
    return declarations
  }
}
