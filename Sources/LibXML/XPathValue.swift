/// The result of an XPath 1.0 expression, converted to Swift values.
public enum XPathValue: Sendable, Equatable {
  case nodes([XPathNode])
  case boolean(Bool)
  case number(Double)
  case string(String)

  /// The XPath `boolean()` of the value: a non-empty node set, a non-zero
  /// number, a non-empty string.
  public var isTrue: Bool {
    switch self {
    case .nodes(let nodes): return !nodes.isEmpty
    case .boolean(let value): return value
    case .number(let value): return value != 0 && !value.isNaN
    case .string(let value): return !value.isEmpty
    }
  }
}

/// A node selected by XPath: its name, text content, line and attributes.
public struct XPathNode: Sendable, Equatable {
  public var name: String
  public var text: String
  public var line: Int
  public var attributes: [String: String]

  public init(name: String, text: String, line: Int, attributes: [String: String]) {
    self.name = name
    self.text = text
    self.line = line
    self.attributes = attributes
  }
}
