/// How far reviewers agree on ordinal levels: exact and adjacent agreement,
/// Cohen's quadratic-weighted kappa (two ratings per item) and Krippendorff's
/// alpha (any number of ratings per item, missing ones allowed).
///
/// Levels are positions on the rubric's scale: 0 for the lowest, 1 for the next.
public struct AgreementStatistics: Sendable, Hashable {
  /// Items rated at least twice.
  public var items: Int
  /// Share of pairs of ratings of one item that are equal.
  public var exact: Double?
  /// Share of pairs of ratings of one item at most one level apart.
  public var adjacent: Double?
  /// Cohen's kappa with quadratic weights on the first two ratings of each item.
  public var quadraticKappa: Double?
  /// Krippendorff's alpha with the ordinal metric.
  public var ordinalAlpha: Double?

  /// The statistics of `units`: each item's ratings (positions on a scale of `levels` values).
  public init(units: [[Int]], levels: Int) {
    let rated = units.filter { $0.count >= 2 }
    items = rated.count
    var pairs = 0
    var equal = 0
    var near = 0
    for ratings in rated {
      for first in 0..<ratings.count {
        for second in (first + 1)..<ratings.count {
          pairs += 1
          let gap = abs(ratings[first] - ratings[second])
          if gap == 0 { equal += 1 }
          if gap <= 1 { near += 1 }
        }
      }
    }
    exact = pairs > 0 ? Double(equal) / Double(pairs) : nil
    adjacent = pairs > 0 ? Double(near) / Double(pairs) : nil
    quadraticKappa = Self.quadraticKappa(rated.map { ($0[0], $0[1]) }, categories: levels)
    ordinalAlpha = Self.krippendorffAlpha(units, metric: .ordinal)
  }

  /// Cohen's weighted kappa with quadratic weights.
  ///
  /// Weights (i − j)² / (k − 1)²; kappa = 1 − Σ w·observed / Σ w·expected, expected from the two
  /// raters' marginals.
  /// Nil when it is undefined (fewer than two categories, or no expected disagreement).
  public static func quadraticKappa(_ pairs: [(Int, Int)], categories: Int) -> Double? {
    guard categories >= 2, !pairs.isEmpty else { return nil }
    var observed = [[Double]](repeating: [Double](repeating: 0, count: categories), count: categories)
    var first = [Double](repeating: 0, count: categories)
    var second = [Double](repeating: 0, count: categories)
    for (a, b) in pairs {
      guard (0..<categories).contains(a), (0..<categories).contains(b) else { return nil }
      observed[a][b] += 1
      first[a] += 1
      second[b] += 1
    }
    let n = Double(pairs.count)
    var disagreement = 0.0
    var chance = 0.0
    for i in 0..<categories {
      for j in 0..<categories {
        let weight = Double((i - j) * (i - j)) / Double((categories - 1) * (categories - 1))
        disagreement += weight * observed[i][j]
        chance += weight * first[i] * second[j] / n
      }
    }
    return chance > 0 ? 1 - disagreement / chance : nil
  }

  public enum Metric: Sendable {
    case nominal, ordinal, interval
  }

  /// Krippendorff's alpha.
  ///
  /// 1 − D_o / D_e, from the coincidence matrix of the values paired within units (units with one
  /// value are left out).
  /// Nil when there is no expected disagreement (one value only).
  public static func krippendorffAlpha(_ units: [[Int]], metric: Metric) -> Double? {
    let values = Array(Set(units.flatMap { $0 })).sorted()
    guard values.count >= 2 else { return nil }
    let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
    var coincidence = [[Double]](repeating: [Double](repeating: 0, count: values.count), count: values.count)
    for unit in units where unit.count >= 2 {
      let share = 1 / Double(unit.count - 1)
      for first in unit.indices {
        for second in unit.indices where second != first {
          if let c = index[unit[first]], let k = index[unit[second]] { coincidence[c][k] += share }
        }
      }
    }
    let totals = coincidence.map { $0.reduce(0, +) }
    let n = totals.reduce(0, +)
    guard n > 1 else { return nil }
    func distance(_ c: Int, _ k: Int) -> Double {
      switch metric {
      case .nominal:
        return c == k ? 0 : 1
      case .interval:
        let gap = Double(values[c] - values[k])
        return gap * gap
      case .ordinal:
        let low = min(c, k)
        let high = max(c, k)
        let between = totals[low...high].reduce(0, +) - (totals[c] + totals[k]) / 2
        return between * between
      }
    }
    var observed = 0.0
    var expected = 0.0
    for c in values.indices {
      for k in values.indices {
        let delta = distance(c, k)
        observed += coincidence[c][k] * delta
        expected += totals[c] * totals[k] * delta
      }
    }
    expected /= n - 1
    return expected > 0 ? 1 - observed / expected : nil
  }
}
