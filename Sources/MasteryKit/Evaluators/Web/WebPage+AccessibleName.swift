import Foundation
import LibXML

/// Accessible names as browsers compute them (W3C "Accessible Name and Description
/// Computation 1.2"), for the parts the `accessibility` checks need.
extension WebPage {
  /// Elements whose content is never read out as part of a name.
  static let unnamedContent: Set<String> = ["script", "style", "template", "noscript", "head"]

  /// True when an element and everything in it is hidden from assistive technology: the `hidden`
  /// attribute, `aria-hidden="true"`, or an inline `display: none` / `visibility: hidden`.
  static func isHidden(_ element: Element) -> Bool {
    if element[attribute: "hidden"] != nil { return true }
    if element[attribute: "aria-hidden"]?.trimmingCharacters(in: .whitespaces).lowercased() == "true" { return true }
    guard let style = element[attribute: "style"] else { return false }
    return CSSTokenizer.declarations(in: style).contains { declaration in
      guard declaration.value.count == 1, case .ident(let value) = declaration.value[0] else { return false }
      return (declaration.name == "display" && value.lowercased() == "none")
        || (declaration.name == "visibility" && ["hidden", "collapse"].contains(value.lowercased()))
    }
  }

  /// The name an element's content gives it (accname step 2F): its text and its images' `alt`, skipping
  /// hidden subtrees, scripts and styles; a descendant with `aria-label` gives that label instead of its content.
  ///
  /// - Parameters:
  ///   - element: the element whose content is read.
  ///   - includeHidden: read hidden descendants too (as for an element named by `aria-labelledby`).
  ///   - skipping: descendants left out with their content (the control a label wraps).
  /// - Returns: the name, white space folded; empty when the content gives none.
  static func contentName(
    of element: Element, includeHidden: Bool = false, skipping: (Element) -> Bool = { _ in false }
  ) -> String {
    var parts: [String] = [element.text]
    // Children in document order: push them reversed.
    var stack: [Element] = element.children.reversed()
    while let next = stack.popLast() {
      if unnamedContent.contains(next.name) || skipping(next) || (!includeHidden && isHidden(next)) { continue }
      if let label = next[attribute: "aria-label"], !label.trimmingCharacters(in: .whitespaces).isEmpty {
        parts.append(label)
        continue
      }
      switch next.name {
      case "img", "area":
        parts.append(next[attribute: "alt"] ?? "")
        continue
      case "input" where next[attribute: "type"]?.lowercased() == "image":
        parts.append(next[attribute: "alt"] ?? "")
        continue
      default:
        parts.append(next.text)
        stack.append(contentsOf: next.children.reversed())
      }
    }
    return Element.normalizeWhitespace(parts.joined(separator: " "))
  }

  /// The text of the elements an `aria-labelledby` names (at most 16 ids), and how many of them exist.
  func labelledByName(_ ids: String) -> (name: String, found: Int) {
    let elements = ids.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).prefix(16).compactMap {
      elementsByID[String($0)]
    }
    let name = elements.map { Self.contentName(of: $0, includeHidden: true) }.joined(separator: " ")
    return (Element.normalizeWhitespace(name), elements.count)
  }

  /// The name a screen reader would announce for a link or button: `aria-labelledby`, then `aria-label`,
  /// then its content (text, images' alt), then `title`; hidden content, scripts and styles are not read.
  func accessibleName(of element: Element) -> String {
    if let labelledBy = element[attribute: "aria-labelledby"] {
      let name = labelledByName(labelledBy).name
      if !name.isEmpty { return name }
    }
    if let label = element[attribute: "aria-label"], !label.trimmingCharacters(in: .whitespaces).isEmpty {
      return Element.normalizeWhitespace(label)
    }
    let content = Self.contentName(of: element)
    return content.isEmpty ? Element.normalizeWhitespace(element[attribute: "title"] ?? "") : content
  }
}
