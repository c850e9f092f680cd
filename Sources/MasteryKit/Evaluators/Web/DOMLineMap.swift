import LibXML

/// Maps lines of the DOM that Chromium prints (render="browser") back to lines of the page's file.
///
/// Chromium's `--dump-dom` is its own serialisation of the tree after scripts ran: it moves
/// `<head>` onto the `<html>` line, drops duplicate attributes, adds what scripts built, so its
/// line numbers are not the file's. An element of the DOM is matched with one of the file when
/// both are the only element of their document with that name, those attributes (in order) and
/// that text. A problem about an element gets the file line of that element's match; a problem
/// with no element gets a file line only when every element starting on its DOM line is matched
/// and all of them come from that one file line. Anything else has no file line to claim.
struct DOMLineMap {
  private var fileLines: [Int: Int] = [:]
  /// The file line of each DOM element that has a match.
  private var elementLines: [ObjectIdentifier: Int] = [:]

  init(source: WebPage, dom: WebPage) {
    let written = Self.uniqueLines(of: source.elements.map(Self.key))
    let keys = dom.elements.map(Self.key)
    let shown = Self.uniqueLines(of: keys)
    var lines: [Int: Int?] = [:]  // a DOM line → its file line, or nil when it cannot be backed
    for (element, key) in zip(dom.elements, keys) {
      let domLine = element.location.line
      let match: Int? = (shown[key] ?? nil) == nil ? nil : written[key] ?? nil
      if let match { elementLines[ObjectIdentifier(element)] = match }
      switch (lines[domLine], match) {
      case (nil, let line?): lines[domLine] = .some(line)
      case (.some(.some(let known)), let line?) where known == line: break
      default: lines[domLine] = .some(nil)
      }
    }
    for case (let domLine, let fileLine?) in lines { fileLines[domLine] = fileLine }
  }

  /// The file line that a DOM line shows, or nil when none can be backed.
  func fileLine(ofDOMLine line: Int) -> Int? {
    fileLines[line]
  }

  /// The file line of what a problem found on the DOM is about, or nil when none can be backed.
  func fileLine(of problem: WebCheck.Problem) -> Int? {
    if let anchor = problem.anchor { return elementLines[anchor] }
    return fileLines[problem.line]
  }

  /// What identifies an element, and (not part of its identity) its line.
  private struct Key: Hashable {
    var name: String
    var attributes: [String]
    var text: String
    var line = 0

    static func == (lhs: Key, rhs: Key) -> Bool {
      lhs.name == rhs.name && lhs.attributes == rhs.attributes && lhs.text == rhs.text
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(name)
      hasher.combine(attributes)
      hasher.combine(text)
    }
  }

  private static func key(_ element: Element) -> Key {
    Key(
      name: element.name, attributes: element.attributes.map { "\($0.name)=\($0.value)" },
      text: Element.normalizeWhitespace(element.text), line: element.location.line)
  }

  /// The line of each key no other element has (nil for keys used twice or more).
  private static func uniqueLines(of keys: [Key]) -> [Key: Int?] {
    var lines: [Key: Int?] = [:]
    for key in keys {
      lines[key] = lines[key] == nil ? .some(key.line) : .some(nil)
    }
    return lines
  }
}
