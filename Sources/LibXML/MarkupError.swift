/// Why a document could not be read or parsed.
public enum MarkupError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The input is larger than the cap set for its kind of document.
  case tooLarge(path: String, limit: Int)
  /// The document declares a DOCTYPE, which no document of ours needs.
  case doctypeForbidden(location: SourceLocation)
  /// The document is not well-formed XML; every error libxml2 reported, in order.
  case malformed(path: String, diagnostics: [Diagnostic])
  /// The schema itself could not be compiled.
  case invalidSchema(path: String, diagnostics: [Diagnostic])
  /// An XPath expression could not be compiled or evaluated.
  case xpath(expression: String, message: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): error: cannot read the file: \(reason)"
    case .tooLarge(let path, let limit):
      return "\(path): error: the file is larger than \(limit) bytes; split it or check that it is the right file"
    case .doctypeForbidden(let location):
      return "\(location): error: DOCTYPE declarations are not allowed; remove the <!DOCTYPE ...> line"
    case .malformed(let path, let diagnostics):
      return diagnostics.isEmpty
        ? "\(path): error: not well-formed XML" : diagnostics.map(\.description).joined(separator: "\n")
    case .invalidSchema(let path, let diagnostics):
      return "\(path): error: the schema does not compile\n" + diagnostics.map(\.description).joined(separator: "\n")
    case .xpath(let expression, let message):
      return "XPath '\(expression)': \(message)"
    }
  }
}
