import MasteryKit
import MasteryTestSupport
import Testing

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
}
