import Foundation

/// Issues signed Open Badges 3.0 credentials for earned decisions, and refuses
/// for anything else: a submission never graded, a decision that is not
/// earned, a recorded decision whose files (or rubric, or reviews) changed
/// since it was graded.
public struct CredentialIssuer: Sendable {
  /// Why no credential was issued.
  public enum Refusal: Error, Equatable, CustomStringConvertible {
    case notGraded(submission: String, path: String)
    case notEarned(submission: String, outcome: Decision.Outcome, reasons: [String])
    case changed(submission: String, gradedAt: String, changes: [String], path: String)

    public var description: String {
      switch self {
      case .notGraded(let submission, let path):
        return "\(submission) has no recorded decision: grade it first (`mastery grade \(path)`)"
      case .notEarned(let submission, let outcome, let reasons):
        return "\(submission) is \(outcome.label), not earned: no credential is issued"
          + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
      case .changed(let submission, let gradedAt, let changes, let path):
        return "\(submission) was graded at \(gradedAt), and since then "
          + changes.joined(separator: ", ") + ": grade it again (`mastery grade \(path)`) before issuing"
      }
    }

    /// The exit status: 1 not yet, 2 pending, 4 grader error, 3 for the rest (the input is not what was graded).
    public var exitStatus: Int32 {
      switch self {
      case .notEarned(_, let outcome, _):
        switch outcome {
        case .notYet: 1
        case .pending: 2
        case .error: 4
        case .earned: 3
        }
      case .notGraded, .changed: 3
      }
    }
  }

  public let key: IssuerKey
  public var clock: @Sendable () -> Date

  public init(key: IssuerKey, clock: @escaping @Sendable () -> Date = Grader.environmentClock) {
    self.key = key
    self.clock = clock
  }

  /// The ledger's latest decision for a submission, when it is earned and still stands for the
  /// files as they are now.
  ///
  /// - Throws: `Refusal`, or `LedgerError` when the ledger cannot be read.
  public static func standingDecision(
    for prepared: GradingSession.PreparedSubmission, ledger: any Ledger, resolver: EvidenceResolver
  ) throws -> Decision {
    let key = SubmissionKey(prepared.submission)
    let state = try ledger.resumeState(key) { _ in true }
    guard let recorded = state.latest else {
      throw Refusal.notGraded(submission: key.description, path: prepared.submission.folder)
    }
    guard recorded.decision.outcome == .earned else {
      throw Refusal.notEarned(
        submission: key.description, outcome: recorded.decision.outcome,
        reasons: recorded.decision.reasons.filter { !$0.hasPrefix("earned") })
    }
    let changes = recorded.changes(
      for: prepared.submission, rubric: prepared.entry, manifestSHA256: prepared.manifestSHA256,
      evidence: prepared.evidence, reviewsSeen: state.reviewWatermark, resolver: resolver)
    guard changes.isEmpty else {
      throw Refusal.changed(
        submission: key.description, gradedAt: recorded.decision.gradedAt, changes: changes,
        path: prepared.submission.folder)
    }
    return recorded.decision
  }

  /// The credential and its VC-JWT for an earned decision.
  ///
  /// - Parameters:
  ///   - decision: an earned decision.
  ///   - rubric: the rubric it was graded against.
  ///   - validUntil: when the credential expires (ISO 8601), if ever.
  ///   - ledger: where the issued credential is recorded (and its status list entry allocated), if anywhere.
  ///   - statusBase: the URL under which the issuer hosts its status lists; by default the one its id
  ///     says (`IssuedCredential.statusBase`). Without a ledger or a base, the credential has no
  ///     `credentialStatus` and cannot be revoked.
  /// - Throws: `Refusal.notEarned` for another outcome; `IssuerKey.KeyError` for a key that cannot
  ///   sign; `LedgerError` when the ledger cannot record it.
  public func issue(
    _ decision: Decision, rubric: Microcredential, validUntil: String? = nil,
    recipient: OpenBadgeCredential.RecipientPrivacy = .init(), ledger: (any Ledger)? = nil, statusBase: String? = nil
  ) throws -> (
    credential: OpenBadgeCredential, jwt: String
  ) {
    let submission = SubmissionKey(
      credential: decision.credential.id, candidate: decision.submission.candidate.id,
      attempt: decision.submission.attempt)
    guard decision.outcome == .earned else {
      throw Refusal.notEarned(submission: submission.description, outcome: decision.outcome, reasons: decision.reasons)
    }
    let validFrom = Grader.timestamp(clock())
    var credential = OpenBadgeCredential(
      decision: decision, rubric: rubric, issuerID: key.issuerID, id: "urn:uuid:\(UUID().uuidString.lowercased())",
      validFrom: validFrom, validUntil: validUntil, recipient: recipient)
    if let ledger {
      // Recorded before it is signed: a credential that exists is always one the ledger can revoke.
      let issued = try ledger.recordIssued(
        IssuedCredential(id: credential.id, submission: submission, issuer: key.issuerID, issuedAt: validFrom),
        statusBase: statusBase ?? IssuedCredential.statusBase(issuer: key.issuerID))
      credential.credentialStatus = issued.status.map { .init(list: $0.list, index: $0.index) }
    }
    return (credential, try CredentialJWT.sign(credential, with: key))
  }
}
