import Foundation
import LibXML

/// `command`: a plugin evaluator, an executable beside the rubric. With `protocol="mastery-1"` it
/// reads a JSON request on standard input and writes a JSON result on standard output
/// (docs/plugins.md); with `protocol="autograder-results"` it is an autograder written for
/// Gradescope's specification (`run_autograder` writing `results/results.json`), run unchanged.
public struct CommandConfiguration: EvaluatorConfiguration {
  public static let description = EvaluatorDescription(
    kind: "command", summary: "A plugin: an executable that reads a JSON request and writes a JSON result.",
    examples: [
      .valid(
        #"""
        <evaluator kind="command" run="bin/grader" timeout="30s">
          <column name="temperature" unit="C"/>
          <level-at score="100%" level="proficient"/>
          <level-at score="50%" level="developing"/>
        </evaluator>
        """#),
      .invalid(#"<evaluator kind="command" run="bin/missing" protocol="xml-rpc"/>"#, "missing-file", "evaluator-config"),
    ])

  public enum Interface: String, Sendable, CaseIterable {
    /// JSON request on standard input, JSON result on standard output.
    case mastery1 = "mastery-1"
    /// Gradescope's autograder specification: `run_autograder` writes `results/results.json`.
    case autograderResults = "autograder-results"
  }

  /// The executable, relative to the rubric's folder.
  public var run: String
  /// Its folder beside the rubric: what the plugin sees of the rubric's files.
  public var pluginFolder: String { (run as NSString).deletingLastPathComponent }
  public var arguments: [String]
  public var interface: Interface
  public var timeoutSeconds: Double
  public var memoryBytes: Int
  public var processes: Int
  public var outputBytes: Int
  public var workingCopyBytes: Int
  /// The rubric lets it run outside the sandbox when the grader passes `--trust-plugins`.
  public var trusted: Bool
  /// From a score (points of the maximum) to a level; required unless every result names a level.
  public var mapping: LevelMapping?
  /// The `<evaluator>` attributes the engine does not read, and its children other than
  /// `<level-at>`: the plugin's own configuration, passed through.
  public var pluginAttributes: [String: String]
  public var pluginElements: [PluginElement]

  /// The engine's own attributes; every other attribute belongs to the plugin.
  static let engineAttributes: Set<String> = [
    "kind", "run", "args", "protocol", "timeout", "memory", "processes", "output", "working-copy", "trusted",
  ]

  public init(reading reader: ConfigurationReader) {
    run = reader.pathBesideRubric("run", folder: false, required: true) ?? ""
    arguments = reader.list("args") ?? []
    interface = reader.choice("protocol", default: Interface.mastery1)
    timeoutSeconds = reader.duration("timeout", default: 30)
    memoryBytes = reader.byteSize("memory", default: 512 << 20)
    processes = reader.integer("processes", default: 64, in: 1...4096)
    outputBytes = reader.byteSize("output", default: 1 << 20)
    workingCopyBytes = reader.byteSize("working-copy", default: 64 << 20)
    trusted = reader.boolean("trusted", default: false)
    let steps = reader.element.children(named: "level-at")
    if steps.isEmpty {
      _ = reader.children("level-at")
      if interface == .autograderResults {
        reader.report(
          "an autograder gives a score, not a level: add <level-at score=\"...\" level=\"...\"/> steps to turn it into one")
      }
    } else {
      mapping = reader.levelMapping(attribute: "score", noun: "points")
    }
    if !run.isEmpty {
      let full = (reader.rubricDirectory as NSString).appendingPathComponent(run)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
        !FileManager.default.isExecutableFile(atPath: full)
      {
        reader.report(
          "the plugin '\(run)' is not executable; make it so (chmod +x \(run)) and give it a first line such as #!/bin/sh",
          at: reader.element.attribute("run")?.location, rule: RubricRules.missingFile)
      }
    }
    pluginAttributes = Dictionary(
      reader.element.attributes.filter { $0.namespace == nil && !Self.engineAttributes.contains($0.name) }.map {
        ($0.name, $0.value)
      }, uniquingKeysWith: { first, _ in first })
    pluginElements = reader.element.children.filter { $0.name != "level-at" }.map(PluginElement.init)
    reader.acceptEverythingElse()
  }

  public var reachableLevels: Set<String>? { nil }

  public func explanation(levels: [Level], evidence _: [EvidenceItem]) -> [String] {
    ["An automated check (\(run)) judges this criterion."]
      + (mapping?.explanation(levels: levels, noun: "points") ?? [])
  }

  /// The sandbox limits of one run.
  var limits: SandboxLimits {
    SandboxLimits(
      wallSeconds: timeoutSeconds, cpuSeconds: timeoutSeconds, memoryBytes: memoryBytes, addressSpaceFactor: 1,
      processes: processes,
      outputBytes: outputBytes)
  }
}

/// A child element of a plugin's `<evaluator>`, passed to the plugin as JSON.
public struct PluginElement: Sendable, Hashable, Codable {
  public var name: String
  public var attributes: [String: String]
  public var text: String
  public var elements: [PluginElement]

  init(_ element: Element) {
    name = element.name
    attributes = Dictionary(
      element.attributes.filter { $0.namespace == nil }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    elements = element.children.map(PluginElement.init)
    text = elements.isEmpty ? element.normalizedText : ""
  }
}
