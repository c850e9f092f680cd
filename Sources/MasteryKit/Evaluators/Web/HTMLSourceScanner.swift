/// Reads a page's source as an HTML5 tokenizer does, for what libxml2's HTML 4
/// parser gets wrong: it finds start tags written `<div/>`.
///
/// HTML5 ignores the `/` of a self-closing start tag on an element that is
/// not void (and not inside `<svg>` or `<math>`): `<div/>` opens a div that
/// is never closed, so what follows ends up inside it. libxml2 closes it
/// instead, and says nothing. One pass over the bytes: linear in the page.
struct HTMLSourceScanner {
  /// A start tag that ends in `/>` on an element that HTML does not close that way.
  struct SelfClosedTag: Equatable {
    /// Lower case.
    var name: String
    var line: Int
  }

  /// Elements that never have content (HTML §13.1.2), and the legacy ones the parser treats alike.
  static let voidElements: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "basefont", "bgsound", "frame", "keygen", "param", "image",
  ]
  /// Elements whose content is text up to their own end tag (raw text and escapable raw text).
  private static let textElements: Set<String> = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
  ]

  private let bytes: [UInt8]
  private var index = 0
  private var line = 1

  private init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Every `<name .../>` on a non-void HTML element, in source order.
  static func selfClosedTags(in bytes: [UInt8]) -> [SelfClosedTag] {
    var scanner = HTMLSourceScanner(bytes)
    return scanner.scan()
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  /// Moves one byte on, counting lines as libxml2 and browsers do (LF, CRLF or a lone CR).
  private mutating func advance() {
    let byte = bytes[index]
    if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { line += 1 }
    index += 1
  }

  private func hasPrefix(_ prefix: String, caseInsensitive: Bool = false) -> Bool {
    var offset = index
    for expected in prefix.utf8 {
      guard offset < bytes.count else { return false }
      let found = caseInsensitive ? bytes[offset] | 0x20 : bytes[offset]
      guard found == expected else { return false }
      offset += 1
    }
    return true
  }

  /// Skips up to and including `terminator`, or to the end.
  private mutating func skip(past terminator: String) {
    while index < bytes.count, !hasPrefix(terminator) { advance() }
    for _ in terminator.utf8 where index < bytes.count { advance() }
  }

  private mutating func scan() -> [SelfClosedTag] {
    var found: [SelfClosedTag] = []
    var foreignDepth = 0  // open <svg> and <math> elements
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count else {
        advance()
        continue
      }
      let next = bytes[index + 1]
      if hasPrefix("<!--") {
        index += 4
        // "<!-->" and "<!--->" close at once (HTML §13.2.5.43-44).
        if hasPrefix(">") || hasPrefix("->") {
          skip(past: ">")
        } else {
          skip(past: "-->")
        }
      } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
        skip(past: ">")  // a doctype, or a bogus comment
      } else if next == UInt8(ascii: "/") {
        index += 2
        let name = tagName()
        if foreignDepth > 0, name == "svg" || name == "math" { foreignDepth -= 1 }
        skipAttributes()
      } else if Self.isLetter(next) {
        let tagLine = line
        index += 1
        let name = tagName()
        let selfClosing = skipAttributes()
        if foreignDepth > 0 {
          if !selfClosing, name == "svg" || name == "math" { foreignDepth += 1 }
          continue
        }
        if name == "svg" || name == "math" {
          if !selfClosing { foreignDepth = 1 }
          continue
        }
        if selfClosing, !Self.voidElements.contains(name) {
          found.append(SelfClosedTag(name: name, line: tagLine))
        }
        if Self.textElements.contains(name) { skipText(of: name) }
        if name == "plaintext" { return found }
      } else {
        advance()
      }
    }
    return found
  }

  /// The tag name at `index`, lower case (ASCII), ending at white space, `/` or `>`.
  private mutating func tagName() -> String {
    let start = index
    while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
      bytes[index] != UInt8(ascii: ">")
    {
      index += 1
    }
    return String(decoding: bytes[start..<index].map { Self.isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
  }

  /// Skips a tag's attributes and its `>`; true when it ended `/>` (HTML §13.2.5.32-40).
  @discardableResult
  private mutating func skipAttributes() -> Bool {
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: ">") {
        index += 1
        return false
      }
      if byte == UInt8(ascii: "/") {
        index += 1
        if index < bytes.count, bytes[index] == UInt8(ascii: ">") {
          index += 1
          return true
        }
        continue
      }
      if Self.isSpace(byte) {
        advance()
        continue
      }
      // An attribute name (its first character may be "="), then an optional value.
      index += 1
      while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
        bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "=")
      {
        index += 1
      }
      while index < bytes.count, Self.isSpace(bytes[index]) { advance() }
      guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
      index += 1
      while index < bytes.count, Self.isSpace(bytes[index]) { advance() }
      guard index < bytes.count else { break }
      let quote = bytes[index]
      if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
        index += 1
        while index < bytes.count, bytes[index] != quote { advance() }
        index = min(index + 1, bytes.count)
      } else {
        // Unquoted: runs to white space or ">", so a "/" here is part of the value (`<a href=x/>`).
        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
      }
    }
    return false
  }

  /// Skips the text of a raw-text element, up to the start of `</name` followed by white space, `/` or `>`.
  private mutating func skipText(of name: String) {
    let end = "</" + name
    while index < bytes.count {
      if hasPrefix(end, caseInsensitive: true) {
        let after = index + end.utf8.count
        if after == bytes.count || Self.isSpace(bytes[after]) || bytes[after] == UInt8(ascii: "/")
          || bytes[after] == UInt8(ascii: ">")
        {
          return
        }
      }
      advance()
    }
  }
}
