import Foundation

/// Writes submission folders for tests.
///
/// A manifest and files, in a new temporary folder. Returns the submission folder.
public enum SubmissionFactory {
  public static func manifest(
    credential: String = "digital-literacy", version: String = "1.0.0", candidate: String = "t-0001",
    evidence: String = "", checklists: String = ""
  ) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <submission xmlns="urn:mastery:submission:1" credential="\(credential)" version="\(version)" attempt="1">
      <candidate id="\(candidate)" name="Test Teacher"/>
      <submitted>2026-11-20T10:00:00Z</submitted>
    \(evidence.isEmpty ? "" : "  <evidence>\n\(evidence)\n  </evidence>")
    \(checklists)
    </submission>
    """
  }

  /// A folder with `submission.xml` (the manifest given) and `files` (relative path → content).
  public static func write(manifest: String, files: [String: String] = [:]) throws -> String {
    let folder = try TestPaths.temporaryFolder() + "/submission"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try manifest.write(toFile: folder + "/submission.xml", atomically: true, encoding: .utf8)
    for (path, content) in files {
      let full = folder + "/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try content.write(toFile: full, atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// A reflection with the four headings of the digital-literacy rubric and `words` words under each.
  public static func reflection(wordsPerSection words: Int = 70) -> String {
    let body = (0..<words).map { "word\($0 % 17)" }.joined(separator: " ")
    return ["The Lesson", "What Students Did", "Evidence of Impact", "Next Steps"]
      .map { "## \($0)\n\n\(body)\n" }.joined(separator: "\n")
  }
}
