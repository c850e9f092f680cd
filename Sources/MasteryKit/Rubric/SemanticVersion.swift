/// Semantic Versioning 2.0.0 syntax: MAJOR.MINOR.PATCH[-pre.release][+build].
enum SemanticVersion {
  static func isValid(_ text: String) -> Bool {
    var rest = Substring(text)
    var build: Substring?
    if let plus = rest.firstIndex(of: "+") {
      build = rest[rest.index(after: plus)...]
      rest = rest[..<plus]
    }
    var prerelease: Substring?
    if let dash = rest.firstIndex(of: "-") {
      prerelease = rest[rest.index(after: dash)...]
      rest = rest[..<dash]
    }
    let core = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard core.count == 3, core.allSatisfy(isNumeric) else { return false }
    if let prerelease {
      let parts = prerelease.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.allSatisfy({ isIdentifier($0) && (!$0.allSatisfy(\.isASCIIDigit) || isNumeric($0)) }) else {
        return false
      }
    }
    if let build {
      guard build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) else { return false }
    }
    return true
  }

  /// True when `lhs` has lower precedence than `rhs` (MAJOR.MINOR.PATCH
  /// compared as numbers; a pre-release sorts before its release).
  static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    func parts(_ version: String) -> ([Int], Bool) {
      let core = version.split(separator: "+").first.map(String.init) ?? version
      let release = core.split(separator: "-", maxSplits: 1)
      let numbers = (release.first ?? "").split(separator: ".").map { Int($0) ?? 0 }
      return (numbers, release.count == 1)
    }
    let (left, leftRelease) = parts(lhs)
    let (right, rightRelease) = parts(rhs)
    if left != right { return left.lexicographicallyPrecedes(right) }
    return !leftRelease && rightRelease
  }

  /// Digits without a leading zero (except "0" itself).
  private static func isNumeric(_ part: Substring) -> Bool {
    !part.isEmpty && part.allSatisfy(\.isASCIIDigit) && (part == "0" || part.first != "0")
  }

  private static func isIdentifier(_ part: Substring) -> Bool {
    !part.isEmpty && part.allSatisfy { $0.isASCIIDigit || ($0.isASCII && $0.isLetter) || $0 == "-" }
  }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
