import Foundation
import MasteryTestSupport
import Testing

@Suite("The repository stands alone")
struct RepositoryTests {
  @Test func conformanceSchemasAreFoundThroughTheEnvironmentOrSkippedWithAReason() throws {
    let folder = try TestPaths.temporaryFolder()
    let empty = ["MASTERY_CONFORMANCE_SCHEMAS": folder]
    #expect(!ConformanceSchemas.has(ConformanceSchemas.junit, environment: empty))
    try "<xs:schema/>".write(
      toFile: folder + "/" + ConformanceSchemas.junit, atomically: true, encoding: .utf8)
    #expect(ConformanceSchemas.has(ConformanceSchemas.junit, environment: empty))
    #expect(ConformanceSchemas.path(ConformanceSchemas.sarif, environment: empty) == folder + "/sarif-schema-2.1.0.json")
    let reason = ConformanceSchemas.missing(ConformanceSchemas.sarif)
    #expect(reason.contains("sarif-schema-2.1.0.json") && reason.contains("MASTERY_CONFORMANCE_SCHEMAS"))
  }

  /// Only ConformanceSchemas may look outside the repository: a fresh clone has nothing beside it.
  @Test func nothingElseReadsOutsideTheRepository() throws {
    let manager = FileManager.default
    var offenders: [String] = []
    // The folder beside the repository that holds the schemas ("../" and its first component).
    let sibling = "../" + ConformanceSchemas.besideRepository.dropFirst(3).prefix { $0 != "/" }
    for top in ["Tests", "scripts", "Benchmarks", "Makefile", ".ci"] {
      let root = TestPaths.repository(top)
      var files = [root]
      if let enumerator = manager.enumerator(atPath: root) {
        files = enumerator.compactMap { $0 as? String }.map { root + "/" + $0 }
      }
      for file in files where !file.contains("/Fixtures/") && !file.hasSuffix("ConformanceSchemas.swift") {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
        if text.contains(sibling) {
          offenders.append(file)
        }
      }
    }
    #expect(offenders.isEmpty, "read outside the repository: \(offenders)")
  }
}
