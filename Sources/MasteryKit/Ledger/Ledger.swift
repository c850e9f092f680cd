import Foundation

/// Who was judged.
///
/// one candidate's attempt at one credential. Stable across re-grades and moves of the submission
/// folder.
public struct SubmissionKey: Sendable, Hashable, Codable, CustomStringConvertible {
  public var credential: String
  public var candidate: String
  public var attempt: Int

  public init(credential: String, candidate: String, attempt: Int) {
    self.credential = credential
    self.candidate = candidate
    self.attempt = attempt
  }

  public init(_ submission: Submission) {
    self.init(credential: submission.credential, candidate: submission.candidate.id, attempt: submission.attempt)
  }

  /// "digital-literacy/rusd-t-0142/2".
  public var description: String { "\(credential)/\(candidate)/\(attempt)" }
}

/// One saved review or adjudication.
///
/// Never changed once saved: a revision is a new record that names the one it supersedes.
public struct ReviewRecord: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable {
    case review, adjudication
  }

  public var id: Int64
  public var submission: SubmissionKey
  public var criterion: String
  public var reviewer: String
  public var level: String
  public var feedback: String?
  public var kind: Kind
  /// Why an adjudicator chose the level.
  public var reason: String?
  public var rubricVersion: String
  public var recordedAt: String
  /// The record this one replaces (`--revise`), if any.
  public var supersedes: Int64?
}

/// A new review or adjudication, before it is saved.
public struct ReviewEntry: Sendable, Hashable {
  public var submission: SubmissionKey
  public var criterion: String
  public var reviewer: String
  public var level: String
  public var feedback: String?
  public var kind: ReviewRecord.Kind
  public var reason: String?
  public var rubricVersion: String

  public init(
    submission: SubmissionKey, criterion: String, reviewer: String, level: String, feedback: String? = nil,
    kind: ReviewRecord.Kind = .review, reason: String? = nil, rubricVersion: String
  ) {
    self.submission = submission
    self.criterion = criterion
    self.reviewer = reviewer
    self.level = level
    self.feedback = feedback
    self.kind = kind
    self.reason = reason
    self.rubricVersion = rubricVersion
  }
}

/// A reviewer criterion of a submission that waits for reviews, for `mastery queue`.
public struct QueueItem: Sendable, Hashable, Codable {
  public var submission: SubmissionKey
  public var path: String
  public var submitted: String
  public var criterion: String
  public var title: String
  public var reviewersNeeded: Int
  public var reviewsIn: Int
  /// The submission's latest decision (`pending`, or `not-yet` when the reviews can only give feedback).
  public var decision: String?
  /// Every review is in and they disagree beyond what the rubric allows: an adjudicator decides.
  public var needsAdjudication: Bool
}

/// Why the ledger refused or failed.
public enum LedgerError: Error, Equatable, CustomStringConvertible {
  /// The reviewer already has a current review of this criterion.
  case alreadyReviewed(reviewer: String, criterion: String, submission: String, id: Int64)
  /// `--revise` with nothing to revise.
  case nothingToRevise(reviewer: String, criterion: String, submission: String)
  /// The file is not a ledger, or is damaged.
  case unusable(path: String, reason: String)
  /// The disk or file system refused (full, read-only, an I/O error, locked too long); the file
  /// is not known to be damaged. `reason` says what happened and what to do.
  case unavailable(path: String, reason: String)
  /// No ledger at the path: commands that only read never create one.
  case missing(path: String)

  public var description: String {
    switch self {
    case .alreadyReviewed(let reviewer, let criterion, let submission, let id):
      return
        "\(reviewer) has already reviewed '\(criterion)' of \(submission) (review #\(id)); pass --revise to replace it (the old review stays in the history)"
    case .nothingToRevise(let reviewer, let criterion, let submission):
      return "\(reviewer) has no review of '\(criterion)' of \(submission) to revise; leave out --revise"
    case .unusable(let path, let reason):
      return
        "\(path): the ledger cannot be used: \(reason). Nothing was changed. Restore it from a backup, or move it aside to start a new one."
    case .unavailable(let path, let reason):
      return "\(path): the ledger cannot be used: \(reason)"
    case .missing(let path):
      return
        "\(path): there is no ledger here; commands that only read never create one. Name the ledger with --ledger PATH or MASTERY_LEDGER, or run `mastery grade` first"
    }
  }
}

/// The durable store of what grading and reviewing decided: submissions seen,
/// criteria waiting for reviews, reviews (append-only), decisions.
///
/// A conforming type must make a review durable before `add` returns (an
/// acknowledged review survives a crash or power loss), never change or
/// delete a saved review, and keep the contract portable (SQLite now,
/// PostgreSQL later): plain tables, no engine-specific behaviour relied on.
public protocol Ledger: Sendable {
  /// Saves a review or adjudication.
  ///
  /// - Parameters:
  ///   - entry: what to save.
  ///   - revise: true to supersede the reviewer's current review of the criterion.
  /// - Returns: the saved record.
  /// - Throws: `LedgerError.alreadyReviewed` when the reviewer has a current
  ///   review and `revise` is false; `.nothingToRevise` the other way round.
  func add(_ entry: ReviewEntry, revise: Bool) throws -> ReviewRecord

  /// Saves several reviews all together or not at all (one transaction), in order.
  ///
  /// - Throws: as `add`, for the first entry refused; then nothing is saved.
  func add(all entries: [(entry: ReviewEntry, revise: Bool)]) throws -> [ReviewRecord]

  /// The current records for one criterion: each reviewer's latest review, and adjudications.
  func current(_ submission: SubmissionKey, criterion: String) throws -> [ReviewRecord]

  /// Every record of a submission, oldest first, superseded ones included.
  func history(_ submission: SubmissionKey) throws -> [ReviewRecord]

  /// Records what a grading run found: the submission, the criteria still
  /// waiting for reviews, and the decision (all of it, so that a resumed
  /// batch can report it again without grading).
  func record(_ decisions: [RecordedDecision], waiting: [SubmissionKey: [WaitingCriterion]]) throws

  /// What a resumed run needs to know of a submission, read together: the
  /// newest review or adjudication id (0 when there is none; a decision graded
  /// after reading it has seen every review up to it), and the latest
  /// recorded decision, decoded only when `wanted` accepts its header (so
  /// decisions that cannot stand cost no decoding).
  func resumeState(_ submission: SubmissionKey, wanted: (DecisionHeader) -> Bool) throws -> ResumeState

  /// Criteria waiting for reviews, oldest submission first, leaving out those
  /// `reviewer` has already reviewed.
  func queue(for reviewer: String?) throws -> [QueueItem]

  /// The current reviews (not adjudications, not superseded) of every
  /// submission, for agreement statistics; of one credential when given.
  func currentReviews(credential: String?) throws -> [ReviewRecord]

  /// Every record, superseded ones included, oldest first; of one credential when given.
  func allReviews(credential: String?) throws -> [ReviewRecord]

  /// The latest decision of every submission (of one credential when given),
  /// with each criterion's level, for a gradebook.
  func gradebook(credential: String?) throws -> [GradebookRow]

  /// A candidate's attempts at a credential (at every credential when nil), each as its latest
  /// decision left it, by credential and attempt.
  func attempts(credential: String?, candidate: String) throws -> [AttemptRecord]

  /// Records an attempt refused because the rubric's `max` was reached (once: the same attempt
  /// refused again for the same reason is already on record).
  func record(_ refusal: Refusal) throws

  /// A candidate's refused attempts (at one credential when given), oldest first.
  func refusals(credential: String?, candidate: String) throws -> [Refusal]

  /// Records a credential about to be issued; with `statusBase`, gives it an index chosen at random
  /// among the free ones of this ledger's first status list under that base that is less than half
  /// full (`BASE` + this ledger's token + `-N.jwt`: ledgers merged later never share a list).
  func recordIssued(_ credential: IssuedCredential, statusBase: String?) throws -> IssuedCredential

  /// An issued credential by its id.
  func issued(id: String) throws -> IssuedCredential?

  /// Every issued credential that has a status list entry, of one issuer.
  func revocable(issuer: String) throws -> [IssuedCredential]

  /// Revokes an issued credential (once: a second revocation keeps the first's time and reason).
  /// - Returns: the credential as it now stands, or nil when this ledger never issued it.
  func revoke(id: String, reason: String, at: String) throws -> IssuedCredential?
}

/// A decision as the ledger keeps it.
public struct RecordedDecision: Sendable, Hashable {
  public var decision: Decision
  /// The review watermark (see `Ledger.resumeState`) read before grading.
  public var reviewsSeen: Int64
  /// The decision as JSON, as the ledger keeps it. Encoded where the decision is made, so that a
  /// batch encodes on every core rather than in the one task that writes the ledger.
  public var json: Data
  /// `RubricCatalog.Entry.assetsSHA256` of the rubric it was graded with (hidden tests and the like).
  public var rubricAssetsSHA256: String
  /// This attempt as later attempts need it (each criterion's own result and definition).
  public var attempt: AttemptRecord?
  /// `AttemptRecord.basis` of the earlier attempts it took into account.
  public var attemptsBasis: String?

  public init(_ decision: Decision, reviewsSeen: Int64, rubricAssetsSHA256: String) {
    self.decision = decision
    self.reviewsSeen = reviewsSeen
    self.rubricAssetsSHA256 = rubricAssetsSHA256
    json = (try? JSONEncoder().encode(decision)) ?? Data()
  }

  public init(_ decision: Decision, reviewsSeen: Int64, rubricAssetsSHA256: String, json: Data) {
    self.decision = decision
    self.reviewsSeen = reviewsSeen
    self.rubricAssetsSHA256 = rubricAssetsSHA256
    self.json = json
  }

  /// The submission it decides.
  public var key: SubmissionKey {
    SubmissionKey(
      credential: decision.credential.id, candidate: decision.submission.candidate.id,
      attempt: decision.submission.attempt)
  }
}

/// What the ledger knows of a recorded decision without decoding it.
public struct DecisionHeader: Sendable, Hashable {
  public var outcome: Decision.Outcome
  public var rubricSHA256: String
  /// Empty for decisions recorded before schema v4.
  public var rubricAssetsSHA256: String
  public var manifestSHA256: String
  public var engineVersion: String
  public var reviewsSeen: Int64
  /// `AttemptRecord.basis` of the earlier attempts the decision took into account; empty before schema v6.
  public var attemptsBasis: String

  public init(
    outcome: Decision.Outcome, rubricSHA256: String, rubricAssetsSHA256: String, manifestSHA256: String,
    engineVersion: String, reviewsSeen: Int64, attemptsBasis: String = ""
  ) {
    self.attemptsBasis = attemptsBasis
    self.outcome = outcome
    self.rubricSHA256 = rubricSHA256
    self.rubricAssetsSHA256 = rubricAssetsSHA256
    self.manifestSHA256 = manifestSHA256
    self.engineVersion = engineVersion
    self.reviewsSeen = reviewsSeen
  }
}

/// A submission's review watermark and latest recorded decision (see `Ledger.resumeState`).
public struct ResumeState: Sendable {
  public var reviewWatermark: Int64
  /// The latest decision, when its header was wanted and it was recorded in full (schema v3 or later).
  public var latest: RecordedDecision?

  public init(reviewWatermark: Int64, latest: RecordedDecision?) {
    self.reviewWatermark = reviewWatermark
    self.latest = latest
  }
}

/// A reviewer criterion that waits for reviews.
public struct WaitingCriterion: Sendable, Hashable {
  public var criterion: String
  public var title: String
  public var reviewers: Int

  public init(criterion: String, title: String, reviewers: Int) {
    self.criterion = criterion
    self.title = title
    self.reviewers = reviewers
  }
}

/// One submission's latest decision, as a gradebook row.
public struct GradebookRow: Sendable, Hashable {
  public var submission: SubmissionKey
  public var candidateName: String?
  public var version: String
  public var outcome: String
  public var points: Double
  public var maximum: Double
  public var gradedAt: String
  /// Criterion id to its level id, or to "pending" or "error".
  public var criteria: [String: String]
  /// The criteria in rubric order.
  public var criterionOrder: [String]
}
