#if canImport(Glibc)
import Glibc
#endif

/// Finds where a document stops being valid in the encoding it declares.
///
/// libxml2 reports a failed conversion ("input conversion failed due to input error") with no
/// line: it converts ahead of the parser. The same conversion, done here with iconv (which
/// libxml2 itself uses for these encodings), gives the byte where it fails.
enum EncodingCheck {
  /// The messages libxml2 gives for input it cannot convert from the declared encoding.
  static func isConversionFailure(_ message: String) -> Bool {
    message.hasPrefix("input conversion failed") || message == "encoder error"
      || message.hasPrefix("Unsupported encoding") || message.hasPrefix("switching encoding")
  }

  /// The encoding named by the XML declaration (`<?xml ... encoding="NAME"?>`), if any.
  static func declaredEncoding(_ bytes: [UInt8]) -> String? {
    let head = String(decoding: bytes.prefix(256), as: UTF8.self)
    guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), let end = head.firstRange(of: "?>") else {
      return nil
    }
    let declaration = head[..<end.lowerBound]
    guard let match = declaration.firstMatch(of: #/encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']/#) else { return nil }
    return String(match.1)
  }

  /// The offset of the first byte of `bytes` that is not valid `encoding`; nil when every byte
  /// is, or when this system cannot convert from `encoding`.
  static func firstInvalidOffset(_ bytes: [UInt8], encoding: String) -> Int? {
    let converter = iconv_open("UTF-8", encoding)
    guard let converter, Int(bitPattern: converter) != -1 else { return nil }
    defer { iconv_close(converter) }
    var input = bytes.map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: 4096)
    return input.withUnsafeMutableBufferPointer { inputBuffer -> Int? in
      var next = inputBuffer.baseAddress
      var left = inputBuffer.count
      while left > 0 {
        let converted = output.withUnsafeMutableBufferPointer { outputBuffer -> Int in
          var target = outputBuffer.baseAddress
          var room = outputBuffer.count
          return iconv(converter, &next, &left, &target, &room)
        }
        guard converted == -1 else { continue }
        switch errno {
        case E2BIG: continue
        case EILSEQ, EINVAL: return inputBuffer.count - left
        default: return nil
        }
      }
      return nil
    }
  }

  /// Replaces libxml2's conversion failures (and the errors they cause further on) with one
  /// diagnostic at the first byte that is not valid in the declared encoding, or, when that
  /// byte cannot be found, one that says why there is no line.
  static func locate(_ diagnostics: [Diagnostic], bytes: [UInt8], path: String) -> [Diagnostic] {
    guard let first = diagnostics.firstIndex(where: { isConversionFailure($0.message) }) else { return diagnostics }
    if let unsupported = diagnostics.first(where: { $0.message.hasPrefix("Unsupported encoding") }) {
      // The declaration itself is the cause: the first line.
      return [
        Diagnostic(
          severity: .error, domain: .parser, location: SourceLocation(file: path, line: 1, column: 1),
          message: unsupported.message)
      ]
    }
    let encoding = declaredEncoding(bytes) ?? "the declared encoding"
    let detail = diagnostics[first].message.firstMatch(of: #/bytes (.*)$/#).map { " (bytes \($0.1))" } ?? ""
    guard let offset = firstInvalidOffset(bytes, encoding: encoding) else {
      return Array(diagnostics[..<first]) + [
        Diagnostic(
          severity: .error, domain: .parser, location: SourceLocation(file: path, line: 0, column: 0),
          message:
            "the file cannot be read as \(encoding)\(detail), and no line can be given: the whole file is converted before it is parsed"
        )
      ]
    }
    let before = bytes[..<offset]
    let line = 1 + before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    let lineStart = (before.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
    let location = SourceLocation(file: path, line: line, column: offset - lineStart + 1)
    let found = bytes[offset..<min(offset + 4, bytes.count)].map { "0x" + String($0, radix: 16, uppercase: true) }
    return Array(diagnostics[..<first].filter { $0.location.line > 0 && $0.location < location }) + [
      Diagnostic(
        severity: .error, domain: .parser, location: location,
        message: "Input is not valid \(encoding): bytes \(found.joined(separator: " "))")
    ]
  }
}
