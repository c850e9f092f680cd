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
