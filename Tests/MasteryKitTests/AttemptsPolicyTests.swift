import MasteryTestSupport
import Testing

@testable import MasteryKit

/// Each attempts policy, on scores worked out by hand (levels scored 0 to 3).
@Suite("Attempts policies across attempts")
struct AttemptsPolicyTests {
  func policy(_ rule: AttemptsPolicy.Rule, n: Int? = nil, decay: Double? = nil) -> AttemptsPolicy {
    AttemptsPolicy(rule: rule, maximum: nil, count: n, decay: decay, location: nil)
  }

  @Test(arguments: [
    // (rule, scores oldest first, expected)
    (AttemptsPolicy.Rule.latest, [1.0, 3, 2], 2.0),
    (.latest, [3], 3),
    (.highest, [1, 3, 2], 3),
    (.highest, [2, 2], 2),  // a tie: the same level either way
    (.highest, [0], 0),
    (.average, [1, 2], 1.5),
    (.average, [1, 2, 3], 2),
    (.average, [2], 2),
  ])
  func simplePolicies(rule: AttemptsPolicy.Rule, scores: [Double], expected: Double) throws {
    let combined = try #require(policy(rule).combine(scores))
    #expect(abs(combined - expected) < 1e-9)
  }

  @Test func decayingAverageWeighsEachNewerAttemptAgainstTheRunningAverage() throws {
    let decaying = policy(.decayingAverage, decay: 0.65)
    // d1 = 1; d2 = 0.65·2 + 0.35·1 = 1.65; d3 = 0.65·3 + 0.35·1.65 = 2.5275.
    #expect(abs(try #require(decaying.combine([1, 2, 3])) - 2.5275) < 1e-9)
    // 0.65·1 + 0.35·3 = 1.7: a worse newest attempt pulls the result down, not to its own level.
    #expect(abs(try #require(decaying.combine([3, 1])) - 1.7) < 1e-9)
    #expect(decaying.combine([2]) == 2)
  }

  @Test func nMasteryCountsALevelOnceItIsReachedNTimes() {
    let twice = policy(.nMastery, n: 2)
    #expect(twice.combine([2, 1, 2]) == 2, "reached 2 twice")
    #expect(twice.combine([3, 1, 2]) == 2, "3 once and 2 (or more) twice: 2")
    #expect(twice.combine([3]) == nil, "a single attempt cannot count twice")
    #expect(policy(.nMastery, n: 1).combine([1, 3]) == 3)
  }

  @Test func noScoresNoResult() {
    for rule in AttemptsPolicy.Rule.allCases { #expect(policy(rule, n: 1, decay: 0.5).combine([]) == nil) }
  }

  @Test func aCriterionsDefinitionIgnoresWordingButNotWhatDecides() throws {
    func definition(_ criterion: String, levels: String = #"<level id="a" score="0">A</level><level id="b" score="1">B</level>"#) throws -> String {
      let xml = """
        <microcredential xmlns="urn:mastery:rubric:1" id="x" version="1.0.0">
          <title>X</title><issuer name="I"/><competency>C</competency>
          <levels>\(levels)</levels>
          <evidence><item id="r" kind="text" path="r.md">R</item></evidence>
          <criteria>\(criterion)</criteria>
          <mastery><every-criterion at-least="b"/></mastery>
        </microcredential>
        """
      let path = try RubricFactory.write(xml)
      let load = try RubricLoader().load(path)
      return try #require(load.rubric?.criteria.first?.definition)
    }
    let base = try definition(
      #"<criterion id="c" evidence="r"><title>One</title><evaluator kind="text"><prompt id="p"/><level-at met="100%" level="b"/></evaluator></criterion>"#
    )
    let reworded = try definition(
      #"<criterion id="c" evidence="r"><title>Another title</title><descriptor level="b">Wording.</descriptor><evaluator  kind="text" ><prompt id="p"/>  <level-at level="b" met="100%"/></evaluator></criterion>"#
    )
    let stricter = try definition(
      #"<criterion id="c" evidence="r"><title>One</title><evaluator kind="text" min-words="10"><prompt id="p"/><level-at met="100%" level="b"/></evaluator></criterion>"#
    )
    let reweighted = try definition(
      #"<criterion id="c" evidence="r" weight="2"><title>One</title><evaluator kind="text"><prompt id="p"/><level-at met="100%" level="b"/></evaluator></criterion>"#
    )
    let relevelled = try definition(
      #"<criterion id="c" evidence="r"><title>One</title><evaluator kind="text"><prompt id="p"/><level-at met="100%" level="b"/></evaluator></criterion>"#,
      levels: #"<level id="a" score="0">A</level><level id="b" score="2">B</level>"#)
    #expect(base == reworded)
    #expect(Set([base, stricter, reweighted, relevelled]).count == 4)
  }
}
