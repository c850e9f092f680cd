/// Finds where each start tag and attribute begins in XML source that is
/// UTF-8 or a single-byte ASCII-compatible encoding (ISO-8859-x, windows-125x).
///
/// libxml2 keeps only a line per node (the line where the start tag ends) and
/// no column. In XML, `<` cannot appear unescaped in text or attribute values,
/// so the start tags found here, in order, are the document's elements in
/// document order; zipped with a pre-order walk they give each element and
/// attribute an exact line and column.
struct StartTagScanner {
  struct Position: Equatable {
    var line: Int
    var column: Int
  }

  struct StartTag {
    var name: ArraySlice<UInt8>
    var position: Position
    var attributes: [(name: ArraySlice<UInt8>, position: Position)]
  }

  private let bytes: [UInt8]
  /// True for UTF-8 (columns count scalars), false for single-byte encodings (columns count bytes).
  private let utf8: Bool
  private var index = 0
  private var line = 1
  private var lineStart = 0
  /// Columns already counted on the current line: up to byte `countedTo`, `countedColumn` is the
  /// column there. Positions are asked for in source order, so counting on from here keeps the
  /// whole scan linear even when the document is one long line.
  private var countedTo = 0
  private var countedColumn = 1
  /// Where the first `<!DOCTYPE` outside comments is, if any.
  private(set) var doctype: Position?

  init(bytes: [UInt8], utf8: Bool = true) {
    self.bytes = bytes
    self.utf8 = utf8
    // A UTF-8 byte order mark is not a character of the first line.
    if utf8, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      index = 3
      lineStart = 3
    }
  }

  /// Every start tag of the document, in source order.
  static func scan(_ bytes: [UInt8], utf8: Bool = true) -> [StartTag] {
    var scanner = StartTagScanner(bytes: bytes, utf8: utf8)
    return scanner.scanAll()
  }

  /// Where the document's `<!DOCTYPE` starts (comments and PIs skipped).
  static func doctypePosition(_ bytes: [UInt8]) -> Position? {
    var scanner = StartTagScanner(bytes: bytes)
    _ = scanner.scanAll(stopAtDoctype: true)
    return scanner.doctype
  }

  private mutating func scanAll(stopAtDoctype: Bool = false) -> [StartTag] {
    var tags: [StartTag] = []
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "<"), index + 1 < bytes.count {
        let next = bytes[index + 1]
        if next == UInt8(ascii: "!") {
          if hasPrefix(Self.commentStart) {
            skip(past: Self.commentEnd)
          } else if hasPrefix(Self.cdataStart) {
            skip(past: Self.cdataEnd)
          } else {
            if doctype == nil, hasPrefix(Self.doctypeStart) {
              doctype = position()
              if stopAtDoctype { return tags }
            }
            skip(past: [UInt8(ascii: ">")])
          }
        } else if next == UInt8(ascii: "?") {
          skip(past: Self.instructionEnd)
        } else if next == UInt8(ascii: "/") {
          skip(past: [UInt8(ascii: ">")])
        } else {
          tags.append(scanStartTag())
        }
      } else {
        advance()
      }
    }
    return tags
  }

  private static let commentStart = Array("<!--".utf8)
  private static let commentEnd = Array("-->".utf8)
  private static let cdataStart = Array("<![CDATA[".utf8)
  private static let cdataEnd = Array("]]>".utf8)
  private static let doctypeStart = Array("<!DOCTYPE".utf8)
  private static let instructionEnd = Array("?>".utf8)

  private func hasPrefix(_ prefix: [UInt8]) -> Bool {
    guard index + prefix.count <= bytes.count else { return false }
    return bytes[index..<index + prefix.count].elementsEqual(prefix)
  }

  /// Moves one byte on, counting lines as XML does: LF, CRLF, and a lone CR each end one.
  private mutating func advance() {
    let byte = bytes[index]
    if byte == UInt8(ascii: "\n")
      || (byte == UInt8(ascii: "\r") && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
    {
      line += 1
      lineStart = index + 1
    }
    index += 1
  }

  private mutating func skip(past terminator: [UInt8]) {
    while index < bytes.count {
      if bytes[index] == terminator[0], index + terminator.count <= bytes.count,
        bytes[index..<index + terminator.count].elementsEqual(terminator)
      {
        index += terminator.count
        return
      }
      advance()
    }
  }

  private mutating func position() -> Position {
    if !utf8 { return Position(line: line, column: index - lineStart + 1) }
    if countedTo < lineStart {
      countedTo = lineStart
      countedColumn = 1
    }
    while countedTo < index {
      if bytes[countedTo] & 0xC0 != 0x80 { countedColumn += 1 }
      countedTo += 1
    }
    return Position(line: line, column: countedColumn)
  }

  private static func isNameEnd(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
      || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
      || byte == UInt8(ascii: "=")
  }

  private mutating func scanStartTag() -> StartTag {
    let start = position()
    index += 1
    let nameStart = index
    while index < bytes.count, !Self.isNameEnd(bytes[index]) { index += 1 }
    var tag = StartTag(name: bytes[nameStart..<index], position: start, attributes: [])
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: ">") {
        index += 1
        return tag
      }
      if byte == UInt8(ascii: "/") || Self.isNameEnd(byte) {
        advance()
        continue
      }
      let attributeStart = position()
      let attributeNameStart = index
      while index < bytes.count, !Self.isNameEnd(bytes[index]) { index += 1 }
      tag.attributes.append((bytes[attributeNameStart..<index], attributeStart))
      while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "'"),
        bytes[index] != UInt8(ascii: ">")
      {
        advance()
      }
      guard index < bytes.count, bytes[index] != UInt8(ascii: ">") else { continue }
      let quote = bytes[index]
      index += 1
      while index < bytes.count, bytes[index] != quote { advance() }
      index += 1
    }
    return tag
  }
}
