/// An XML element as a Swift value: name, namespace, attributes, children and
/// its direct text, each with its place in the source.
///
/// Built from a parsed document in one pass; it owns no C memory.
public struct Element: Sendable {
  public var name: String
  public var namespace: String?
  public var attributes: [Attribute]
  public var children: [Element]
  /// The concatenated text and CDATA directly inside this element.
  public var text: String
  /// Where the start tag begins (`<`).
  public var location: SourceLocation

  public init(
    name: String, namespace: String? = nil, attributes: [Attribute] = [], children: [Element] = [],
    text: String = "", location: SourceLocation
  ) {
    self.name = name
    self.namespace = namespace
    self.attributes = attributes
    self.children = children
    self.text = text
    self.location = location
  }

  /// The attribute without namespace called `name`, if present.
  public func attribute(_ name: String) -> Attribute? {
    attributes.first { $0.name == name && $0.namespace == nil }
  }

  /// The value of the attribute without namespace called `name`.
  public subscript(attribute name: String) -> String? {
    attribute(name)?.value
  }

  /// The children called `name`, in document order.
  public func children(named name: String) -> [Element] {
    children.filter { $0.name == name }
  }

  /// The first child called `name`.
  public func child(named name: String) -> Element? {
    children.first { $0.name == name }
  }

  /// The text with runs of white space folded to one space and the ends trimmed.
  public var normalizedText: String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
      .joined(separator: " ")
  }
}

/// An attribute as a Swift value, with where its name starts in the source.
public struct Attribute: Sendable, Hashable {
  public var name: String
  public var namespace: String?
  public var value: String
  public var location: SourceLocation

  public init(name: String, namespace: String? = nil, value: String, location: SourceLocation) {
    self.name = name
    self.namespace = namespace
    self.value = value
    self.location = location
  }
}
