import Foundation

/// Where the repository, its fixtures and the built `mastery` binary are.
public enum TestPaths {
  /// The repository root, found from this file's own path.
  public static let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// A path below the repository root.
  public static func repository(_ relative: String) -> String {
    (repositoryRoot as NSString).appendingPathComponent(relative)
  }

  /// A path below Tests/Fixtures.
  public static func fixture(_ relative: String) -> String {
    repository("Tests/Fixtures/" + relative)
  }

  /// The `mastery` binary: $MASTERY_BIN, or the one built beside the test bundle.
  public static var masteryBinary: String {
    if let explicit = ProcessInfo.processInfo.environment["MASTERY_BIN"] { return explicit }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = executable.deletingLastPathComponent()
    // The test bundle may be a folder (*.xctest) on some platforms.
    while folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
    return folder.appendingPathComponent("mastery").path
  }

  /// A new empty temporary folder.
  public static func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "mastery-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
