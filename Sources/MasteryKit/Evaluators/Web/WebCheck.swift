import Foundation
import LibXML

/// One built-in check of the `web` evaluator: a named test of one page, in a check set an author
/// switches on by name (`checks="well-formed accessibility links responsive"`), worth one point per page.
struct WebCheck: Sendable {
  /// One thing a check found wrong, at its line of the page.
  struct Problem: Sendable, Hashable {
    var line: Int
    var message: String
    /// What to do, when it differs from the check's `advice`.
    var advice: String?
    /// The element it is about, when there is one: it maps a page the browser built back to the file.
    var anchor: ObjectIdentifier?
  }

  let id: String
  let set: WebConfiguration.CheckSet
  /// What passing means, for the candidate ("Every image has alternative text").
  let title: String
  /// What to do when it fails.
  let advice: String
  let run: @Sendable (WebPage, WebSite) -> [Problem]

  /// Every built-in check, in the order they are reported.
  static let all: [WebCheck] = wellFormed + accessibility + links + responsive

  static func checks(in sets: [WebConfiguration.CheckSet]) -> [WebCheck] {
    all.filter { sets.contains($0.set) }
  }

  // MARK: well-formed

  static let wellFormed: [WebCheck] = [
    WebCheck(
      id: "parses", set: .wellFormed, title: "The HTML parses without errors", advice: closeTagsAdvice
    ) { page, _ in
      let parser = page.parseErrors.map { error in
        let (message, advice) = explain(parserMessage: error.message)
        return Problem(line: error.location.line, message: message, advice: advice)
      }
      let selfClosed = page.selfClosedTags.map { tag in
        Problem(
          line: tag.line,
          message:
            "<\(tag.name)/> does not close the \(tag.name): HTML ignores \"/\" there, so what follows ends up inside it",
          advice: selfClosingAdvice)
      }
      // Both come in line order: merge them (parser messages first on a line).
      var merged: [Problem] = []
      merged.reserveCapacity(parser.count + selfClosed.count)
      var next = 0
      for problem in parser {
        while next < selfClosed.count, selfClosed[next].line < problem.line {
          merged.append(selfClosed[next])
          next += 1
        }
        merged.append(problem)
      }
      return merged + selfClosed[next...]
    },
    WebCheck(
      id: "unique-ids", set: .wellFormed, title: "Every id is used once",
      advice: "Give each element its own id: links, labels and scripts find elements by id."
    ) { page, _ in
      page.ids.filter { $0.value.count > 1 }.sorted { ($0.value[0], $0.key) < ($1.value[0], $1.key) }.map {
        Problem(
          line: $0.value[1],
          message:
            "id \"\($0.key)\" is used \($0.value.count) times (lines \($0.value.map(String.init).joined(separator: ", ")))"
        )
      }
    },
  ]

  // MARK: accessibility

  static let accessibility: [WebCheck] = [
    WebCheck(
      id: "lang", set: .accessibility, title: "The page language is set",
      advice:
        "Set the language on the html element, e.g. <html lang=\"en\">, so screen readers pronounce the page correctly."
    ) { page, _ in
      guard let html = page.elements(named: "html").first else {
        return [Problem(line: 1, message: "<html> has no lang attribute")]
      }
      guard let lang = html[attribute: "lang"] else {
        return [Problem(at: html, message: "<html> has no lang attribute")]
      }
      return lang.trimmingCharacters(in: .whitespaces).isEmpty
        ? [Problem(at: html, message: "<html lang=\"\(lang)\"> is empty: it names no language")] : []
    },
    WebCheck(
      id: "title", set: .accessibility, title: "The page has a title",
      advice: "Add <title> inside <head> saying what the page is; it names the tab and is read first."
    ) { page, _ in
      // The page's title is the head's (HTML §4.2.2): a <title> inside an <svg> names only the drawing.
      let head = page.elements(named: "head").first
      if let title = head?.child(named: "title") {
        return WebPage.text(of: title).isEmpty
          ? [Problem(at: title, message: "the <title> is empty")] : []
      }
      var inSVG = Set<ObjectIdentifier>()
      for svg in page.elements(named: "svg") {
        var stack = svg.children
        while let next = stack.popLast() {
          if inSVG.insert(ObjectIdentifier(next)).inserted { stack.append(contentsOf: next.children) }
        }
      }
      guard let other = page.elements(named: "title").first else {
        return [Problem(at: head, message: "no <title> in <head>")]
      }
      return [
        Problem(
          at: other,
          message: inSVG.contains(ObjectIdentifier(other))
            ? "no <title> in <head>: the <title> here belongs to an <svg> drawing and names only it"
            : "no <title> in <head>: the <title> here is outside <head>")
      ]
    },
    WebCheck(
      id: "img-alt", set: .accessibility, title: "Every image has alternative text",
      advice: "Add alt=\"...\" describing each image, or alt=\"\" when it is only decoration."
    ) { page, _ in
      // An <area href> may have an empty alt when another area of its map links the same place with text:
      // for each area, the addresses its map's areas name with text.
      var namedInMap: [ObjectIdentifier: Set<String>] = [:]
      for map in page.elements(named: "map") {
        var areas: [Element] = []
        var stack = map.children
        while let next = stack.popLast() {
          if next.name == "area" { areas.append(next) }
          stack.append(contentsOf: next.children)
        }
        let named = Set(
          areas.filter { !($0[attribute: "alt"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }.compactMap {
            $0[attribute: "href"]
          })
        for area in areas { namedInMap[ObjectIdentifier(area)] = named }
      }
      return page.elements.compactMap { element -> Problem? in
        let alt = element[attribute: "alt"]
        let blank = (alt ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        switch element.name {
        case "img":
          guard alt == nil, !["presentation", "none"].contains(element[attribute: "role"]?.lowercased() ?? "") else {
            return nil
          }
          return Problem(
            at: element,
            message: "<img src=\"\(element[attribute: "src"] ?? "")\"> has no alt attribute")
        case "area":
          let coveredByMap = namedInMap[ObjectIdentifier(element)]?.contains(element[attribute: "href"] ?? "") == true
          guard let href = element[attribute: "href"], alt == nil || (blank && !coveredByMap) else {
            return nil
          }
          return Problem(
            at: element,
            message:
              "<area href=\"\(href)\"> has \(alt == nil ? "no alt attribute" : "an empty alt"): a map link needs words",
            advice: "Give each <area href> an alt saying where it leads, like a link's text.")
        case "input" where element[attribute: "type"]?.lowercased() == "image":
          guard blank, (element[attribute: "aria-label"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty else {
            return nil
          }
          return Problem(
            at: element,
            message:
              "<input type=\"image\" src=\"\(element[attribute: "src"] ?? "")\"> has \(alt == nil ? "no alt attribute" : "an empty alt")",
            advice: "Give an image button an alt saying what it does (alt=\"Search\"): it is the button's only name.")
        default:
          return nil
        }
      }
    },
    WebCheck(
      id: "form-labels", set: .accessibility, title: "Every form field has a label",
      advice:
        "Pair each field with <label for=\"ID\">, wrap it in a <label>, or give it aria-label; a placeholder is not a label."
    ) { page, _ in
      // Which field each <label> labels (HTML §4.10.4): the element its `for` names, or else the
      // first labelable element inside it. Its text leaves out the fields inside it.
      let labelable: Set<String> = ["input", "select", "textarea", "button", "meter", "output", "progress"]
      var labels: [ObjectIdentifier: [String]] = [:]  // field → the text of each of its labels
      for label in page.elements(named: "label") {
        var field: Element?
        if let id = label[attribute: "for"] {
          field = page.elementsByID[id]
        } else {
          var stack: [Element] = label.children.reversed()
          while field == nil, let next = stack.popLast() {
            if labelable.contains(next.name), next.name != "input" || next[attribute: "type"]?.lowercased() != "hidden"
            {
              field = next
            }
            stack.append(contentsOf: next.children.reversed())
          }
        }
        guard let field else { continue }
        let text = WebPage.contentName(of: label, skipping: { labelable.contains($0.name) })
        labels[ObjectIdentifier(field), default: []].append(text)
      }
      let unlabelledTypes: Set<String> = ["hidden", "submit", "reset", "button", "image"]
      return page.elements.compactMap { field -> Problem? in
        switch field.name {
        case "input":
          guard !unlabelledTypes.contains((field[attribute: "type"] ?? "text").lowercased()) else { return nil }
        case "select", "textarea": break
        default: return nil
        }
        func filled(_ value: String?) -> Bool { !(value ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        var why: [String] = []
        if let labelledBy = field[attribute: "aria-labelledby"] {
          let (name, found) = page.labelledByName(labelledBy)
          if !name.isEmpty { return nil }
          why.append(
            found == 0
              ? "aria-labelledby=\"\(labelledBy)\" names no element of the page"
              : "the element aria-labelledby names has no text")
        }
        if let label = field[attribute: "aria-label"] {
          if filled(label) { return nil }
          why.append("its aria-label is empty")
        }
        if let texts = labels[ObjectIdentifier(field)] {
          if texts.contains(where: filled) { return nil }
          why.append("its <label> has no text")
        }
        if let title = field[attribute: "title"] {
          if filled(title) { return nil }
          why.append("its title is empty")
        }
        let name = field[attribute: "name"].map { " name=\"\($0)\"" } ?? ""
        return Problem(
          at: field,
          message: "<\(field.name)\(name)> has no label" + (why.isEmpty ? "" : " (" + why.joined(separator: "; ") + ")")
        )
      }
    },
    WebCheck(
      id: "heading-order", set: .accessibility, title: "Headings go in order without skipping levels",
      advice: "Start with one <h1>, and go down one level at a time (h1, h2, h3): screen reader users move by headings."
    ) { page, _ in
      var problems: [Problem] = []
      var previous = 0
      for element in page.elements {
        guard element.name.count == 2, element.name.hasPrefix("h"), let level = Int(element.name.dropFirst()),
          (1...6).contains(level)
        else { continue }
        if previous == 0, level != 1 {
          problems.append(
            Problem(at: element, message: "the first heading is <\(element.name)>, not <h1>"))
        } else if previous > 0, level > previous + 1 {
          problems.append(
            Problem(at: element, message: "<\(element.name)> follows <h\(previous)>: a level is skipped"))
        }
        previous = level
      }
      return problems
    },
    WebCheck(
      id: "link-text", set: .accessibility, title: "Every link has text that says where it goes",
      advice:
        "Put words inside each link (or alt text on its image, or aria-label); \"click here\" and bare addresses do not say where a link goes."
    ) { page, _ in
      let vague: Set<String> = ["click here", "here", "more", "read more", "link", "this link", "click"]
      return page.elements(named: "a").filter { $0[attribute: "href"] != nil }.compactMap { link in
        let name = page.accessibleName(of: link)
        if name.isEmpty {
          return Problem(at: link, message: "the link to \"\(link[attribute: "href"] ?? "")\" has no text")
        }
        if vague.contains(name.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
          return Problem(at: link, message: "the link text \"\(name)\" does not say where it goes")
        }
        return nil
      }
    },
    WebCheck(
      id: "tabindex", set: .accessibility, title: "No positive tabindex",
      advice: "Remove tabindex values above 0: they break the keyboard order. Use 0 or -1, and order the HTML instead."
    ) { page, _ in
      page.elements.compactMap { element in
        guard let value = element[attribute: "tabindex"], let number = Int(value.trimmingCharacters(in: .whitespaces)),
          number > 0
        else { return nil }
        return Problem(at: element, message: "<\(element.name) tabindex=\"\(value)\">")
      }
    },
    WebCheck(
      id: "button-names", set: .accessibility, title: "Every button has a name",
      advice: "Put text inside each <button> (or aria-label), and a value on <input type=\"button\">."
    ) { page, _ in
      page.elements.compactMap { element in
        switch element.name {
        case "button":
          return page.accessibleName(of: element).isEmpty
            ? Problem(at: element, message: "a <button> has no text") : nil
        case "input":
          // An <input type="image"> is named by its alt: the `img-alt` check judges it.
          guard (element[attribute: "type"] ?? "").lowercased() == "button" else { return nil }
          return page.accessibleName(of: element).isEmpty
            && (element[attribute: "value"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            ? Problem(at: element, message: "<input type=\"button\"> has no value") : nil
        default: return nil
        }
      }
    },
  ]

  // MARK: links

  static let links: [WebCheck] = [
    WebCheck(
      id: "local-links", set: .links, title: "Every local link and image points to a file in the submission",
      advice: "Check each file name (and its case), and add the missing files; addresses are relative to the page."
    ) { page, site in
      WebSite.references(in: page).compactMap { reference in
        guard let target = site.localTarget(of: reference.url, from: page) else { return nil }
        switch target {
        case .file: return nil
        case .outside:
          return Problem(
            at: reference.element, message: "\"\(reference.url)\" points outside the submission; link to its own files")
        case .outsideSite(let path, let exists):
          let folder = site.siteFolderName ?? ""
          return Problem(
            at: reference.element,
            message: "\"\(reference.url)\" leads to \(path), outside the site folder \(folder)"
              + (exists ? "" : " (and no such file is in the submission)"),
            advice:
              "Keep everything the pages use inside the site folder \(folder): only it is published and shown in the browser. Move the file there and link to it from inside."
          )
        case .missing(let path, let suggestion?):
          return Problem(
            at: reference.element,
            message:
              "\"\(reference.url)\": \(path) is not in the submission; did you mean \(suggestion)? (the case of the letters differs)",
            advice:
              "Write file names with the same capital and small letters as the files: web servers treat Map.SVG and map.svg as different files."
          )
        case .missing(let path, nil):
          return Problem(at: reference.element, message: "\"\(reference.url)\": \(path) is not in the submission")
        }
      }
    },
    WebCheck(
      id: "fragment-links", set: .links, title: "Every link to a place in a page points to an id that exists",
      advice: "Give the target element the id the link names (href=\"#contact\" needs id=\"contact\")."
    ) { page, site in
      page.elements(named: "a").compactMap { link -> Problem? in
        guard let href = link[attribute: "href"], let hash = href.firstIndex(of: "#") else { return nil }
        let fragment = String(href[href.index(after: hash)...]).removingPercentEncoding ?? ""
        let base = String(href[..<hash])
        guard !fragment.isEmpty, fragment != "top" else { return nil }
        let ids: [String: [Int]]?
        if base.isEmpty {
          ids = page.ids
        } else if case .file(let path)? = site.localTarget(of: base, from: page) {
          ids = site.ids(ofPageAt: path)
        } else {
          return nil
        }
        guard let ids, ids[fragment] == nil else { return nil }
        return Problem(at: link, message: "\"\(href)\": no element has id \"\(fragment)\"")
      }
    },
  ]

  // MARK: responsive

  /// Wider than this many CSS pixels does not fit a phone held upright.
  static let phoneWidth = 480

  static let responsive: [WebCheck] = [
    WebCheck(
      id: "viewport", set: .responsive, title: "The page sets a viewport for phones",
      advice: "Add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> inside <head>."
    ) { page, _ in
      let found = page.elements(named: "meta").contains {
        $0[attribute: "name"]?.lowercased() == "viewport"
          && ($0[attribute: "content"] ?? "").lowercased().contains("width=device-width")
      }
      return found
        ? []
        : [
          Problem(
            at: page.elements(named: "head").first,
            message: "no <meta name=\"viewport\" content=\"width=device-width, ...\">")
        ]
    },
    WebCheck(
      id: "fluid-widths", set: .responsive, title: "No fixed width wider than a phone in inline styles",
      advice: "Use max-width or percentages instead of fixed widths above \(phoneWidth)px, so the page fits a phone."
    ) { page, _ in
      page.elements.compactMap { element in
        guard let style = element[attribute: "style"], let width = WebSite.fixedWidth(in: style), width > phoneWidth
        else { return nil }
        return Problem(at: element, message: "<\(element.name) style=\"\(style)\"> is \(width)px wide")
      }
    },
    WebCheck(
      id: "media-query", set: .responsive, title: "The page's CSS has a media query",
      advice:
        "Add at least one @media rule (e.g. @media (max-width: 600px) { ... }) to adapt the layout to small screens."
    ) { page, site in
      site.hasMediaQuery(page)
        ? []
        : [
          Problem(
            at: page.elements(named: "head").first,
            message: "no @media rule in the page's <style> elements, its local stylesheets or their @imports")
        ]
    },
  ]
}

extension WebCheck.Problem {
  /// A problem about an element, at its line; nil stands for the top of the page (line 1).
  init(at element: Element?, message: String, advice: String? = nil) {
    self.init(
      line: element?.location.line ?? 1, message: message, advice: advice, anchor: element.map(ObjectIdentifier.init))
  }
}
