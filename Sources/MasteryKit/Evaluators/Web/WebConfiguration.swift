import LibXML

/// `web`: the candidate's pages parsed with libxml2's HTML parser; XPath or
/// CSS-selector assertions from the rubric plus named built-in check sets.
public struct WebConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "web", summary: "HTML pages checked by XPath assertions and built-in accessibility and link checks.",
    examples: [
      .valid(
        """
        <evaluator kind="web" pages="index.html" checks="well-formed accessibility links">
          <assert id="one-h1" xpath="count(//h1) = 1">Use exactly one h1 heading.</assert>
          <assert id="nav" select="nav a[href]" min="3" points="2">Link at least three pages from a nav.</assert>
          <level-at passed="90%" level="proficient"/>
          <level-at passed="60%" level="developing"/>
        </evaluator>
        """),
      .invalid(
        """
        <evaluator kind="web" pages="/etc/index.html" checks="spelling">
          <assert id="bad" xpath="//h1[">Broken XPath.</assert>
          <assert id="css" select="a:hover">Pseudo-classes are not supported.</assert>
          <level-at passed="90%" level="proficient"/>
        </evaluator>
        """, "unsafe-path", "evaluator-config", "evaluator-config", "evaluator-config"),
    ])

  public enum CheckSet: String, Sendable, Hashable, CaseIterable {
    case wellFormed = "well-formed"
    case accessibility
    case links
    case responsive
  }

  /// How a page is looked at: as written, or as a browser shows it after its scripts ran.
  public enum Render: String, Sendable, Hashable, CaseIterable {
    case `static`
    case browser
  }

  public struct Assertion: Sendable, Hashable {
    public enum Test: Sendable, Hashable {
      case xpath(String)
      case selector(String)
    }

    public var id: String
    public var test: Test
    public var minimum: Int?
    public var maximum: Int?
    public var points: Double
    public var message: String
    public var location: Location
  }

  public var pages: [String]
  public var checkSets: [CheckSet]
  public var render: Render
  /// How long a browser may take over one page (`timeout`, render="browser" only).
  public var timeout: Double
  public var assertions: [Assertion]
  public var mapping: LevelMapping?

  public init(reading reader: ConfigurationReader) {
    var pages: [String] = []
    if reader.requiredString("pages") != nil {
      for page in reader.list("pages") ?? [] {
        if Quantity.isContainedRelativePath(page) {
          pages.append(page)
        } else {
          reader.report(
            "page '\(page)' must be a relative path inside the evidence folder (no leading '/', no '..')",
            at: reader.element.attribute("pages")?.location, rule: RubricRules.unsafePath)
        }
      }
    }
    self.pages = pages
    var sets: [CheckSet] = []
    for name in reader.list("checks") ?? [] {
      if let set = CheckSet(rawValue: name) {
        sets.append(set)
      } else {
        reader.report(
          "unknown check set '\(name)'; use any of: " + CheckSet.allCases.map(\.rawValue).joined(separator: ", "),
          at: reader.element.attribute("checks")?.location)
      }
    }
    checkSets = sets
    render = reader.choice("render", default: Render.static)
    timeout = reader.duration("timeout", default: 15)
    let readers = reader.children("assert")
    reader.requireUniqueIDs(readers)
    assertions = readers.compactMap { Self.assertion($0) }
    if readers.isEmpty, sets.isEmpty {
      reader.report("the web evaluator has nothing to check: add checks=\"...\" or at least one <assert>")
    }
    mapping = reader.levelMapping(attribute: "passed")
  }

  private static func assertion(_ reader: ConfigurationReader) -> Assertion? {
    let id = reader.requiredString("id")
    let xpath = reader.string("xpath")
    let selector = reader.string("select")
    let minimum = reader.optionalInteger("min", in: 0...1_000_000)
    let maximum = reader.optionalInteger("max", in: 0...1_000_000)
    let points = reader.number("points", default: 1, in: 0...1_000_000)
    if let minimum, let maximum, minimum > maximum {
      reader.report(
        "min (\(minimum)) is above max (\(maximum)); no page can pass", at: reader.element.attribute("min")?.location)
    }
    let message = reader.element.normalizedText
    if message.isEmpty { reader.report("<assert> needs, as its text, the message a candidate sees when it fails") }
    let test: Assertion.Test?
    switch (xpath, selector) {
    case (let xpath?, nil):
      test = .xpath(xpath)
      if let problem = XPathSyntax.problem(in: xpath) {
        reader.report(
          "xpath '\(xpath)' is not valid XPath 1.0: \(problem)", at: reader.element.attribute("xpath")?.location)
      }
    case (nil, let selector?):
      test = .selector(selector)
      if CSSSelector.xpath(for: selector) == nil {
        reader.report(
          "select '\(selector)' is not a supported selector (tag, #id, .class, [attr], [attr=value], descendant)",
          at: reader.element.attribute("select")?.location)
      }
    default:
      reader.report("<assert> needs exactly one of 'xpath' or 'select'")
      test = nil
    }
    guard let id, let test else { return nil }
    return Assertion(
      id: id, test: test, minimum: minimum, maximum: maximum, points: points, message: message,
      location: reader.element.location)
  }

  public var reachableLevels: Set<String>? { mapping?.reachableLevels }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    var lines = [
      "Pages checked: " + pages.joined(separator: ", ")
        + (render == .browser ? " (as a browser shows them, after their scripts ran)." : ".")
    ]
    for set in checkSets {
      switch set {
      case .wellFormed: lines.append("The HTML is well-formed: tags closed, ids unique.")
      case .accessibility:
        lines.append("The pages are accessible: a language, a title, alt text, labelled controls, headings in order.")
      case .links: lines.append("Every local link and image resolves to a file in the submission.")
      case .responsive:
        lines.append("The pages fit a phone: a viewport, no fixed widths wider than a phone, a media query.")
      }
    }
    lines += assertions.map { "• \($0.message)" }
    lines += mapping?.explanation(levels: levels, noun: "check points pass") ?? []
    return lines
  }
}
