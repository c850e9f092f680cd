import Foundation

/// Text an evaluator shows the candidate, without what belongs to the grading machine: absolute
/// paths of its folders (the rubric's, the working folder, the sandbox's `/box/...`) become the
/// paths the author wrote, and hints meant for developers running pytest themselves ("use -vv
/// to show") are left out.
struct CandidateText {
  /// Absolute folders whose prefix is removed, longest first.
  let folders: [String]

  init(folders: [String]) {
    self.folders =
      (folders.map { ($0 as NSString).standardizingPath }.filter { $0.count > 1 }
      + ["/box/sub", "/box/src", "/box/tests", "/box/engine", "/box/out"]).sorted { $0.count > $1.count }
  }

  /// pytest's advice to a developer at a terminal, which a candidate cannot act on.
  private static var hints: [Regex<Substring>] {
    [
      #/\s*\.{0,3}\s*\(?[Ff]ull output truncated \(\d+ lines? hidden\), use '?-vv'? to show\)?/#,
      #/\s*\(?[Uu]se '?-v{1,2}'? to (?:get (?:more|the full) diff|show)[^)\n]*\)?/#,
    ]
  }

  func clean(_ text: String) -> String {
    var text = text
    for folder in folders where text.contains(folder) {
      text = text.replacingOccurrences(of: folder + "/", with: "")
      text = text.replacingOccurrences(of: folder, with: ".")
    }
    for hint in Self.hints { text = text.replacing(hint, with: "") }
    return text
  }

  func clean(_ verdict: Verdict) -> Verdict {
    var verdict = verdict
    verdict.summary = verdict.summary.map(clean)
    verdict.message = verdict.message.map(clean)
    verdict.feedback = verdict.feedback.map(clean)
    if var tests = verdict.tests {
      for index in tests.tests.indices { tests.tests[index].message = tests.tests[index].message.map(clean) }
      verdict.tests = tests
    }
    return verdict
  }
}
