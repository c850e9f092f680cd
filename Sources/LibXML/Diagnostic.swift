/// One message from libxml2 (parser, schema validator, HTML parser), kept as a value.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable, Codable {
    case warning
    case error
  }

  /// Which part of libxml2 raised the message.
  public enum Domain: String, Sendable, Hashable, Codable {
    case parser
    case schema
    case html
    case xpath
    case other
  }

  public var severity: Severity
  public var domain: Domain
  public var location: SourceLocation
  public var message: String

  public init(severity: Severity, domain: Domain, location: SourceLocation, message: String) {
    self.severity = severity
    self.domain = domain
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
