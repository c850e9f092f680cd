/// Splits CSS into tokens as browsers do (CSS Syntax Module Level 3, §4), so that
/// the `web` checks see real rules: text inside comments and strings is never
/// mistaken for an at-rule or a declaration.
///
/// It reads UTF-8 bytes once, front to back, and never looks back: linear in the input.
struct CSSTokenizer: IteratorProtocol {
  enum Token: Equatable {
    case ident(String)
    case function(String)
    case atKeyword(String)
    case hash(String)
    case string(String)
    case badString
    case url(String)
    case badURL
    case delim(UInt8)
    case number(Double)
    case percentage(Double)
    case dimension(Double, unit: String)
    case whitespace
    case cdo
    case cdc
    case colon
    case semicolon
    case comma
    case openSquare
    case closeSquare
    case openParen
    case closeParen
    case openCurly
    case closeCurly
  }

  private static let punctuation: [UInt8: Token] = [
    UInt8(ascii: "("): .openParen, UInt8(ascii: ")"): .closeParen, UInt8(ascii: "["): .openSquare,
    UInt8(ascii: "]"): .closeSquare, UInt8(ascii: "{"): .openCurly, UInt8(ascii: "}"): .closeCurly,
    UInt8(ascii: ","): .comma, UInt8(ascii: ":"): .colon, UInt8(ascii: ";"): .semicolon,
  ]

  private let bytes: [UInt8]
  private var index = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  init(_ text: String) {
    self.init(Array(text.utf8))
  }

  /// Every token of `bytes`, in order.
  static func tokens(_ bytes: [UInt8]) -> [Token] {
    var tokenizer = CSSTokenizer(bytes)
    var tokens: [Token] = []
    while let token = tokenizer.next() { tokens.append(token) }
    return tokens
  }

  // MARK: code points

  private func byte(at offset: Int = 0) -> UInt8? {
    index + offset < bytes.count ? bytes[index + offset] : nil
  }

  private static func isNewline(_ byte: UInt8?) -> Bool {
    byte == 0x0A || byte == 0x0D || byte == 0x0C
  }

  private static func isWhitespace(_ byte: UInt8?) -> Bool {
    isNewline(byte) || byte == 0x20 || byte == 0x09
  }

  private static func isDigit(_ byte: UInt8?) -> Bool {
    guard let byte else { return false }
    return byte >= 0x30 && byte <= 0x39
  }

  private static func isHexDigit(_ byte: UInt8?) -> Bool {
    guard let byte else { return false }
    return isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
  }

  private static func isIdentStart(_ byte: UInt8?) -> Bool {
    guard let byte else { return false }
    return (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
  }

  private static func isIdent(_ byte: UInt8?) -> Bool {
    isIdentStart(byte) || isDigit(byte) || byte == UInt8(ascii: "-")
  }

  /// §4.3.8: a backslash that starts an escape (not one before a newline).
  private func isValidEscape(at offset: Int = 0) -> Bool {
    byte(at: offset) == UInt8(ascii: "\\") && !Self.isNewline(byte(at: offset + 1))
  }

  /// §4.3.9: the next code points start an ident sequence.
  private func startsIdent(at offset: Int = 0) -> Bool {
    let first = byte(at: offset)
    if first == UInt8(ascii: "-") {
      let second = byte(at: offset + 1)
      return Self.isIdentStart(second) || second == UInt8(ascii: "-") || isValidEscape(at: offset + 1)
    }
    return Self.isIdentStart(first) || isValidEscape(at: offset)
  }

  /// §4.3.10: the next code points start a number.
  private func startsNumber() -> Bool {
    let first = byte()
    if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      return Self.isDigit(byte(at: 1)) || (byte(at: 1) == UInt8(ascii: ".") && Self.isDigit(byte(at: 2)))
    }
    if first == UInt8(ascii: ".") { return Self.isDigit(byte(at: 1)) }
    return Self.isDigit(first)
  }

  // MARK: tokens

  mutating func next() -> Token? {
    // Comments are consumed and produce nothing (§4.3.2).
    while byte() == UInt8(ascii: "/"), byte(at: 1) == UInt8(ascii: "*") {
      index += 2
      while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && byte(at: 1) == UInt8(ascii: "/")) {
        index += 1
      }
      index = min(index + 2, bytes.count)
    }
    guard let current = byte() else { return nil }
    if Self.isWhitespace(current) {
      while Self.isWhitespace(byte()) { index += 1 }
      return .whitespace
    }
    switch current {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      index += 1
      return string(until: current)
    case UInt8(ascii: "#"):
      if Self.isIdent(byte(at: 1)) || isValidEscape(at: 1) {
        index += 1
        return .hash(name())
      }
    case _ where Self.punctuation[current] != nil:
      index += 1
      return Self.punctuation[current]
    case UInt8(ascii: "+"), UInt8(ascii: "."):
      if startsNumber() { return numeric() }
    case UInt8(ascii: "-"):
      if startsNumber() { return numeric() }
      if byte(at: 1) == UInt8(ascii: "-"), byte(at: 2) == UInt8(ascii: ">") {
        index += 3
        return .cdc
      }
      if startsIdent() { return identLike() }
    case UInt8(ascii: "<"):
      if byte(at: 1) == UInt8(ascii: "!"), byte(at: 2) == UInt8(ascii: "-"), byte(at: 3) == UInt8(ascii: "-") {
        index += 4
        return .cdo
      }
    case UInt8(ascii: "@"):
      if startsIdent(at: 1) {
        index += 1
        return .atKeyword(name())
      }
    case UInt8(ascii: "\\"):
      if isValidEscape() { return identLike() }
    default:
      if Self.isDigit(current) { return numeric() }
      if Self.isIdentStart(current) { return identLike() }
    }
    index += 1
    return .delim(current)
  }

  /// §4.3.11: a name, with escapes decoded.
  private mutating func name() -> String {
    var out: [UInt8] = []
    while index < bytes.count {
      if Self.isIdent(bytes[index]) {
        out.append(bytes[index])
        index += 1
      } else if isValidEscape() {
        index += 1
        out.append(contentsOf: escape())
      } else {
        break
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// §4.3.7: the code point after a backslash (already consumed), as UTF-8.
  private mutating func escape() -> [UInt8] {
    guard let first = byte() else { return Array("\u{FFFD}".utf8) }
    if Self.isHexDigit(first) {
      var value: UInt32 = 0
      var count = 0
      while count < 6, let digit = byte(), Self.isHexDigit(digit) {
        value = value * 16 + UInt32(Character(UnicodeScalar(digit)).hexDigitValue ?? 0)
        index += 1
        count += 1
      }
      if byte() == 0x0D, byte(at: 1) == 0x0A {
        index += 2
      } else if Self.isWhitespace(byte()) {
        index += 1
      }
      let scalar = value == 0 ? nil : UnicodeScalar(value)
      return Array(String(scalar ?? "\u{FFFD}").utf8)
    }
    // Any other code point stands for itself: copy its UTF-8 bytes whole.
    var out = [first]
    index += 1
    while let next = byte(), next & 0xC0 == 0x80 {
      out.append(next)
      index += 1
    }
    return out
  }

  /// §4.3.5: a string whose opening quote is consumed.
  private mutating func string(until quote: UInt8) -> Token {
    var out: [UInt8] = []
    while let current = byte() {
      if current == quote {
        index += 1
        return .string(String(decoding: out, as: UTF8.self))
      }
      if Self.isNewline(current) { return .badString }  // the newline is not consumed
      if current == UInt8(ascii: "\\") {
        index += 1
        guard let next = byte() else { break }
        if Self.isNewline(next) {
          index += next == 0x0D && byte(at: 1) == 0x0A ? 2 : 1
        } else {
          out.append(contentsOf: escape())
        }
        continue
      }
      out.append(current)
      index += 1
    }
    return .string(String(decoding: out, as: UTF8.self))
  }

  /// §4.3.3: a number, percentage or dimension.
  private mutating func numeric() -> Token {
    let start = index
    if byte() == UInt8(ascii: "+") || byte() == UInt8(ascii: "-") { index += 1 }
    while Self.isDigit(byte()) { index += 1 }
    if byte() == UInt8(ascii: "."), Self.isDigit(byte(at: 1)) {
      index += 1
      while Self.isDigit(byte()) { index += 1 }
    }
    if byte() == UInt8(ascii: "e") || byte() == UInt8(ascii: "E") {
      let signed = byte(at: 1) == UInt8(ascii: "+") || byte(at: 1) == UInt8(ascii: "-")
      if Self.isDigit(byte(at: signed ? 2 : 1)) {
        index += signed ? 2 : 1
        while Self.isDigit(byte()) { index += 1 }
      }
    }
    let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) ?? 0
    if startsIdent() { return .dimension(value, unit: name()) }
    if byte() == UInt8(ascii: "%") {
      index += 1
      return .percentage(value)
    }
    return .number(value)
  }

  /// §4.3.4: an ident, a function, or a url.
  private mutating func identLike() -> Token {
    let text = name()
    guard byte() == UInt8(ascii: "(") else { return .ident(text) }
    index += 1
    guard text.lowercased() == "url" else { return .function(text) }
    var lookahead = index
    while lookahead < bytes.count, Self.isWhitespace(bytes[lookahead]) { lookahead += 1 }
    if lookahead < bytes.count, bytes[lookahead] == UInt8(ascii: "\"") || bytes[lookahead] == UInt8(ascii: "'") {
      return .function(text)
    }
    index = lookahead
    return url()
  }

  /// §4.3.6: an unquoted url, its `url(` and leading white space consumed.
  private mutating func url() -> Token {
    var out: [UInt8] = []
    while let current = byte() {
      switch current {
      case UInt8(ascii: ")"):
        index += 1
        return .url(String(decoding: out, as: UTF8.self))
      case _ where Self.isWhitespace(current):
        while Self.isWhitespace(byte()) { index += 1 }
        if byte() == nil || byte() == UInt8(ascii: ")") {
          index = min(index + 1, bytes.count)
          return .url(String(decoding: out, as: UTF8.self))
        }
        badURLRemnants()
        return .badURL
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "("):
        badURLRemnants()
        return .badURL
      case UInt8(ascii: "\\"):
        guard isValidEscape() else {
          badURLRemnants()
          return .badURL
        }
        index += 1
        out.append(contentsOf: escape())
      default:
        if current < 0x20 && current != 0x09 || current == 0x7F {
          badURLRemnants()
          return .badURL
        }
        out.append(current)
        index += 1
      }
    }
    return .url(String(decoding: out, as: UTF8.self))
  }

  /// §4.3.14: skips the rest of a bad url, up to and including its `)`.
  private mutating func badURLRemnants() {
    while let current = byte() {
      if current == UInt8(ascii: ")") {
        index += 1
        return
      }
      if isValidEscape() {
        index += 1
        _ = escape()
      } else {
        index += 1
      }
    }
  }
}
