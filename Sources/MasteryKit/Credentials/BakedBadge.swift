import CZlib
import Foundation

/// A badge image with its credential inside ("baked", Open Badges 3.0 section 5.3): in a PNG an
/// `iTXt` chunk with the keyword `openbadgecredential`; in an SVG an `<openbadges:credential>`
/// element (namespace `https://purl.imsglobal.org/ob/v3p0`) first in the root element. The
/// credential is the compact JWS.
public enum BakedBadge {
  public static let namespace = "https://purl.imsglobal.org/ob/v3p0"
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  static let keyword = "openbadgecredential"

  public enum Format: String, Sendable { case png, svg }

  /// The format of a picture's bytes, or nil for neither PNG nor SVG.
  public static func format(of image: Data) -> Format? {
    if image.starts(with: pngSignature) { return .png }
    if let text = String(data: image.prefix(4096), encoding: .utf8), text.contains("<svg") { return .svg }
    return nil
  }

  /// The credential's own badge with `jwt` baked in: the achievement's image when it is a PNG or
  /// SVG the credential carries, else (an image given by URL) the badge drawn from the rubric.
  public static func bake(_ jwt: String, credential: OpenBadgeCredential, rubric: Microcredential) -> (
    image: Data, format: Format
  )? {
    var picture = Data(BadgeImage.svg(for: rubric).utf8)
    if let uri = credential.credentialSubject.achievement.image?.id, uri.hasPrefix("data:"),
      let comma = uri.firstIndex(of: ","), uri[..<comma].hasSuffix(";base64"),
      let bytes = Data(base64Encoded: String(uri[uri.index(after: comma)...]))
    {
      picture = bytes
    }
    guard let format = format(of: picture), let baked = bake(jwt, into: picture) else { return nil }
    return (baked, format)
  }

  /// The picture with `jwt` baked in (an earlier credential baked in it is replaced), or nil when
  /// the picture is neither a PNG nor an SVG with a root `<svg>` element.
  public static func bake(_ jwt: String, into image: Data) -> Data? {
    switch format(of: image) {
    case .png: return bakePNG(jwt, into: unbakedPNG(image) ?? image)
    case .svg: return bakeSVG(jwt, into: String(decoding: image, as: UTF8.self)).map { Data($0.utf8) }
    case nil: return nil
    }
  }

  /// The credential baked into a picture, if any.
  public static func credential(in image: Data) -> String? {
    switch format(of: image) {
    case .png:
      for chunk in chunks(of: image) where chunk.type == "iTXt" {
        // keyword NUL compression-flag compression-method language NUL translated-keyword NUL text
        let fields = chunk.data.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        guard fields.count == 2, String(decoding: fields[0], as: UTF8.self) == keyword else { continue }
        let rest = fields[1]
        guard rest.count >= 2, rest[rest.startIndex] == 0 else { return nil }  // compressed text is not written by bakers
        let afterFlags = rest.dropFirst(2)
        let tail = afterFlags.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard tail.count == 3 else { return nil }
        return String(decoding: tail[2], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      }
      return nil
    case .svg:
      let text = String(decoding: image, as: UTF8.self)
      guard let open = text.range(of: "<openbadges:credential"),
        let start = text[open.upperBound...].range(of: ">"),
        let close = text[start.upperBound...].range(of: "</openbadges:credential>")
      else { return nil }
      var content = String(text[start.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
      if content.hasPrefix("<![CDATA["), content.hasSuffix("]]>") {
        content = String(content.dropFirst(9).dropLast(3)).trimmingCharacters(in: .whitespacesAndNewlines)
      }
      return content
    case nil: return nil
    }
  }

  static func bakeSVG(_ jwt: String, into svg: String) -> String? {
    var svg = svg
    // An earlier credential goes first.
    if let open = svg.range(of: "<openbadges:credential"),
      let close = svg[open.upperBound...].range(of: "</openbadges:credential>")
    {
      svg.removeSubrange(open.lowerBound..<close.upperBound)
    }
    guard let root = svg.range(of: "<svg"), let end = svg[root.upperBound...].range(of: ">") else { return nil }
    let startTag = svg[root.lowerBound..<end.lowerBound]
    guard !startTag.hasSuffix("/") else { return nil }
    let declaration = startTag.contains("xmlns:openbadges=") ? "" : " xmlns:openbadges=\"\(namespace)\""
    return String(svg[..<end.lowerBound]) + declaration + ">\n  <openbadges:credential>" + jwt
      + "</openbadges:credential>" + String(svg[end.upperBound...])
  }

  static func bakePNG(_ jwt: String, into png: Data) -> Data? {
    let all = chunks(of: png)
    guard let end = all.last, end.type == "IEND" else { return nil }
    var data = Data(keyword.utf8)
    data.append(contentsOf: [0, 0, 0, 0, 0])  // NUL, not compressed, method 0, no language NUL, no translated keyword NUL
    data.append(contentsOf: Data(jwt.utf8))
    var chunk = Data()
    var length = UInt32(data.count).bigEndian
    chunk.append(Data(bytes: &length, count: 4))
    let typed = Data("iTXt".utf8) + data
    chunk.append(typed)
    var crc = UInt32(typed.withUnsafeBytes { crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) })
      .bigEndian
    chunk.append(Data(bytes: &crc, count: 4))
    return png.prefix(end.offset) + chunk + png.suffix(from: end.offset)
  }

  /// The PNG without an earlier credential's chunk.
  static func unbakedPNG(_ png: Data) -> Data? {
    var result = Data(pngSignature)
    for chunk in chunks(of: png) {
      if chunk.type == "iTXt", chunk.data.starts(with: Data((keyword + "\u{0}").utf8)) { continue }
      result.append(png[chunk.offset..<(chunk.offset + 12 + chunk.data.count)])
    }
    return result.count > pngSignature.count ? result : nil
  }

  /// The chunks of a PNG: type, data and where each starts; stops at the first one cut short.
  static func chunks(of png: Data) -> [(type: String, data: Data, offset: Int)] {
    let bytes = [UInt8](png)
    var offset = pngSignature.count
    var found: [(type: String, data: Data, offset: Int)] = []
    while offset + 12 <= bytes.count {
      let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
      guard length <= bytes.count - offset - 12 else { break }
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      found.append((type, Data(bytes[(offset + 8)..<(offset + 8 + length)]), offset))
      offset += 12 + length
      if type == "IEND" { break }
    }
    return found
  }
}
