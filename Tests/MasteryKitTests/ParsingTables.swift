import MasteryKit
import Testing

@testable import MasteryKit

@Suite("Small parsers")
struct ParsingTables {
  @Test(arguments: [
    ("nav", "//nav"),
    ("#main", "//*[@id='main']"),
    (".card", "//*[contains(concat(' ', normalize-space(@class), ' '), ' card ')]"),
    ("a[href]", "//a[@href]"),
    ("input[type=\"email\"]", "//input[@type='email']"),
    ("nav a", "//nav//a"),
    ("ul > li", "//ul/li"),
    ("form label, form input", "//form//label | //form//input"),
    ("A.btn#go", "//a[contains(concat(' ', normalize-space(@class), ' '), ' btn ')][@id='go']"),
  ])
  func cssSelectorsTranslate(selector: String, xpath: String) {
    #expect(CSSSelector.xpath(for: selector) == xpath)
  }

  @Test(arguments: ["a:hover", "", "> a", "a >", "a[", "a[href^=x]", "::before", "a ~ b", "[x='it's']"])
  func unsupportedSelectorsAreRefused(selector: String) {
    #expect(CSSSelector.xpath(for: selector) == nil)
  }

  @Test(arguments: [
    ("1.0.0", true), ("0.1.0", true), ("10.20.30", true), ("1.0.0-alpha.1", true), ("1.0.0+build.5", true),
    ("1.0", false), ("v1.0.0", false), ("01.0.0", false), ("1.0.0-", false), ("1.0.0-01", false), ("", false),
    ("1.0.0.0", false), ("1..0", false),
  ])
  func semanticVersions(version: String, valid: Bool) {
    #expect(SemanticVersion.isValid(version) == valid)
  }

  @Test func quantities() {
    #expect(Quantity.seconds("500ms") == 0.5)
    #expect(Quantity.seconds("10s") == 10)
    #expect(Quantity.seconds("2m") == 120)
    #expect(Quantity.seconds("soon") == nil)
    #expect(Quantity.bytes("256MiB") == 256 << 20)
    #expect(Quantity.bytes("16MB") == 16_000_000)
    #expect(Quantity.bytes("4096") == 4096)
    #expect(Quantity.bytes("-1") == nil)
    #expect(Quantity.isContainedRelativePath("tests/unit"))
    #expect(!Quantity.isContainedRelativePath("../tests"))
    #expect(!Quantity.isContainedRelativePath("a/../../b"))
    #expect(!Quantity.isContainedRelativePath("/etc"))
  }

  @Test func thresholds() {
    #expect(Threshold("75%") == .percent(75))
    #expect(Threshold("12") == .amount(12))
    #expect(Threshold("12.5%") == .percent(12.5))
    #expect(Threshold("-1") == nil)
    #expect(Threshold("lots") == nil)
  }
}
