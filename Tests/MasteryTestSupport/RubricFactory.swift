import Foundation

/// Writes small rubrics into a temporary folder for tests, around one
/// `<evaluator>` element, with `tests/` and an executable `bin/grader` beside them.
public enum RubricFactory {
  public static func rubric(evaluator: String, mastery: String = #"<every-criterion at-least="developing"/>"#) -> String
  {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <microcredential xmlns="urn:mastery:rubric:1" id="example" version="1.0.0">
      <title>Example</title>
      <issuer name="Example PD"/>
      <competency>Does the thing.</competency>
      <levels>
        <level id="not-yet" score="0">Not yet</level>
        <level id="developing" score="1">Developing</level>
        <level id="proficient" score="2">Proficient</level>
      </levels>
      <evidence>
        <item id="work" kind="folder" path="work">The work</item>
      </evidence>
      <criteria>
        <criterion id="quality" evidence="work">
          <title>Quality</title>
    \(evaluator)
        </criterion>
      </criteria>
      <mastery>
        \(mastery)
      </mastery>
    </microcredential>
    """
  }

  /// Writes `text` as rubric.xml in a new folder prepared as described above; returns its path.
  public static func write(_ text: String) throws -> String {
    let folder = try TestPaths.temporaryFolder()
    let manager = FileManager.default
    try manager.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
    try manager.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
    manager.createFile(
      atPath: folder + "/bin/grader", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
    let path = folder + "/rubric.xml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
