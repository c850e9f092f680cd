/// The engine's version, reported by `mastery --version` and in every output.
public enum MasteryVersion {
  public static let current = "0.1.0"
}
