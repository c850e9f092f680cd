/// Rewrites libxml2's parser and schema messages for a teacher editing XML by hand.
///
/// Unknown messages pass through unchanged (with the `{urn:...}` namespace
/// noise removed).
enum FriendlyMessages {
  /// A parser (well-formedness) message, for a document whose root is `rootName` (a `noun`).
  static func parser(_ message: String, rootName: String = "microcredential", noun: String = "rubric") -> String {
    if let match = message.wholeMatch(of: #/Input is not proper UTF-8, indicate encoding ! Bytes: (.*)/#) {
      return
        "the file is not valid UTF-8 (bytes \(match.1)); save it as UTF-8, or declare its encoding in the <?xml ... encoding=\"...\"?> line"
    }
    if let match = message.wholeMatch(of: #/Input is not valid (.+): bytes (.*)/#) {
      return
        "the file is not valid \(match.1) as its <?xml ... encoding=\"\(match.1)\"?> line declares (bytes \(match.2)); save it in that encoding, or save it as UTF-8 and declare encoding=\"UTF-8\""
    }
    if let match = message.wholeMatch(of: #/Unsupported encoding (.+)/#) {
      return
        "the encoding \(match.1) named in the <?xml ... encoding=\"...\"?> line is not known here; save the file as UTF-8 and declare encoding=\"UTF-8\""
    }
    if message == "xmlParseEntityRef: no name" || message.hasPrefix("EntityRef: expecting ';'") {
      return "a bare '&': write &amp; for an ampersand in text or attribute values"
    }
    if let match = message.wholeMatch(of: #/Entity '(.+)' not defined/#) {
      return "&\(match.1); is not defined in XML; type the character itself, or use a numeric reference such as &#160;"
    }
    if let match = message.wholeMatch(of: #/Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)/#) {
      return "<\(match.1)> opened on line \(match.2) is not closed before </\(match.3)>; add </\(match.1)>"
    }
    if let match = message.wholeMatch(of: #/Premature end of data in tag (\S+) line (\d+)/#) {
      return "the file ends before <\(match.1)> (opened on line \(match.2)) is closed"
    }
    if message == "Start tag expected, '<' not found" {
      return
        "this is not XML: a \(noun) starts with <?xml version=\"1.0\" encoding=\"UTF-8\"?> and <\(rootName) ...>"
    }
    if message == "Document is empty" { return "the file has no XML element" }
    if message.hasPrefix("Excessive depth in document") {
      return "elements are nested more than 256 deep; a \(noun) never needs that (is this the right file?)"
    }
    return message
  }

  /// A schema-validation message, with the namespace noise removed.
  static func schema(_ raw: String, namespace: String) -> String {
    let message = raw.replacing("{\(namespace)}", with: "")
    guard let match = message.wholeMatch(of: #/Element '([^']+)'(?:, attribute '([^']+)')?: (.*)/#) else {
      return message
    }
    let element = String(match.1)
    let attribute = match.2.map(String.init)
    let detail = String(match.3)
    let subject = attribute.map { "'\($0)' on <\(element)>" } ?? "<\(element)>"
    if let facet = detail.wholeMatch(
      of: #/\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\./#)
    {
      let value = String(facet.1)
      switch String(facet.2) {
      case #"[A-Za-z0-9][A-Za-z0-9._\-]*"#:
        return
          "'\(value)' is not a valid id for \(subject): use letters, digits, '.', '_' and '-', starting with a letter or digit, no spaces"
      case #"[0-9]+(\.[0-9]+)?%?"#:
        return
          "'\(value)' is not a valid threshold for \(subject): write a percentage such as 75% or a number of points such as 12"
      case #"[\s\S]*\S[\s\S]*"#:
        return "\(subject) must not be empty"
      default:
        return "'\(value)' does not have the form \(subject) needs"
      }
    }
    if detail.contains("[facet 'minLength']") { return "\(subject) must not be empty" }
    if let facet = detail.wholeMatch(
      of: #/\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\./#)
    {
      let allowed = facet.2.replacing("'", with: "")
      return "'\(facet.1)' is not allowed for \(subject); use one of: \(allowed)"
    }
    if let type = detail.wholeMatch(of: #/'(.*)' is not a valid value of the (?:atomic|list) type '(.+)'\./#) {
      let expected: String
      switch String(type.2) {
      case "xs:decimal": expected = "a number such as 2 or 1.5"
      case "xs:boolean": expected = "true or false"
      case "xs:positiveInteger": expected = "a whole number above 0"
      case "xs:nonNegativeInteger": expected = "a whole number, 0 or more"
      case "xs:anyURI": expected = "a URL"
      default: expected = "a value of type \(type.2)"
      }
      return "'\(type.1)' is not valid for \(subject): expected \(expected)"
    }
    if let missing = detail.wholeMatch(of: #/The attribute '(.+)' is required but missing\./#) {
      return "<\(element)> needs a '\(missing.1)' attribute"
    }
    if let expected = detail.wholeMatch(of: #/This element is not expected\. Expected is (?:one of )?\( (.+) \)\./#) {
      return "<\(element)> is not expected here; expected \(tags(expected.1))"
    }
    if detail.wholeMatch(of: #/This element is not expected\./#) != nil {
      return "<\(element)> is not expected here (check the order of elements in docs/rubric-format.md)"
    }
    if let expected = detail.wholeMatch(of: #/Missing child element\(s\)\. Expected is (?:one of )?\( (.+) \)\./#) {
      return "<\(element)> is missing a child element: expected \(tags(expected.1))"
    }
    if let attribute = detail.wholeMatch(of: #/The attribute '(.+)' is not allowed\./#) {
      return "<\(element)> does not take a '\(attribute.1)' attribute"
    }
    if detail.hasPrefix("Character content other than whitespace is not allowed") {
      return "<\(element)> holds only elements, not text"
    }
    return "\(subject): \(detail)"
  }

  /// "( a, b )" contents as "<a> or <b>".
  private static func tags(_ list: Substring) -> String {
    let names = list.split(separator: ",").map { "<\($0.trimmingWhitespace)>" }
    if names.count <= 1 { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
  }
}
