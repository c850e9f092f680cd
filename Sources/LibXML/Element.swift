/// An XML element as a Swift value: name, namespace, attributes, children and
/// its direct text, each with its place in the source.
///
/// Built from a parsed document in one pass; it owns no C memory. Immutable,
/// and a class so that handing elements around costs one reference count,
/// not a copy of every field (this is the hot path of `mastery validate`).
public final class Element: Sendable {
  public let name: String
  public let namespace: String?
  public let attributes: [Attribute]
  public let children: [Element]
  /// The concatenated text and CDATA directly inside this element.
  public let text: String
  /// Where the start tag begins (`<`).
  public let location: SourceLocation

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
    Self.normalizeWhitespace(text)
  }

  /// Folds runs of XML white space (space, tab, CR, LF) to one space and trims the ends.
  public static func normalizeWhitespace(_ text: String) -> String {
    let utf8 = text.utf8
    var needsWork = false
    var previousWasSpace = true
    for byte in utf8 {
      let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
      if isSpace && (previousWasSpace || byte != 0x20) {
        needsWork = true
        break
      }
      previousWasSpace = isSpace
    }
    if !needsWork && !previousWasSpace { return text }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count)
    var pendingSpace = false
    for byte in utf8 {
      if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace {
          out.append(0x20)
          pendingSpace = false
        }
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
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
