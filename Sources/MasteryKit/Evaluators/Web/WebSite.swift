import Foundation
import LibXML

/// The candidate's site as the `links` and `responsive` checks see it: which
/// local address is which file, the ids of other pages, the page's CSS.
///
/// Nothing is fetched from the network: remote addresses are not checked.
/// Only the evidence files in the site folder (regular files, hashed, never
/// symbolic links) are ever read or count as present, so what a decision
/// rests on is exactly what its evidence hashes cover. For an address that
/// leaves the site folder but stays in the submission, only whether a file
/// or folder is there is looked up (never read, no symbolic link followed),
/// to word the finding.
final class WebSite {
  /// The evidence folder: a root-relative address ("/css/site.css") starts here.
  let root: String
  /// The submission: a link outside the site folder but inside it is told apart from one leaving it.
  let submissionFolder: String
  private let rootComponents: [String]
  /// The evidence files, by absolute path.
  let files: Set<String>
  private var pageIDs: [String: [String: [Int]]?] = [:]
  private var kinds: [String: Kind] = [:]
  private var folders: [String: [String]] = [:]
  private var stylesheets: [String: CSSTokenizer.StylesheetSummary?] = [:]
  /// The most CSS read from one stylesheet.
  static let stylesheetLimit = 2 << 20

  init(root: String, submissionFolder: String, files: [String]) {
    self.root = Self.absolute(root)
    self.submissionFolder = Self.absolute(submissionFolder)
    rootComponents = self.root.split(separator: "/").map(String.init)
    self.files = Set(files.map { Self.absolute($0) })
  }

  /// An absolute path with `.` and `..` resolved (not symbolic links: there are none in evidence).
  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  enum Target: Equatable {
    /// A file of the site, at this full path.
    case file(String)
    /// Nothing there: the path as the candidate would name it, and, when a file differs only in the
    /// case of its letters, the address that reaches it.
    case missing(String, suggestion: String?)
    /// In the submission but outside the site folder, which is all a browser is given: the path as the
    /// candidate would name it, and whether a file is there.
    case outsideSite(String, exists: Bool)
    /// Outside the submission.
    case outside
  }

  /// Where a local address leads, or nil for one that is not local (another site, mailto:, a
  /// fragment of this page).
  func localTarget(of url: String, from page: WebPage) -> Target? {
    localTarget(of: url, inFolder: folderComponents(of: page))
  }

  /// Where a local address leads from a file in the folder with these absolute path components
  /// (a page, or a stylesheet for its `@import`s), or nil for one that is not local.
  func localTarget(of url: String, inFolder folder: [String]) -> Target? {
    var address = url.trimmingCharacters(in: .whitespacesAndNewlines)
    if let cut = address.firstIndex(where: { $0 == "#" || $0 == "?" }) { address = String(address[..<cut]) }
    guard !address.isEmpty, !address.hasPrefix("//") else { return nil }
    if let colon = address.firstIndex(of: ":"),
      address[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
    {
      return nil  // a scheme: http:, mailto:, data:, javascript:, tel:
    }
    let decoded = address.removingPercentEncoding ?? address
    var parts = decoded.hasPrefix("/") ? rootComponents : folder
    // Where each component of the address landed in `parts`, to spell a suggestion the same way.
    var written: [(component: String, at: Int?)] = []
    for component in decoded.split(separator: "/", omittingEmptySubsequences: true) {
      switch component {
      case ".": written.append((".", nil))
      case "..":
        written.append(("..", nil))
        if !parts.isEmpty { parts.removeLast() }
      default:
        written.append((String(component), parts.count))
        parts.append(String(component))
      }
    }
    let full = "/" + parts.joined(separator: "/")
    guard full == submissionFolder || full.hasPrefix(submissionFolder + "/") else { return .outside }
    let named = full == submissionFolder ? "the submission folder" : String(full.dropFirst(submissionFolder.count + 1))
    guard full == root || full.hasPrefix(root + "/") else {
      return .outsideSite(named, exists: files.contains(full) || Self.existsInSubmission(full))
    }
    switch kind(of: full) {
    case .file: return .file(full)
    case .folder:
      let index = full + "/index.html"
      return kind(of: index) == .file
        ? .file(index) : .missing(String(index.dropFirst(submissionFolder.count + 1)), suggestion: nil)
    case .missing:
      var suggestion: String?
      if let actual = caseInsensitiveFiles[full.lowercased()] {
        let spelled = actual.split(separator: "/").map(String.init)
        let rewritten = written.map { step in
          step.at.flatMap {
            $0 < spelled.count && spelled[$0].lowercased() == step.component.lowercased() ? spelled[$0] : nil
          }
            ?? step.component
        }
        suggestion = (decoded.hasPrefix("/") ? "/" : "") + rewritten.joined(separator: "/")
      }
      return .missing(named, suggestion: suggestion)
    }
  }

  /// Whether a regular file or folder is at a path of the submission (not a symbolic link: never followed).
  private static func existsInSubmission(_ path: String) -> Bool {
    guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else {
      return false
    }
    return type == .typeRegular || type == .typeDirectory
  }

  /// The site's files by their lower-cased path, for "did you mean" (the first in name order wins).
  private lazy var caseInsensitiveFiles: [String: String] = {
    var byLowercase: [String: String] = [:]
    for file in files.sorted() where file.hasPrefix(root + "/") {
      let key = file.lowercased()
      if byLowercase[key] == nil { byLowercase[key] = file }
    }
    return byLowercase
  }()

  /// The folder holding the site, as the candidate names it ("site/"), or nil when it is the submission folder.
  var siteFolderName: String? {
    root == submissionFolder ? nil : String(root.dropFirst(submissionFolder.count + 1)) + "/"
  }

  private enum Kind { case file, folder, missing }

  /// What is at a path among the evidence files: a file, a folder holding some, or nothing. The
  /// file system is not looked at again, so no link, device or pipe is ever opened.
  private func kind(of path: String) -> Kind {
    if let known = kinds[path] { return known }
    let kind: Kind
    if files.contains(path) {
      kind = .file
    } else if files.contains(where: { $0.hasPrefix(path + "/") }) {
      kind = .folder
    } else {
      kind = .missing
    }
    kinds[path] = kind
    return kind
  }

  /// The components of the absolute folder a page is in, worked out once per page.
  private func folderComponents(of page: WebPage) -> [String] {
    if let known = folders[page.fullPath] { return known }
    let components = Self.absolute((page.fullPath as NSString).deletingLastPathComponent).split(separator: "/").map(
      String.init)
    folders[page.fullPath] = components
    return components
  }

  /// The ids of another page of the site, parsed once; nil when it cannot be parsed.
  func ids(ofPageAt path: String) -> [String: [Int]]? {
    if let known = pageIDs[path] { return known }
    let ids = (try? MarkupDocument.read(path, limit: WebPage.sizeLimit)).flatMap {
      try? WebPage(name: path, fullPath: path, bytes: $0).ids
    }
    pageIDs[path] = ids
    return ids
  }

  /// How deep `@import`s are followed, and how many stylesheets one page may bring in.
  static let importDepth = 8
  static let stylesheetsPerPage = 64

  /// Whether the page's CSS has a media query.
  ///
  /// That is an `@media` rule in a `<style>` element or in a local
  /// stylesheet of the site (followed through local `@import`s, `importDepth` deep, each sheet once), or a
  /// `media` condition with a feature on a `<style>`, a stylesheet `<link>` or an `@import`. Comments and
  /// strings are not rules; remote stylesheets are never fetched.
  func hasMediaQuery(_ page: WebPage) -> Bool {
    var visited: Set<String> = []
    var budget = Self.stylesheetsPerPage
    let pageFolder = folderComponents(of: page)
    func condition(_ element: Element) -> Bool {
      (element[attribute: "media"] ?? "").contains("(")
    }
    /// Follows a sheet's imports, depth first; true at the first media query.
    func hasMedia(_ summary: CSSTokenizer.StylesheetSummary, folder: [String], depth: Int) -> Bool {
      if summary.hasMediaRule { return true }
      for found in summary.imports {
        if found.hasMediaCondition { return true }
        guard depth < Self.importDepth, budget > 0,
          case .file(let path)? = localTarget(of: found.url, inFolder: folder),
          visited.insert(path).inserted, let imported = stylesheet(at: path)
        else { continue }
        budget -= 1
        if hasMedia(imported, folder: Self.folder(of: path), depth: depth + 1) { return true }
      }
      return false
    }
    for element in page.elements where element.name == "style" || element.name == "link" {
      if element.name == "style" {
        if condition(element) { return true }
        let summary = CSSTokenizer.summary(of: Array(WebPage.text(of: element).utf8))
        if hasMedia(summary, folder: pageFolder, depth: 0) { return true }
        continue
      }
      let relations = (element[attribute: "rel"] ?? "").lowercased().split(whereSeparator: \.isWhitespace)
      guard relations.contains("stylesheet") else { continue }
      if condition(element) { return true }
      guard budget > 0, let href = element[attribute: "href"],
        case .file(let path)? = localTarget(of: href, from: page),
        visited.insert(path).inserted, let summary = stylesheet(at: path)
      else { continue }
      budget -= 1
      if hasMedia(summary, folder: Self.folder(of: path), depth: 1) { return true }
    }
    return false
  }

  /// A stylesheet of the site, read and summarised once; nil when it cannot be read.
  private func stylesheet(at path: String) -> CSSTokenizer.StylesheetSummary? {
    if let known = stylesheets[path] { return known }
    let summary = (try? MarkupDocument.read(path, limit: Self.stylesheetLimit)).map { CSSTokenizer.summary(of: $0) }
    stylesheets[path] = summary
    return summary
  }

  private static func folder(of path: String) -> [String] {
    (path as NSString).deletingLastPathComponent.split(separator: "/").map(String.init)
  }

  /// Every address a page loads or links to, with the element that names it.
  static func references(in page: WebPage) -> [(url: String, element: Element)] {
    let attributes: [String: String] = [
      "a": "href", "area": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src",
      "video": "src", "audio": "src", "embed": "src", "track": "src", "object": "data",
    ]
    return page.elements.compactMap { element in
      guard let attribute = attributes[element.name], let url = element[attribute: attribute] else { return nil }
      return (url, element)
    }
  }

  /// The widest fixed `width` or `min-width` in pixels in an inline style, if any, `!important` or not.
  static func fixedWidth(in style: String) -> Int? {
    var widest: Int?
    for declaration in CSSTokenizer.declarations(in: style) where ["width", "min-width"].contains(declaration.name) {
      guard declaration.value.count == 1, case .dimension(let value, let unit) = declaration.value[0],
        unit.lowercased() == "px", value.isFinite, value >= 0
      else { continue }
      // Anything past a million pixels is simply "too wide" (and stays an Int).
      widest = max(widest ?? 0, Int(min(value, 1_000_000)))
    }
    return widest
  }
}
