import Testing

@testable import MasteryKit

@Suite("Inter-rater agreement")
struct AgreementStatisticsTests {
  /// The worked example of Krippendorff (2011).
  ///
  /// Krippendorff, K. (2011). "Computing Krippendorff's
  /// Alpha-Reliability", University of Pennsylvania (Annenberg School) working
  /// paper: four observers, twelve units, values 1-5 with missing data.
  /// Published results: nominal alpha 0.743, ordinal 0.815, interval 0.849.
  static let krippendorff2011: [[Int]] = {
    let observers: [[Int?]] = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
      [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]
    return (0..<12).map { unit in observers.compactMap { $0[unit] } }
  }()

  @Test(arguments: [
    (AgreementStatistics.Metric.nominal, 0.743), (.ordinal, 0.815), (.interval, 0.849),
  ])
  func krippendorffAlphaMatchesThePublishedExample(metric: AgreementStatistics.Metric, published: Double) throws {
    let alpha = try #require(AgreementStatistics.krippendorffAlpha(Self.krippendorff2011, metric: metric))
    #expect(abs(alpha - published) < 0.0005, "\(alpha)")
  }

  /// The examples of Maple's EssayTools[QuadraticWeightedKappa] documentation
  /// (scores 1-10, categories from the data's minimum to maximum):
  /// 0.758620689655172 and 0.438095238095238.
  @Test(arguments: [
    ([9, 7, 8, 7, 6, 8, 3, 5, 10], [8, 8, 6, 6, 7, 6, 1, 4, 8], 0.758620689655172),
    ([9, 7, 8, 7, 6, 8, 3, 5, 10], [3, 5, 6, 6, 7, 6, 1, 4, 8], 0.438095238095238),
  ])
  func quadraticKappaMatchesThePublishedExamples(first: [Int], second: [Int], published: Double) throws {
    // Both series span 1-10, so positions are score - 1 on 10 categories.
    let kappa = try #require(
      AgreementStatistics.quadraticKappa(Array(zip(first.map { $0 - 1 }, second.map { $0 - 1 })), categories: 10))
    #expect(abs(kappa - published) < 1e-9, "\(kappa)")
  }

  @Test func exactAndAdjacentAgreement() {
    let statistics = AgreementStatistics(units: [[2, 2], [1, 2], [0, 3], [2], [1, 1, 2]], levels: 4)
    #expect(statistics.items == 4)
    // Pairs: (2,2) (1,2) (0,3) (1,1) (1,2) (1,2): 2 equal, 5 within one level, of 6.
    #expect(statistics.exact == 2.0 / 6.0)
    #expect(statistics.adjacent == 5.0 / 6.0)
  }

  @Test func undefinedStatisticsAreNil() {
    let statistics = AgreementStatistics(units: [[2, 2], [2, 2]], levels: 4)
    #expect(statistics.exact == 1)
    #expect(statistics.quadraticKappa == nil)
    #expect(statistics.ordinalAlpha == nil)
    #expect(AgreementStatistics(units: [], levels: 4).exact == nil)
  }
}
