import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("Text analysis")
struct TextAnalysisTests {
  @Test(arguments: [
    ("", 0),
    ("One two three.", 3),
    ("## Heading words\nBody has four words.", 4),
    ("- item one\n- item two\n\n---\n", 4),
    ("It's 2026: grades, re-tests & A+ work!", 6),
    ("Setext heading\n==============\nthree words here", 3),
  ])
  func countsWords(text: String, words: Int) {
    #expect(TextAnalysis(text).wordCount == words)
  }

  @Test func findsSectionsByHeading() {
    let text = """
      # What I Tested!
      Empty lists and zeros.

      **Next Steps**

      ## Impact on Students, Week 2
      Here is what they did:
      They used it daily.
      """
    let analysis = TextAnalysis(text)
    #expect(analysis.section(headed: "What I tested") == .answered)
    #expect(analysis.section(headed: "Next steps") == .empty)
    #expect(analysis.section(headed: "Impact on students") == .answered)
    #expect(analysis.wordCount == 13)
    #expect(analysis.section(headed: "Reflection") == .absent)
    #expect(analysis.mentions("zeros"))
    #expect(analysis.mentions("EMPTY LISTS"))
    #expect(!analysis.mentions("zero"))
  }
}

@Suite("Reviewer evaluator")
struct ReviewerEvaluatorTests {
  typealias Row = PolicyHarness.Row

  func grade(reviews: [String], configuration: String) async throws -> CriterionResult {
    let rubric = PolicyHarness.rubric([Row(weight: 1, level: nil)], mastery: "")
      .replacingOccurrences(
        of: #"<evaluator kind="reviewer"/>"#, with: "<evaluator kind=\"reviewer\" \(configuration)/>")
    let path = try RubricFactory.write(rubric)
    let load = try RubricLoader().load(path)
    let model = try #require(load.rubric, "\(load.findings)")
    let location = Location(file: "submission.xml", line: 1, column: 1)
    let submission = Submission(
      folder: (path as NSString).deletingLastPathComponent, manifestPath: "submission.xml",
      candidate: .init(id: "t1", name: nil, email: nil), credential: "policy", version: "1.0.0", attempt: 1,
      submitted: "", answers: [], affirmations: [], location: location, credentialLocation: location,
      versionLocation: location)
    let saved = reviews.enumerated().map {
      Review(reviewer: "r\($0)", criterion: "c0", level: $1, feedback: "note \($0)")
    }
    let grader = Grader(context: EvaluationContext(reviews: InMemoryReviews(["t1": saved])), jobs: 1)
    let decision = await grader.grade(submission, rubric: model, rubricSHA256: "", evidence: [], manifestSHA256: "")
    return try #require(decision.criteria.first)
  }

  @Test func waitsForEnoughReviews() async throws {
    let result = try await grade(reviews: ["proficient"], configuration: #"reviewers="2""#)
    #expect(result.status == .pending)
    #expect(result.message == "waiting for 2 reviews (1 of 2 in)")
  }

  @Test func waitsForAdjudicationWhenReviewersDisagree() async throws {
    let result = try await grade(
      reviews: ["developing", "exemplary"], configuration: #"reviewers="2" max-disagreement="1""#)
    #expect(result.status == .pending)
    #expect(
      result.message
        == "needs adjudication: reviewers gave Developing and Exemplary, 2 levels apart (at most 1 allowed)")
  }

  @Test(arguments: [
    ("median", ["developing", "proficient"], "developing"),
    ("median", ["developing", "proficient", "proficient"], "proficient"),
    ("lowest", ["proficient", "exemplary", "proficient"], "proficient"),
    ("mean-floor", ["developing", "proficient", "proficient"], "developing"),
    ("mean-floor", ["proficient", "exemplary", "exemplary"], "proficient"),
  ])
  func combinesAgreeingReviews(combine: String, levels: [String], expected: String) async throws {
    let result = try await grade(
      reviews: levels, configuration: "reviewers=\"\(levels.count)\" max-disagreement=\"1\" combine=\"\(combine)\"")
    #expect(result.status == .scored)
    #expect(result.level == expected)
    #expect(result.feedback.count == levels.count)
  }
}
