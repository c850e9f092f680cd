import Crypto
import Foundation
import LibXML

/// Turns a schema-valid `<microcredential>` element into the model, reading
/// each evaluator's configuration through its registered type.
struct RubricBuilder {
  let root: Element
  let path: String
  let directory: String
  private(set) var findings: [Finding] = []

  init(root: Element, path: String, directory: String) {
    self.root = root
    self.path = path
    self.directory = directory
  }

  mutating func build() -> Microcredential {
    let levels = (root.child(named: "levels")?.children(named: "level") ?? []).map { element in
      Level(
        id: element[attribute: "id"] ?? "", score: Self.number(element[attribute: "score"]) ?? 0,
        label: element.normalizedText, location: element.location)
    }
    let issuer = root.child(named: "issuer")
    let evidence = (root.child(named: "evidence")?.children(named: "item") ?? []).map(evidenceItem)
    let context = ConfigurationReader.Context(rubricDirectory: directory, levels: levels)
    let criteria = (root.child(named: "criteria")?.children(named: "criterion") ?? []).map {
      criterion($0, context: context)
    }
    findings += context.findings
    return Microcredential(
      id: root[attribute: "id"] ?? "", version: root[attribute: "version"] ?? "",
      title: root.child(named: "title")?.normalizedText ?? "",
      issuer: Issuer(
        name: issuer?[attribute: "name"] ?? "", url: issuer?[attribute: "url"], email: issuer?[attribute: "email"],
        image: issuer.flatMap { image($0, attribute: "image") }),
      description: root.child(named: "description")?.normalizedText,
      image: root.child(named: "image").flatMap { image($0, attribute: "src") },
      competency: root.child(named: "competency")?.normalizedText ?? "",
      keyMethod: root.child(named: "key-method")?.normalizedText,
      alignments: root.children(named: "alignment").map { element in
        Alignment(
          framework: element[attribute: "framework"] ?? "", code: element[attribute: "code"],
          name: element[attribute: "name"], url: element[attribute: "url"],
          text: element.normalizedText.isEmpty ? nil : element.normalizedText)
      },
      levels: levels, evidence: evidence, criteria: criteria,
      policy: policy(root.child(named: "mastery")), path: path, location: root.location,
      versionLocation: root.attribute("version")?.location ?? root.location)
  }

  /// The picture `attribute` of `element` names: an https URL as it is, or a PNG or SVG file
  /// beside the rubric of at most 256 KiB, read now; nil (with a finding) for anything else.
  private mutating func image(_ element: Element, attribute: String) -> RubricImage? {
    guard let source = element[attribute: attribute]?.trimmingWhitespace, !source.isEmpty,
      let location = element.attribute(attribute)?.location
    else { return nil }
    let caption = element[attribute: "caption"]
    if let url = URL(string: source), url.scheme == "https", url.host?.isEmpty == false {
      return RubricImage(source: source, caption: caption)
    }
    func fail(_ message: String, _ rule: LintRule = RubricRules.badImage) -> RubricImage? {
      findings.append(Finding(rule: rule, message: message, at: location))
      return nil
    }
    guard Quantity.isContainedRelativePath(source) else {
      return fail("the image '\(source)' is neither an https URL nor a path inside the rubric's folder")
    }
    let full = (directory as NSString).appendingPathComponent(source)
    var info = stat()
    guard lstat(full, &info) == 0 else {
      return fail("the image file '\(source)' does not exist beside the rubric (looked for \(full))", RubricRules.missingFile)
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return fail("the image '\(source)' is not a regular file") }
    guard info.st_size <= 256 * 1024 else {
      return fail("the image '\(source)' is \(info.st_size / 1024) KiB; a badge image is at most 256 KiB")
    }
    guard let data = FileManager.default.contents(atPath: full) else { return fail("the image '\(source)' cannot be read") }
    if data.starts(with: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) {
      return RubricImage(source: source, caption: caption, data: data, mediaType: "image/png")
    }
    if let text = String(data: data.prefix(4096), encoding: .utf8), text.contains("<svg") {
      return RubricImage(source: source, caption: caption, data: data, mediaType: "image/svg+xml")
    }
    return fail("the image '\(source)' is neither a PNG nor an SVG file")
  }

  private func evidenceItem(_ element: Element) -> EvidenceItem {
    EvidenceItem(
      id: element[attribute: "id"] ?? "", kind: EvidenceItem.Kind(rawValue: element[attribute: "kind"] ?? "") ?? .file,
      path: element[attribute: "path"],
      required: element[attribute: "required"].map { $0 == "true" || $0 == "1" } ?? true,
      minWords: Self.integer(element[attribute: "min-words"]), maxWords: Self.integer(element[attribute: "max-words"]),
      description: element.normalizedText,
      location: element.location)
  }

  private mutating func criterion(_ element: Element, context: ConfigurationReader.Context) -> Criterion {
    let evaluatorElement = element.child(named: "evaluator") ?? Element(name: "evaluator", location: element.location)
    let kind = evaluatorElement[attribute: "kind"] ?? ""
    var configuration: (any EvaluatorConfiguration)?
    if let type = EvaluatorRegistry.byKind[kind] {
      let reader = ConfigurationReader(element: evaluatorElement, context: context, implicit: ["kind"])
      configuration = type.init(reading: reader)
      reader.finish()
    } else {
      findings.append(
        Finding(
          rule: RubricRules.unknownEvaluator,
          message: "unknown evaluator kind '\(kind)'; use one of: \(EvaluatorRegistry.kinds.joined(separator: ", "))",
          at: evaluatorElement.attribute("kind")?.location ?? evaluatorElement.location))
    }
    return Criterion(
      id: element[attribute: "id"] ?? "", title: element.child(named: "title")?.normalizedText ?? "",
      description: element.child(named: "description")?.normalizedText,
      weight: Self.number(element[attribute: "weight"]) ?? 1,
      evidence: (element[attribute: "evidence"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init),
      descriptors: element.children(named: "descriptor").map {
        Descriptor(level: $0[attribute: "level"] ?? "", text: $0.normalizedText, location: $0.location)
      },
      evaluator: EvaluatorSpec(kind: kind, configuration: configuration, location: evaluatorElement.location),
      carryOver: element[attribute: "carry-over"].map { ["true", "1"].contains($0.trimmingWhitespace) } ?? false,
      definition: Self.definition(of: element, evaluator: evaluatorElement, levels: context.levels),
      location: element.location)
  }

  /// `Criterion.definition`: what decides a result, in a canonical text, hashed.
  static func definition(of criterion: Element, evaluator: Element, levels: [Level]) -> String {
    var text = "levels"
    for level in levels { text += " \(level.id)=\(level.score.compact)" }
    text += "\nweight \(number(criterion[attribute: "weight"])?.compact ?? "1")"
    text += "\nevidence " + (criterion[attribute: "evidence"] ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    text += "\n" + canonical(evaluator)
    return SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
  }

  /// An element as text that leaves out what XML does not mean: attribute order, white space
  /// between elements, how text wraps.
  private static func canonical(_ element: Element) -> String {
    let attributes = element.attributes.map { "\($0.name)=\"\($0.value.trimmingWhitespace)\"" }.sorted()
    let inner =
      element.children.isEmpty ? element.normalizedText : element.children.map(canonical).joined(separator: "")
    return "<\(element.name) \(attributes.joined(separator: " "))>\(inner)</\(element.name)>"
  }

  /// XML Schema collapses white space around numbers ("2 " is a valid decimal): so do we.
  private static func number(_ text: String?) -> Double? { text.flatMap { Double($0.trimmingWhitespace) } }

  private static func integer(_ text: String?) -> Int? { text.flatMap { Int($0.trimmingWhitespace) } }

  private func policy(_ element: Element?) -> MasteryPolicy {
    let fallback = Location(file: path, line: root.location.line, column: root.location.column)
    var policy = MasteryPolicy(
      everyCriterion: nil, gates: [], total: nil, attempts: .latest, location: element?.location ?? fallback)
    guard let element else { return policy }
    if let every = element.child(named: "every-criterion"), let level = every[attribute: "at-least"] {
      policy.everyCriterion = .init(level: level, location: every.attribute("at-least")?.location ?? every.location)
    }
    policy.gates = element.children(named: "criterion").map {
      MasteryPolicy.Gate(
        criterion: $0[attribute: "ref"] ?? "", level: $0[attribute: "at-least"] ?? "",
        location: $0.attribute("ref")?.location ?? $0.location,
        levelLocation: $0.attribute("at-least")?.location ?? $0.location)
    }
    if let total = element.child(named: "total"), let threshold = Threshold(total[attribute: "at-least"] ?? "") {
      policy.total = .init(threshold: threshold, location: total.attribute("at-least")?.location ?? total.location)
    }
    if let attempts = element.child(named: "attempts") {
      policy.attempts = AttemptsPolicy(
        rule: AttemptsPolicy.Rule(rawValue: attempts[attribute: "policy"] ?? "latest") ?? .latest,
        maximum: Self.integer(attempts[attribute: "max"]), count: Self.integer(attempts[attribute: "n"]),
        decay: Self.number(attempts[attribute: "decay"]), location: attempts.location)
    }
    return policy
  }
}
