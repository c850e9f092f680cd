/// From a share or count of something (tests passed, checks affirmed) to a level.
///
/// Written as `<level-at passed="80%" level="proficient"/>` steps, highest
/// first. Below every step the criterion gets the lowest level.
public struct LevelMapping: Sendable, Hashable {
  public struct Step: Sendable, Hashable {
    public var threshold: Threshold
    public var level: String
    public var location: Location
  }

  /// The attribute that holds the threshold (`passed`, `affirmed`, `met`).
  public var attribute: String
  public var steps: [Step]
  /// The level given below every step.
  public var floor: String

  /// The level for `count` of `total` (tests passed, checks met).
  ///
  /// The first step whose threshold is reached, or the floor. A percentage is compared as `count ×
  /// 100 ≥ threshold × total`, so exactly the threshold reaches it.
  public func level(count: Double, of total: Double) -> String {
    for step in steps {
      switch step.threshold {
      case .percent(let percent):
        let reached = total > 0 ? count * 100 >= percent * total - 1e-9 : percent <= 0
        if reached { return step.level }
      case .amount(let amount):
        if count >= amount - 1e-9 { return step.level }
      }
    }
    return floor
  }

  /// The levels this mapping can give.
  public var reachableLevels: Set<String> { Set(steps.map(\.level) + [floor]) }

  /// "at least 80% passed: Proficient"-style lines for `explain`.
  public func explanation(levels: [Level], noun: String) -> [String] {
    steps.map { step in
      let label = levels.first { $0.id == step.level }?.label ?? step.level
      switch step.threshold {
      case .percent(let value) where value >= 100: return "\(label) when all the \(noun)"
      case .percent: return "\(label) when at least \(step.threshold) of the \(noun)"
      case .amount(let count): return "\(label) when at least \(count.compact) of the \(noun)"
      }
    }
  }
}
