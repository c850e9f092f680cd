import CLibXML2

/// Gathers every libxml2 message raised while it is installed (not only the last).
///
/// Installed as a structured error handler; the handlers below find it through
/// the opaque pointer libxml2 passes back. Holds at most `limit` messages and
/// counts the rest, so a hostile page cannot fill memory with errors.
final class DiagnosticCollector {
  let file: String
  let domain: Diagnostic.Domain
  let limit: Int
  private(set) var diagnostics: [Diagnostic] = []
  private(set) var dropped = 0
  /// Set when the parser met a DOCTYPE (documents of ours never have one).
  var doctypeLine: Int?
  /// Maps a node pointer from a schema error (and the attribute the message
  /// names, if any) to its exact source position.
  var locate: ((UnsafeMutableRawPointer, String?) -> SourceLocation?)?
  /// Messages left out entirely: neither kept nor counted against `limit`.
  var ignore: ((String) -> Bool)?

  init(file: String, domain: Diagnostic.Domain, limit: Int = 500) {
    self.file = file
    self.domain = domain
    self.limit = limit
  }

  func append(_ diagnostic: Diagnostic) {
    if diagnostics.count < limit {
      diagnostics.append(diagnostic)
    } else {
      dropped += 1
    }
  }

  func record(_ error: xmlErrorPtr) {
    let raw = error.pointee
    let severity: Diagnostic.Severity = raw.level == XML_ERR_WARNING ? .warning : .error
    var message = raw.message.map { String(cString: $0) } ?? "unknown libxml2 error"
    while message.last == "\n" || message.last == " " { message.removeLast() }
    // One diagnostic is one line: libxml2 splits some messages ("...encoding !\nBytes: ...").
    message = message.split(separator: "\n").joined(separator: " ")
    if ignore?(message) == true { return }
    var location = SourceLocation(file: file, line: Int(raw.line), column: 0)
    if raw.domain == Int32(XML_FROM_PARSER.rawValue) || raw.domain == Int32(XML_FROM_NAMESPACE.rawValue)
      || raw.domain == Int32(XML_FROM_HTML.rawValue)
    {
      location.column = Int(raw.int2)
    }
    if let node = raw.node, let exact = locate?(node, Self.attributeName(in: message)) {
      location = exact
    }
    append(Diagnostic(severity: severity, domain: domain, location: location, message: message))
  }

  /// The attribute a schema message is about: `Element 'item', attribute 'kind': ...`.
  static func attributeName(in message: String) -> String? {
    let bytes = Array(message.utf8)
    let marker = Array(", attribute '".utf8)
    guard bytes.count > marker.count else { return nil }
    for start in 0...(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
      let nameStart = start + marker.count
      guard let end = bytes[nameStart...].firstIndex(of: UInt8(ascii: "'")) else { return nil }
      return String(decoding: bytes[nameStart..<end], as: UTF8.self)
    }
    return nil
  }

  var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

  static func from(_ pointer: UnsafeMutableRawPointer?) -> DiagnosticCollector? {
    pointer.map { Unmanaged<DiagnosticCollector>.fromOpaque($0).takeUnretainedValue() }
  }

  /// Runs `body` with this collector as the thread's structured error handler, restored after.
  func collecting<T>(_ body: () throws -> T) rethrows -> T {
    xmlSetStructuredErrorFunc(opaque, collectStructuredError)
    defer { xmlSetStructuredErrorFunc(nil, nil) }
    return try body()
  }
}

/// The structured error handler: `context` is the collector.
let collectStructuredError: xmlStructuredErrorFunc = { context, error in
  guard let error, let collector = DiagnosticCollector.from(context) else { return }
  collector.record(error)
}
