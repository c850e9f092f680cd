import Foundation
import LibXML

/// Reads one element of an evaluator's configuration (the `<evaluator>` or
/// one of its children) and records a finding for every value that is
/// missing, malformed or unknown, at the attribute's own line and column.
///
/// Every accessor declares the key it reads; `finish()` reports the
/// attributes and children nobody declared.
public final class ConfigurationReader {
  /// What all readers of one rubric share: where the rubric is, its levels, the findings.
  final class Context {
    let rubricDirectory: String
    let levels: [Level]
    var findings: [Finding] = []

    init(rubricDirectory: String, levels: [Level]) {
      self.rubricDirectory = rubricDirectory
      self.levels = levels
    }
  }

  public let element: Element
  let context: Context
  // Arrays, not sets: a handful of names each, and this runs for every criterion.
  private var declaredAttributes: [String]
  private var declaredChildren: [String] = []
  private var children: [ConfigurationReader] = []

  init(element: Element, context: Context, implicit: Set<String> = []) {
    self.element = element
    self.context = context
    self.declaredAttributes = Array(implicit)
  }

  /// The rubric's levels, lowest first.
  public var levels: [Level] { context.levels }

  /// The folder the rubric file is in.
  public var rubricDirectory: String { context.rubricDirectory }

  /// Records a finding about this configuration.
  public func report(_ message: String, at location: Location? = nil, rule: LintRule = RubricRules.evaluatorConfig) {
    context.findings.append(Finding(rule: rule, message: message, at: location ?? element.location))
  }

  private var what: String {
    element.name == "evaluator" ? "the \(element[attribute: "kind"] ?? "") evaluator" : "<\(element.name)>"
  }

  /// The level ids, each once, for "use one of" hints.
  var levelList: String {
    var seen = Set<String>()
    return levels.map(\.id).filter { seen.insert($0).inserted }.joined(separator: ", ")
  }

  // MARK: Attributes

  /// The raw value of attribute `name`, declaring it.
  public func string(_ name: String) -> String? {
    if !declaredAttributes.contains(name) { declaredAttributes.append(name) }
    return element[attribute: name]
  }

  /// A value that must be present; reports its absence.
  public func requiredString(_ name: String) -> String? {
    guard let value = string(name), !value.trimmingWhitespace.isEmpty else {
      report("\(what) needs a '\(name)' attribute")
      return nil
    }
    return value
  }

  private func invalid(_ name: String, _ expected: String) {
    let attribute = element.attribute(name)
    report(
      "'\(name)=\"\(attribute?.value ?? "")\"' is not valid: expected \(expected)", at: attribute?.location)
  }

  /// The value of attribute `name` converted by `parse`; `fallback` when the
  /// attribute is absent, and also when `parse` refuses it (then reported as
  /// not being `expected`).
  private func value<T>(_ name: String, default fallback: T, expected: String, _ parse: (String) -> T?) -> T {
    guard let text = string(name) else { return fallback }
    guard let value = parse(text.trimmingWhitespace) else {
      invalid(name, expected)
      return fallback
    }
    return value
  }

  /// An integer within `range`, or `fallback` when absent or invalid.
  public func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
    value(name, default: fallback, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") {
      Int($0).flatMap { range.contains($0) ? $0 : nil }
    }
  }

  /// An integer within `range`, or nil when absent or invalid (invalid is reported).
  public func optionalInteger(_ name: String, in range: ClosedRange<Int>) -> Int? {
    value(name, default: nil, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") {
      Int($0).flatMap { range.contains($0) ? $0 : nil }
    }
  }

  /// A decimal within `range`, or `fallback` when absent or invalid.
  public func number(_ name: String, default fallback: Double, in range: ClosedRange<Double>) -> Double {
    value(name, default: fallback, expected: "a number from \(range.lowerBound.compact) to \(range.upperBound.compact)")
    {
      Double($0).flatMap { range.contains($0) ? $0 : nil }
    }
  }

  /// `true` or `false` (also `1`/`0`, as XML Schema allows).
  public func boolean(_ name: String, default fallback: Bool) -> Bool {
    value(name, default: fallback, expected: "true or false") {
      switch $0 {
      case "true", "1": true
      case "false", "0": false
      default: nil
      }
    }
  }

  /// One of the cases of `T`, by raw value.
  public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) -> T
  where T.RawValue == String {
    value(name, default: fallback, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")) {
      T(rawValue: $0)
    }
  }

  /// A duration such as `500ms`, `10s`, `2m`, in seconds.
  public func duration(_ name: String, default fallback: Double) -> Double {
    value(name, default: fallback, expected: "a duration such as 500ms, 10s or 2m") {
      Quantity.seconds($0).flatMap { $0 > 0 ? $0 : nil }
    }
  }

  /// A size such as `512KiB`, `256MiB`, `1GiB`, `16MB` or bytes, in bytes.
  public func byteSize(_ name: String, default fallback: Int) -> Int {
    value(name, default: fallback, expected: "a size such as 512KiB, 256MiB or 1GiB") {
      Quantity.bytes($0).flatMap { $0 > 0 ? $0 : nil }
    }
  }

  /// A space-separated list.
  public func list(_ name: String) -> [String]? {
    string(name).map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
  }

  /// A relative path that must not leave its folder; reports absolute paths and `..`.
  public func relativePath(_ name: String, required: Bool) -> String? {
    guard let value = required ? requiredString(name) : string(name) else { return nil }
    guard Quantity.isContainedRelativePath(value) else {
      report(
        "'\(name)=\"\(value)\"' must be a relative path that stays inside its folder (no leading '/', no '..')",
        at: element.attribute(name)?.location, rule: RubricRules.unsafePath)
      return nil
    }
    return value
  }

  /// A path beside the rubric that must exist: a file, or a folder when `folder` is true.
  public func pathBesideRubric(_ name: String, folder: Bool, required: Bool) -> String? {
    guard let value = relativePath(name, required: required) else { return nil }
    let full = (rubricDirectory as NSString).appendingPathComponent(value)
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: full, isDirectory: &isFolder)
    if !exists || isFolder.boolValue != folder {
      let noun = folder ? "folder" : "file"
      let problem = exists ? "is not a \(noun)" : "does not exist"
      report(
        "the \(noun) '\(value)' named by '\(name)' \(problem) beside the rubric (looked for \(full))",
        at: element.attribute(name)?.location, rule: RubricRules.missingFile)
    }
    return value
  }

  // MARK: Children

  /// The children called `name`, each with its own reader; declares the name.
  public func children(_ name: String, implicit: Set<String> = []) -> [ConfigurationReader] {
    if !declaredChildren.contains(name) { declaredChildren.append(name) }
    let readers = element.children(named: name).map {
      ConfigurationReader(element: $0, context: context, implicit: implicit)
    }
    children.append(contentsOf: readers)
    return readers
  }

  /// Reports duplicate values of attribute `name` among `readers` (ids of checks, prompts, asserts).
  public func requireUniqueIDs(_ readers: [ConfigurationReader], attribute name: String = "id") {
    var seen: [String: Location] = [:]
    for reader in readers {
      guard let id = reader.string(name), let attribute = reader.element.attribute(name) else { continue }
      if let first = seen[id] {
        report(
          "another <\(reader.element.name)> already has \(name)=\"\(id)\" (line \(first.line)); each must be different",
          at: attribute.location, rule: RubricRules.duplicateID)
      } else {
        seen[id] = attribute.location
      }
    }
  }

  /// Reads `<level-at ATTRIBUTE="threshold" level="id"/>` steps, checking
  /// that each names a defined level and that thresholds descend.
  ///
  /// - Parameters:
  ///   - attribute: the threshold's attribute name (`passed`, `affirmed`, `met`).
  ///   - total: how many things are counted, when known, to check counts against.
  ///   - noun: what is counted, for messages ("checks").
  /// - Returns: the mapping, or nil (and a finding) when there is no step.
  public func levelMapping(attribute: String, total: Int? = nil, noun: String = "items") -> LevelMapping? {
    let steps = children("level-at")
    guard !steps.isEmpty else {
      report("\(what) needs at least one <level-at \(attribute)=\"...\" level=\"...\"/> to turn results into a level")
      return nil
    }
    var mapping = LevelMapping(attribute: attribute, steps: [], floor: levels.first?.id ?? "")
    var previous: (threshold: Threshold, score: Double?)?
    for step in steps {
      guard let thresholdText = step.requiredString(attribute), let levelID = step.requiredString("level") else {
        continue
      }
      let thresholdLocation = step.element.attribute(attribute)?.location
      guard let threshold = Threshold(thresholdText) else {
        step.invalid(attribute, "a percentage such as 80% or a count such as 4")
        continue
      }
      if case .percent(let value) = threshold, value > 100 {
        report("'\(attribute)=\"\(thresholdText)\"' is above 100%", at: thresholdLocation)
      }
      if case .amount(let value) = threshold, let total, value > Double(total) {
        report(
          "there are only \(total) \(noun), so \(attribute)=\"\(thresholdText)\" can never be reached",
          at: thresholdLocation, rule: RubricRules.policyUnreachable)
      }
      let level = levels.first { $0.id == levelID }
      if level == nil {
        report(
          "level '\(levelID)' is not defined; use one of: \(levelList)",
          at: step.element.attribute("level")?.location, rule: RubricRules.undefinedLevel)
      }
      if let previous {
        var descends = true
        switch (previous.threshold, threshold) {
        case (.percent(let before), .percent(let now)), (.amount(let before), .amount(let now)):
          if now >= before {
            descends = false
            report(
              "threshold \(threshold) does not descend: it follows \(previous.threshold); list <level-at> from the highest threshold down",
              at: thresholdLocation, rule: RubricRules.thresholdOrder)
          }
        default:
          descends = false
          report(
            "this mapping mixes percentages and counts; write every threshold of one <evaluator> the same way",
            at: thresholdLocation)
        }
        if descends, let before = previous.score, let now = level?.score, now > before {
          report(
            "level '\(levelID)' is higher than the level given at the threshold above it; a lower threshold must give a lower (or the same) level",
            at: step.element.attribute("level")?.location, rule: RubricRules.thresholdOrder)
        }
      }
      previous = (threshold, level?.score)
      mapping.steps.append(LevelMapping.Step(threshold: threshold, level: levelID, location: step.element.location))
    }
    return mapping
  }

  /// Declares every attribute and child element present: the evaluator passes what it does not
  /// read itself on to someone who does (a plugin's own configuration).
  public func acceptEverythingElse() {
    for attribute in element.attributes where !declaredAttributes.contains(attribute.name) {
      declaredAttributes.append(attribute.name)
    }
    for child in element.children where !declaredChildren.contains(child.name) { declaredChildren.append(child.name) }
  }

  /// Reports every attribute and child element that no accessor declared,
  /// here and in every child reader.
  public func finish() {
    for attribute in element.attributes where attribute.namespace == nil && !declaredAttributes.contains(attribute.name)
    {
      let known = declaredAttributes.filter { $0 != "kind" }.sorted()
      let hint = known.isEmpty ? "it takes no attributes" : "known: " + known.joined(separator: ", ")
      report("unknown attribute '\(attribute.name)' on \(what) (\(hint))", at: attribute.location)
    }
    for child in element.children where !declaredChildren.contains(child.name) {
      let known = declaredChildren.sorted()
      let hint =
        known.isEmpty ? "it takes no child elements" : "known: " + known.map { "<\($0)>" }.joined(separator: ", ")
      report("unknown element <\(child.name)> in \(what) (\(hint))", at: child.location)
    }
    for child in children { child.finish() }
  }
}
