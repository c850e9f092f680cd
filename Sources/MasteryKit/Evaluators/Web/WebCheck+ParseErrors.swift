/// The `parses` check's words: each kind of libxml2 HTML parser error said plainly, with its own advice.
extension WebCheck {
  /// One kind of parser complaint: how to recognise it, how to say it, what to do.
  struct ParseErrorKind: Sendable {
    /// libxml2's message starts with one of these.
    var prefixes: [String]
    /// What went wrong, in a candidate's words; `nil` keeps libxml2's message, which is already plain.
    var plain: String?
    var advice: String
  }

  static let closeTagsAdvice =
    "Close every tag you open, in the order you opened them, and remove stray end tags."

  /// libxml2 2.9's HTML parser messages (HTMLparser.c), grouped by what the candidate must do.
  static let parseErrorKinds: [ParseErrorKind] = [
    ParseErrorKind(
      prefixes: ["htmlParseEntityRef: expecting ';'", "htmlParseEntityRef: no name"],
      plain: "an & that does not start a character reference",
      advice:
        "Write & as &amp; (also in addresses: href=\"?a=1&amp;b=2\"), and end every reference such as &copy; with \";\"."
    ),
    ParseErrorKind(
      prefixes: ["htmlParseCharRef"],
      plain: "a numeric character reference (&#...;) that is unfinished or names no character",
      advice: "Write numeric references whole, like &#233; or &#xE9;, or type the character itself."),
    ParseErrorKind(
      prefixes: ["Attribute ", "AttValue: no value found"],
      plain: nil,
      advice: "Give each attribute once per element, as name=\"value\"."),
    ParseErrorKind(
      prefixes: ["AttValue: \" expected", "AttValue: ' expected"],
      plain: "an attribute value's closing quote is missing",
      advice: "Close every attribute value with the quote it opened with: class=\"intro\"."),
    ParseErrorKind(
      prefixes: ["error parsing attribute name", "htmlParseStartTag: problem parsing attributes"],
      plain: "an attribute cannot be read",
      advice:
        "Write attributes as name=\"value\", separated by spaces (class=\"a\" id=\"b\"), with no stray quotes or characters in the tag."
    ),
    ParseErrorKind(
      prefixes: ["Couldn't find end of Start Tag"],
      plain: nil,
      advice: "End every start tag with \">\", and close the quotes of its attribute values."),
    ParseErrorKind(
      prefixes: ["htmlParseStartTag: misplaced"],
      plain: nil,
      advice: "Use one <html>, one <head> and one <body>, in that order, each opened once."),
    ParseErrorKind(
      prefixes: ["htmlParseStartTag: invalid element name", "invalid element name"],
      plain: "a \"<\" that does not start a tag",
      advice: "Write a < that is text as &lt;, and start every tag name with a letter."),
    ParseErrorKind(
      prefixes: ["Comment not terminated", "Comment incorrectly closed", "Comment abruptly ended"],
      plain: "a comment that is not closed properly",
      advice: "End every comment <!-- like this --> with \"-->\"."),
    ParseErrorKind(
      prefixes: ["Misplaced DOCTYPE", "DOCTYPE improperly terminated", "htmlParseDocTypeDecl"],
      plain: nil,
      advice: "Write <!DOCTYPE html> once, as the very first line of the page."),
    ParseErrorKind(
      prefixes: ["Invalid char in CDATA", "Char 0x", "input conversion failed", "Input is not proper UTF-8"],
      plain: "characters that are not valid text in this encoding",
      advice: "Save the page as UTF-8 (and declare <meta charset=\"utf-8\">), and remove invisible control characters."
    ),
    ParseErrorKind(
      prefixes: ["Document is empty"],
      plain: nil,
      advice: "Write the page's HTML in the file: it has none."),
    ParseErrorKind(
      prefixes: ["Opening and ending tag mismatch", "Unexpected end tag", "End tag : expected '>'"],
      plain: nil,
      advice: closeTagsAdvice),
  ]

  /// Advice for a start tag written `<div/>`.
  static let selfClosingAdvice =
    "Write <div></div> (open and close) instead of <div/>: only void elements such as <br>, <img> and <input> may end with \"/>\"; on any other element HTML ignores the \"/\"."

  /// libxml2's HTML parser message said plainly, with what to do about it.
  static func explain(parserMessage message: String) -> (message: String, advice: String) {
    for kind in parseErrorKinds where kind.prefixes.contains(where: { message.hasPrefix($0) }) {
      return (kind.plain.map { "\($0) (the parser says: \(message))" } ?? message, kind.advice)
    }
    return (message, "Fix the markup at that line: the parser's message says what it met there.")
  }
}
