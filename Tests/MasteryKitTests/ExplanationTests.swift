import MasteryTestSupport
import Testing

@testable import MasteryKit

@Suite("Explaining rubrics")
struct ExplanationTests {
  @Test func policyReadsAsASentence() throws {
    let rubric = try #require(
      try RubricLoader().load(TestPaths.repository("rubrics/python-foundations/rubric.xml")).rubric)
    let explanation = RubricExplanation(rubric: rubric)
    #expect(
      explanation.policySentence
        == "You earn this when every criterion is at least Developing, Program correctness is at least Proficient, and your weighted total is at least 70% of the 18 points."
    )
    #expect(explanation.attemptsSentence == "You may submit up to 3 times; your latest attempt counts.")
  }

  @Test func markdownHasADescriptorTablePerCriterion() throws {
    let rubric = try #require(
      try RubricLoader().load(TestPaths.repository("rubrics/formative-assessment/rubric.xml")).rubric)
    let markdown = RubricExplanation(rubric: rubric).render(.markdown)
    #expect(markdown.hasPrefix("# \(rubric.title)\n"))
    #expect(markdown.components(separatedBy: "| Level | What it looks like |").count - 1 == rubric.criteria.count)
    #expect(markdown.contains("## How you earn it"))
  }

  /// Issue 12: "evidence: code" named the rubric's internal id; a teacher needs what to submit and where.
  @Test func criteriaNameTheirEvidenceByDescriptionAndPathNotById() throws {
    let rubric = try #require(
      try RubricLoader().load(TestPaths.repository("rubrics/python-foundations/rubric.xml")).rubric)
    let text = RubricExplanation(rubric: rubric).render(.text)
    #expect(!text.contains("evidence: code"))
    #expect(text.contains("1. Program correctness (weight 3); judged from: Your program (code)\n"))
    #expect(
      text.contains(
        "2. Design for classroom use (weight 2); judged from: Overview questions, answered in writing (overview.md); Your program (code)\n"
      ))
    let markdown = RubricExplanation(rubric: rubric).render(.markdown)
    #expect(!markdown.contains("evidence: `code`"))
    #expect(
      markdown.contains(
        "Weight 1; judged from: A reflection on writing the program and using it with students or colleagues (`reflection.md`)."
      ))
  }

  @Test(arguments: [
    ("Your program: a folder containing grades.py.", "Your program"),
    ("A reflection on teaching the lesson. Keep it short.", "A reflection on teaching the lesson"),
    ("The pages (e.g. index.html) of your site.", "The pages (e.g. index.html) of your site"),
    ("", ""),
  ])
  func shortNameIsTheFirstClause(description: String, name: String) {
    #expect(RubricExplanation.shortName(description) == name)
  }

  /// Issue 12: the word limits grading counts as a check were missing where the text criterion took
  /// them from its evidence item.
  @Test func textCriteriaShowTheWordLimitsTheyCheck() throws {
    let rubric = try #require(
      try RubricLoader().load(TestPaths.repository("rubrics/python-foundations/rubric.xml")).rubric)
    let text = RubricExplanation(rubric: rubric).render(.text)
    #expect(text.contains("     Write between 250 and 600 words; the word limits count as one check.\n"))
    let markdown = RubricExplanation(rubric: rubric).render(.markdown)
    #expect(markdown.contains("- Write between 250 and 600 words; the word limits count as one check.\n"))
  }

  @Test func theEvaluatorsOwnLimitOutranksTheEvidenceItems() throws {
    let path = try RubricFactory.write(
      RubricFactory.rubric(
        evaluator: #"""
              <evaluator kind="text" max-words="300">
                <level-at met="100%" level="proficient"/>
              </evaluator>
          """#
      ).replacingOccurrences(
        of: #"<item id="work" kind="folder" path="work">The work</item>"#,
        with: #"<item id="work" kind="text" path="work.md" min-words="50" max-words="900">Your answer</item>"#))
    let rubric = try #require(try RubricLoader().load(path).rubric)
    #expect(RubricExplanation(rubric: rubric).render(.text).contains("     Write between 50 and 300 words.\n"))
  }
}
