import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("What candidates see of a Python run")
struct CandidateTextTests {
  @Test(
    "Paths of the grading machine and pytest's hints for developers are left out",
    arguments: [
      (
        "the tests folder /srv/pd/rubrics/python/tests defines no test functions",
        "the tests folder tests defines no test functions"
      ),
      ("/box/sub/solution.py:3: in add", "solution.py:3: in add"),
      (
        "AssertionError: assert [1, 2] == [1, 3]\n  ...Full output truncated (3 lines hidden), use '-vv' to show",
        "AssertionError: assert [1, 2] == [1, 3]"
      ),
      ("assert 'abc' == 'abd' Use -v to get more diff", "assert 'abc' == 'abd'"),
      ("nothing to change", "nothing to change"),
    ])
  func cleaned(raw: String, shown: String) {
    let text = CandidateText(folders: ["/srv/pd/rubrics/python", "/home/ci/work"])
    #expect(text.clean(raw) == shown)
  }

  @Test func aGraderErrorNamesTheTestsFolderAsTheRubricDoes() throws {
    let folder = try TestPaths.temporaryFolder()
    try FileManager.default.copyItem(atPath: TestPaths.fixture("hostile-python/rubrics"), toPath: folder + "/rubrics")
    let tests = folder + "/rubrics/sandbox-check/tests"
    for name in try FileManager.default.contentsOfDirectory(atPath: tests) {
      try FileManager.default.removeItem(atPath: tests + "/" + name)
    }
    try "x = 1\n".write(toFile: tests + "/test_nothing.py", atomically: true, encoding: .utf8)
    let result = try CommandRunner.mastery([
      "grade", "--format", "html", "--rubrics", folder + "/rubrics", TestPaths.fixture("hostile-python/passes/plain"),
    ])
    #expect(result.status == 4)
    #expect(result.stdout.contains("pytest collects no tests in tests ("), "\(result.stdout)")
    #expect(!result.stdout.contains(folder), "no path of the grading machine on the candidate's page")
  }
}
