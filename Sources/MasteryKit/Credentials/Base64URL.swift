import Foundation

/// Base64url without padding (RFC 4648 section 5), as JOSE writes it.
enum Base64URL {
  static func encode(_ data: some DataProtocol) -> String {
    Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// The bytes, or nil when `text` is not base64url (padding is not accepted: JOSE never writes
  /// it), or not the one encoding of its bytes: the unused low bits of a last character must be
  /// zero, so that one signature (or header, or payload) has one spelling.
  static func decode(_ text: some StringProtocol) -> Data? {
    guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64), encode(data) == String(text) else { return nil }
    return data
  }
}
