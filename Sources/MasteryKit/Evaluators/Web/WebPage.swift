import Foundation
import LibXML

/// One page of a candidate's site, parsed with libxml2's HTML parser, with
/// what the built-in checks look at gathered in one walk of the tree.
final class WebPage {
  /// The page as the candidate names it: relative to the submission folder ("site/index.html").
  let name: String
  /// Where it is read from.
  let fullPath: String
  let document: MarkupDocument
  let root: Element?
  /// The parser's complaints, without those about HTML5 elements the HTML 4 parser does not know
  /// (left out before the parser's 500-message cap, so they never crowd out real errors).
  let parseErrors: [Diagnostic]
  /// Every element, in document order.
  let elements: [Element]
  /// Every id, with the line of each element that has it.
  let ids: [String: [Int]]
  /// The first element with each id.
  let elementsByID: [String: Element]
  /// The page as written.
  let source: [UInt8]
  /// Start tags written `<div/>` on elements HTML does not close that way, found on first use.
  private(set) lazy var selfClosedTags = HTMLSourceScanner.selfClosedTags(in: source)

  /// The largest page read; a larger one fails every check with a message saying so.
  static let sizeLimit = 8 << 20

  init(name: String, fullPath: String, bytes: [UInt8]) throws {
    self.name = name
    self.fullPath = fullPath
    source = bytes
    document = try MarkupDocument.html(bytes: bytes, path: name, limit: Self.sizeLimit, ignoring: Self.isHTML5Noise)
    root = document.root
    parseErrors = document.warnings
    var elements: [Element] = []
    var ids: [String: [Int]] = [:]
    var byID: [String: Element] = [:]
    if let root {
      var stack = [root]
      while let element = stack.popLast() {
        elements.append(element)
        if let id = element[attribute: "id"] {
          ids[id, default: []].append(element.location.line)
          if byID[id] == nil { byID[id] = element }
        }
        stack.append(contentsOf: element.children.reversed())
      }
    }
    self.elements = elements
    self.ids = ids
    elementsByID = byID
  }

  /// Whether a parser message says nothing about the page.
  ///
  /// libxml2 2.9's HTML parser predates HTML5 and calls every newer element
  /// invalid ("Tag nav invalid"); that says nothing about the page. Its "ID x
  /// already defined" is left to the `unique-ids` check, which says it better.
  /// "Element script embeds close tag" is a `</b>` inside a script (in a string):
  /// HTML5 ends a script only at `</script`, and so does libxml2 while recovering,
  /// so the tree is right and browsers accept it.
  static func isHTML5Noise(_ message: String) -> Bool {
    (message.hasPrefix("Tag ") && message.hasSuffix(" invalid"))
      || (message.hasPrefix("ID ") && message.hasSuffix(" already defined"))
      || (message.hasPrefix("Element ") && message.hasSuffix(" embeds close tag"))
  }

  /// The elements called `name` (lower case, as the HTML parser writes them).
  func elements(named name: String) -> [Element] {
    elements.filter { $0.name == name }
  }

  /// All the text inside an element, its descendants' included, with white space folded.
  static func text(of element: Element) -> String {
    var parts: [String] = [element.text]
    var stack = element.children
    while let next = stack.popLast() {
      parts.append(next.text)
      stack.append(contentsOf: next.children)
    }
    return Element.normalizeWhitespace(parts.joined(separator: " "))
  }
}
