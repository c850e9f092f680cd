import ArgumentParser
import MasteryKit

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print a bundled schema: an XML Schema (XSD) of a format, or a JSON Schema of the plugin protocol.",
    discussion: "Save it and point your editor at it, e.g. `mastery schema rubric > microcredential.xsd`.")

  @Argument(help: "Which schema: \(BundledSchema.all.map(\.name).joined(separator: ", ")).")
  var name: String = BundledSchema.rubric.name

  @Flag(help: "List the bundled schemas and their namespaces.")
  var list = false

  func validate() throws {
    if !list, !BundledSchema.all.contains(where: { $0.name == name }) {
      throw ValidationError(
        "unknown schema '\(name)'; choose one of: \(BundledSchema.all.map(\.name).joined(separator: ", "))")
    }
  }

  func run() throws {
    if list {
      for schema in BundledSchema.all { Output.write("\(schema.name)\t\(schema.namespace)\t\(schema.fileName)\n") }
      return
    }
    if let schema = BundledSchema.all.first(where: { $0.name == name }) { Output.write(schema.text) }
  }
}
