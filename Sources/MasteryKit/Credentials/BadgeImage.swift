import Foundation

/// The picture of a credential for wallets and badge displays: a round SVG badge with the
/// credential's title, its id and version, and the issuer, drawn from the rubric. Accessible: the
/// SVG is an image with a title naming the credential and the issuer, white text on a dark
/// colour (contrast above 7:1), chosen from the rubric's id so each credential keeps its colour.
public enum BadgeImage {
  /// Dark colours, each with white text above a 7:1 contrast ratio.
  static let colours = ["#1f4e79", "#5b2a86", "#7a2e0e", "#1d5c3a", "#8a1538", "#2f3e46"]

  public static func svg(for rubric: Microcredential) -> String {
    let hash = rubric.id.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
    let colour = colours[Int(hash % UInt32(colours.count))]
    let lines = wrap(rubric.title, width: 18, lines: 4)
    let top = 150 - (lines.count - 1) * 13
    var text = ""
    for (index, line) in lines.enumerated() {
      text +=
        "<text x=\"150\" y=\"\(top + index * 26)\" font-family=\"sans-serif\" font-size=\"21\" font-weight=\"bold\" fill=\"#ffffff\" text-anchor=\"middle\">\(escape(line))</text>"
    }
    return """
      <svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300" role="img" aria-labelledby="title">\
      <title id="title">\(escape(rubric.title)), a microcredential from \(escape(rubric.issuer.name))</title>\
      <circle cx="150" cy="150" r="146" fill="\(colour)"/>\
      <circle cx="150" cy="150" r="132" fill="none" stroke="#ffffff" stroke-width="4"/>\
      \(text)\
      <text x="150" y="236" font-family="sans-serif" font-size="14" fill="#ffffff" text-anchor="middle">\(escape(rubric.id)) \(escape(rubric.version))</text>\
      </svg>
      """
  }

  /// Words in lines of at most `width` characters (a longer word stands alone), at most `lines`
  /// lines, the last ending in "…" when words were left out.
  static func wrap(_ text: String, width: Int, lines limit: Int) -> [String] {
    var lines: [String] = []
    for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
      if let last = lines.last, last.count + 1 + word.count <= width {
        lines[lines.count - 1] = last + " " + word
      } else {
        lines.append(word)
      }
    }
    if lines.count > limit {
      lines = Array(lines.prefix(limit))
      lines[limit - 1] += "…"
    }
    return lines
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
