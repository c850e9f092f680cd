/// Parsing of the quantities rubrics write: durations, sizes, relative paths.
enum Quantity {
  /// Seconds in `500ms`, `10s`, `2m`, `1h` (a bare number is seconds).
  static func seconds(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    return scaled(text, units: units)
  }

  /// Bytes in `512KiB`, `256MiB`, `1GiB`, `16MB`, `100kB`, `4096` (binary and decimal units).
  static func bytes(_ text: String) -> Int? {
    let units: [(String, Double)] = [
      ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("kB", 1000), ("KB", 1000), ("MB", 1_000_000),
      ("GB", 1_000_000_000), ("B", 1),
    ]
    guard let value = scaled(text, units: units), value < Double(Int.max) else { return nil }
    return Int(value)
  }

  private static func scaled(_ text: String, units: [(String, Double)]) -> Double? {
    let trimmed = text.trimmingWhitespace
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      guard let value = Double(trimmed.dropLast(suffix.count).trimmingWhitespace), value.isFinite, value >= 0
      else { return nil }
      return value * factor
    }
    guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
    return value
  }

  /// True for a non-empty relative path with no `..` component.
  /// "512 MiB", "64 KiB" or "100 bytes": a size as a person reads it.
  static func describe(bytes: Int) -> String {
    if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
    if bytes >= 1 << 20 { return "\((Double(bytes) / 1_048_576).compact(places: 1)) MiB" }
    if bytes >= 1 << 10 { return "\((Double(bytes) / 1024).compact(places: 1)) KiB" }
    return "\(bytes) bytes"
  }

  static func isContainedRelativePath(_ path: String) -> Bool {
    let trimmed = path.trimmingWhitespace
    guard !trimmed.isEmpty, !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~"), !trimmed.contains("\\") else {
      return false
    }
    return !trimmed.split(separator: "/").contains("..")
  }
}
