import Foundation
import MasteryTestSupport
import Testing

@testable import MasteryKit

/// Grades a rubric of reviewer criteria whose levels the test chooses
/// (through in-memory reviews), so every mastery-policy rule can be driven
/// end to end through the Grader.
struct PolicyHarness {
  /// One criterion: its weight and the level its review gives (nil: no review yet, so pending).
  struct Row {
    var weight: Double
    var level: String?
  }

  static func rubric(_ rows: [Row], mastery: String) -> String {
    let criteria = rows.enumerated().map { index, row in
      """
          <criterion id="c\(index)" weight="\(row.weight.compact)" evidence="work">
            <title>Criterion \(index)</title>
            <descriptor level="proficient">Proficient work on \(index).</descriptor>
            <descriptor level="exemplary">Exemplary work on \(index).</descriptor>
            <evaluator kind="reviewer"/>
          </criterion>
      """
    }.joined(separator: "\n")
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <microcredential xmlns="urn:mastery:rubric:1" id="policy" version="1.0.0">
        <title>Policy</title>
        <issuer name="Test"/>
        <competency>Tests the policy.</competency>
        <levels>
          <level id="not-yet" score="0">Not yet</level>
          <level id="developing" score="1">Developing</level>
          <level id="proficient" score="2">Proficient</level>
          <level id="exemplary" score="3">Exemplary</level>
        </levels>
        <evidence>
          <item id="work" kind="text" path="work.md" required="false">Work</item>
        </evidence>
        <criteria>
      \(criteria)
        </criteria>
        <mastery>
          \(mastery)
        </mastery>
      </microcredential>
      """
  }

  static func decide(_ rows: [Row], mastery: String) async throws -> Decision {
    let path = try RubricFactory.write(rubric(rows, mastery: mastery))
    let load = try RubricLoader().load(path)
    let rubric = try #require(load.rubric, "\(load.findings)")
    let location = Location(file: "submission.xml", line: 1, column: 1)
    let submission = Submission(
      folder: (path as NSString).deletingLastPathComponent, manifestPath: "submission.xml",
      candidate: .init(id: "t1", name: nil, email: nil), credential: "policy", version: "1.0.0", attempt: 1,
      submitted: "2026-11-20T00:00:00Z", answers: [], affirmations: [], location: location,
      credentialLocation: location, versionLocation: location)
    let reviews = rows.enumerated().compactMap { index, row in
      row.level.map { Review(reviewer: "r1", criterion: "c\(index)", level: $0) }
    }
    let grader = Grader(context: EvaluationContext(reviews: InMemoryReviews(["t1": reviews])), jobs: 2)
    let (evidence, _) = EvidenceResolver().resolve(submission, rubric: rubric)
    return await grader.grade(
      submission, rubric: rubric, rubricSHA256: load.sha256 ?? "", evidence: evidence, manifestSHA256: "")
  }
}

@Suite("The mastery policy")
struct PolicyEvaluationTests {
  typealias Row = PolicyHarness.Row

  @Test func everyCriterionMetEarns() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "proficient"), Row(weight: 2, level: "exemplary")],
      mastery: #"<every-criterion at-least="proficient"/>"#)
    #expect(decision.outcome == .earned)
    #expect(decision.reasons == ["earned: every criterion is at least Proficient"])
    #expect(decision.total.points == 8)
    #expect(decision.total.maximum == 9)
  }

  @Test func oneCriterionBelowIsNotYetWithReasonInWords() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: "exemplary")],
      mastery: #"<every-criterion at-least="proficient"/>"#)
    #expect(decision.outcome == .notYet)
    #expect(decision.reasons == ["not yet: Criterion 0 is Developing; this credential needs Proficient"])
    let first = try #require(decision.criteria.first)
    #expect(first.meetsRequirement == false)
    #expect(first.nextLevel?.label == "Proficient")
    #expect(first.nextLevel?.descriptor == "Proficient work on 0.")
  }

  @Test func gateIsStricterThanEveryCriterion() async throws {
    let mastery = #"<every-criterion at-least="developing"/><criterion ref="c1" at-least="exemplary"/>"#
    let failing = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: "proficient")], mastery: mastery)
    #expect(failing.outcome == .notYet)
    #expect(failing.reasons == ["not yet: Criterion 1 is Proficient; this credential needs Exemplary"])
    let passing = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: "exemplary")], mastery: mastery)
    #expect(passing.outcome == .earned)
  }

  @Test(
    "A total exactly at the threshold earns; just below does not",
    arguments: [
      // 6 of 12 points: 50%.
      (
        [
          Row(weight: 1, level: "exemplary"), Row(weight: 1, level: "exemplary"), Row(weight: 2, level: "not-yet"),
          Row(weight: 0, level: "not-yet"),
        ], Decision.Outcome.notYet
      ),
      // 9 of 12 points: exactly 75%.
      (
        [Row(weight: 2, level: "exemplary"), Row(weight: 1, level: "exemplary"), Row(weight: 1, level: "not-yet")],
        .earned
      ),
      // 8 of 12 points: 66.7%.
      (
        [Row(weight: 2, level: "exemplary"), Row(weight: 1, level: "proficient"), Row(weight: 1, level: "not-yet")],
        .notYet
      ),
    ])
  func totalThreshold(rows: [Row], expected: Decision.Outcome) async throws {
    let decision = try await PolicyHarness.decide(rows, mastery: #"<total at-least="75%"/>"#)
    #expect(decision.outcome == expected, "\(decision.reasons)")
  }

  @Test func totalBelowSaysByHowMuch() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 2, level: "exemplary"), Row(weight: 1, level: "proficient"), Row(weight: 1, level: "not-yet")],
      mastery: #"<total at-least="75%"/>"#)
    #expect(decision.reasons == ["not yet: the weighted total is 66.7% (8 of 12 points); this credential needs 75%"])
  }

  @Test func totalInPoints() async throws {
    let mastery = #"<total at-least="5"/>"#
    let earned = try await PolicyHarness.decide(
      [Row(weight: 1, level: "exemplary"), Row(weight: 1, level: "proficient")], mastery: mastery)
    #expect(earned.outcome == .earned)
    let notYet = try await PolicyHarness.decide(
      [Row(weight: 1, level: "exemplary"), Row(weight: 1, level: "developing")], mastery: mastery)
    #expect(notYet.reasons == ["not yet: the weighted total is 66.7% (4 of 6 points); this credential needs 5 points"])
  }

  @Test func zeroWeightCountsTowardNoTotalButItsGateApplies() async throws {
    let mastery = #"<criterion ref="c1" at-least="proficient"/><total at-least="100%"/>"#
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "exemplary"), Row(weight: 0, level: "developing")], mastery: mastery)
    #expect(decision.total.points == 3)
    #expect(decision.total.maximum == 3)
    #expect(decision.total.meetsRequirement == true)
    #expect(decision.outcome == .notYet)
    #expect(decision.reasons == ["not yet: Criterion 1 is Developing; this credential needs Proficient"])
  }

  @Test func allZeroWeightsMakeTheTotalFull() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 0, level: "not-yet")], mastery: #"<total at-least="80%"/>"#)
    #expect(decision.total.percent == 100)
    #expect(decision.outcome == .earned)
  }

  @Test func severalMissesGiveSeveralReasons() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: "not-yet")],
      mastery:
        #"<every-criterion at-least="developing"/><criterion ref="c0" at-least="proficient"/><total at-least="50%"/>"#)
    #expect(
      decision.reasons == [
        "not yet: Criterion 0 is Developing; this credential needs Proficient",
        "not yet: Criterion 1 is Not yet; this credential needs Developing",
        "not yet: the weighted total is 16.7% (1 of 6 points); this credential needs 50%",
      ])
  }

  @Test func pendingCriterionMakesThePendingDecision() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "exemplary"), Row(weight: 1, level: nil)],
      mastery: #"<every-criterion at-least="proficient"/>"#)
    #expect(decision.outcome == .pending)
    #expect(decision.reasons == ["pending: Criterion 1: waiting for 1 review (0 of 1 in)"])
    #expect(decision.criteria[1].points == nil)
    #expect(decision.total.points == 3)
  }

  @Test func everyCriterionPending() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: nil), Row(weight: 2, level: nil)], mastery: #"<total at-least="50%"/>"#)
    #expect(decision.outcome == .pending)
    #expect(decision.reasons.count == 2)
    #expect(decision.total.points == 0)
  }

  @Test func percentNeverRoundsUpToAThresholdItMisses() {
    #expect(PolicyEvaluation.percent(74.96) == "75%")
    #expect(PolicyEvaluation.percent(74.96, below: 75) == "74.96%")
    #expect(PolicyEvaluation.percent(66.666, below: 75) == "66.7%")
    #expect(PolicyEvaluation.percent(100) == "100%")
  }

  @Test func aShortfallNoReviewCanMakeUpIsNotYetAtOnce() async throws {
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: nil)],
      mastery: #"<every-criterion at-least="proficient"/>"#)
    #expect(decision.outcome == .notYet)
    #expect(
      decision.reasons == [
        "not yet: Criterion 0 is Developing; this credential needs Proficient",
        "feedback to come: Criterion 1 is still to be reviewed; the review gives feedback but cannot change this decision",
      ])
  }

  @Test func aTotalTheBestReviewsCannotLiftIsNotYetAtOnce() async throws {
    // 1 of 3 points at most on the automated criterion, 3 more at best from the review: 4 of 6 < 75%.
    let decision = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: nil)], mastery: #"<total at-least="75%"/>"#)
    #expect(decision.outcome == .notYet)
    #expect(decision.reasons.first?.hasPrefix("not yet: the weighted total cannot reach 75% even with the best reviews") == true,
      "\(decision.reasons)")
    // Reachable with good reviews: still pending.
    let open = try await PolicyHarness.decide(
      [Row(weight: 1, level: "developing"), Row(weight: 1, level: nil)], mastery: #"<total at-least="50%"/>"#)
    #expect(open.outcome == .pending)
  }

  @Test func noRequirementsEarnWhenJudged() async throws {
    let decision = try await PolicyHarness.decide([Row(weight: 1, level: "not-yet")], mastery: "")
    #expect(decision.outcome == .earned)
  }
}
