import Foundation
import Testing

@testable import MasteryKit

@Suite("Baked badges")
struct BakedBadgeTests {
  /// A 1x1 PNG: signature, IHDR, IDAT, IEND.
  static let png = Data(
    base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/hI1ZCwAAAABJRU5ErkJggg==")!

  @Test func bakingAgainReplacesTheCredentialInEitherFormat() throws {
    let svg = Data(#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>"#.utf8)
    for picture in [svg, Self.png] {
      let once = try #require(BakedBadge.bake("first.token.here", into: picture))
      let twice = try #require(BakedBadge.bake("second.token.here", into: once))
      #expect(BakedBadge.credential(in: once) == "first.token.here")
      #expect(BakedBadge.credential(in: twice) == "second.token.here")
      #expect(String(decoding: twice, as: UTF8.self).components(separatedBy: "first.token").count == 1)
      #expect(BakedBadge.credential(in: picture) == nil)
    }
    // The PNG keeps its chunks, the credential just before IEND.
    let baked = try #require(BakedBadge.bake("a.b.c", into: Self.png))
    let chunks = BakedBadge.chunks(of: baked)
    #expect(chunks.map(\.type) == ["IHDR", "IDAT", "iTXt", "IEND"])
    #expect(BakedBadge.format(of: Data("not a picture".utf8)) == nil)
    #expect(BakedBadge.bake("a.b.c", into: Data("<svg/>".utf8)) == nil, "a root svg with no content cannot hold one")
  }
}
