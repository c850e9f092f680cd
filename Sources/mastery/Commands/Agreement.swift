import ArgumentParser
import Foundation
import MasteryKit

struct Agreement: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Inter-rater reliability of the reviews in the ledger, per criterion and overall.",
    discussion: """
      For each reviewer criterion with reviews (items counts those reviewed at least twice; a "-" marks a figure \
      that needs more): exact and adjacent (within one level) \
      agreement over all pairs of reviews of an item, Cohen's quadratic-weighted kappa on the first two reviews \
      of each item, and Krippendorff's alpha (ordinal) over all reviews. Levels are positions on the rubric's \
      scale. Adjudications and superseded reviews are left out.
      """)

  @Option(help: "Only this credential.")
  var credential: String?

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    let store = try ledger.openForReading()
    let records = try Review.check { try store.currentReviews(credential: credential) }
    let catalog = try await RubricCatalog(folder: rubrics.rubrics, rubric: rubrics.rubric)
    // unit = one submission's reviews of one criterion; group by credential and criterion.
    var units: [String: [String: [Int]]] = [:]
    var scale: [String: Int] = [:]
    var skipped = 0
    for record in records {
      guard let rubric = catalog.rubric(id: record.submission.credential, version: record.rubricVersion),
        let position = rubric.levels.firstIndex(where: { $0.id == record.level })
      else {
        skipped += 1
        continue
      }
      let group = "\(record.submission.credential)\t\(record.criterion)"
      units[group, default: [:]][record.submission.description, default: []].append(position)
      scale[group] = rubric.levels.count
      scale[record.submission.credential] = rubric.levels.count
    }
    if units.isEmpty {
      Output.write("no reviews to compare\(credential.map { " for \($0)" } ?? "")\n")
      return
    }
    var rows: [[String]] = []
    var byCredential: [String: [[Int]]] = [:]
    for group in units.keys.sorted() {
      let parts = group.split(separator: "\t").map(String.init)
      let items = Array(units[group, default: [:]].values)
      byCredential[parts[0], default: []] += items
      rows.append(Self.row(parts[0], parts[1], AgreementStatistics(units: items, levels: scale[group] ?? 2)))
    }
    for credential in byCredential.keys.sorted() {
      rows.append(
        Self.row(
          credential, "(all criteria)",
          AgreementStatistics(units: byCredential[credential] ?? [], levels: scale[credential] ?? 2)))
    }
    let header = ["credential", "criterion", "items", "exact", "adjacent", "kappa (quadratic)", "alpha (ordinal)"]
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for line in [header] + rows {
      Output.write(
        zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
          .trimmingCharacters(in: .whitespaces) + "\n")
    }
    if skipped > 0 {
      Output.write("(\(skipped) reviews left out: their rubric version or level is not under \(rubrics.rubrics))\n")
    }
  }

  static func row(_ credential: String, _ criterion: String, _ statistics: AgreementStatistics) -> [String] {
    func percent(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
    func decimal(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
    return [
      credential, criterion, String(statistics.items), percent(statistics.exact), percent(statistics.adjacent),
      decimal(statistics.quadraticKappa), decimal(statistics.ordinalAlpha),
    ]
  }
}
