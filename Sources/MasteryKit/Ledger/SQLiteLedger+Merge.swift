import Foundation
import GRDB

extension SQLiteLedger {
  /// What a merge added.
  public struct MergeCounts: Sendable, Hashable {
    public var submissions = 0
    public var decisions = 0
    public var reviews = 0
    public var credentials = 0
  }

  /// Adds everything another ledger file holds that this one does not: submissions, decisions
  /// (with their criteria), reviews (keeping which one supersedes which), and the criteria waiting
  /// for reviews as of each submission's latest decision. Records already here (the same review,
  /// the same decision) are not added twice, so merging a file again changes nothing. All in one
  /// transaction; the other file is only read.
  ///
  /// - Parameter path: the ledger to merge in; it must have been opened by this version of mastery.
  /// - Returns: what was added.
  /// - Throws: `LedgerError.unusable` naming the file that cannot be read or written.
  @discardableResult
  public func merge(from path: String) throws -> MergeCounts {
    var configuration = Configuration()
    configuration.readonly = true
    let source: DatabaseQueue
    let known: Set<String>
    do {
      source = try DatabaseQueue(path: path, configuration: configuration)
      known = try source.read { db in
        Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
      }
    } catch {
      throw Self.failure(error, path: path)
    }
    guard known == Self.migrationIdentifiers else {
      throw LedgerError.unusable(
        path: path,
        reason:
          "it was written by another version of mastery; bring it up to date with any command of this version that writes to it (`mastery grade --ledger \(path)`, `mastery review`), then merge"
      )
    }
    let rows:
      (
        submissions: [Row], reviews: [Row], decisions: [Row], criteria: [Row], waiting: [Row], issued: [Row],
        refusals: [Row]
      )
    do {
      rows = try source.read { db in
        (
          submissions: try Row.fetchAll(db, sql: "SELECT * FROM submission ORDER BY key"),
          reviews: try Row.fetchAll(db, sql: "SELECT * FROM review ORDER BY id"),
          decisions: try Row.fetchAll(db, sql: "SELECT * FROM decision ORDER BY id"),
          criteria: try Row.fetchAll(db, sql: "SELECT * FROM decision_criterion ORDER BY decision_id, position"),
          waiting: try Row.fetchAll(db, sql: "SELECT * FROM waiting"),
          issued: try Row.fetchAll(db, sql: "SELECT * FROM issued_credential ORDER BY id"),
          refusals: try Row.fetchAll(db, sql: "SELECT * FROM refusal ORDER BY id")
        )
      }
    } catch {
      throw Self.failure(error, path: path)
    }
    return try write { db in
      var counts = MergeCounts()
      for row in rows.submissions {
        let exists =
          try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM submission WHERE key = ?)", arguments: [row["key"] as String])
          ?? false
        try db.execute(
          sql: """
            INSERT INTO submission (key, credential, candidate, attempt, version, path, submitted, first_seen,
              candidate_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET first_seen =
                CASE WHEN excluded.first_seen < submission.first_seen THEN excluded.first_seen
                  ELSE submission.first_seen END
            """,
          arguments: [
            row["key"], row["credential"], row["candidate"], row["attempt"], row["version"], row["path"],
            row["submitted"], row["first_seen"], row["candidate_name"],
          ])
        if !exists { counts.submissions += 1 }
      }
      var reviewIDs: [Int64: Int64] = [:]
      for row in rows.reviews {
        let same = try Int64.fetchOne(
          db,
          sql: """
            SELECT id FROM review WHERE submission_key = ? AND criterion = ? AND reviewer = ? AND kind = ?
              AND level = ? AND recorded_at = ? AND rubric_version = ? AND feedback IS NOT DISTINCT FROM ? AND reason IS NOT DISTINCT FROM ?
            """,
          arguments: [
            row["submission_key"], row["criterion"], row["reviewer"], row["kind"], row["level"], row["recorded_at"],
            row["rubric_version"], row["feedback"], row["reason"],
          ])
        if let same {
          reviewIDs[row["id"]] = same
          continue
        }
        let supersedes = (row["supersedes"] as Int64?).flatMap { reviewIDs[$0] }
        try db.execute(
          sql: Self.insertReview,
          arguments: [
            row["submission_key"], row["criterion"], row["reviewer"], row["level"], row["feedback"], row["kind"],
            row["reason"], row["rubric_version"], row["recorded_at"], supersedes,
          ])
        reviewIDs[row["id"]] = db.lastInsertedRowID
        counts.reviews += 1
      }
      var criteria: [Int64: [Row]] = [:]
      for row in rows.criteria { criteria[row["decision_id"], default: []].append(row) }
      var latestMerged: [String: String] = [:]
      for row in rows.decisions {
        let key: String = row["submission_key"]
        let gradedAt: String = row["graded_at"]
        latestMerged[key] = max(latestMerged[key] ?? "", gradedAt)
        let same =
          try Bool.fetchOne(
            db,
            sql: """
              SELECT EXISTS (SELECT 1 FROM decision WHERE submission_key = ? AND graded_at = ? AND rubric_sha256 = ?
                AND outcome = ? AND points = ? AND report IS NOT DISTINCT FROM ?)
              """,
            arguments: [key, gradedAt, row["rubric_sha256"], row["outcome"], row["points"], row["report"]]) ?? false
        if same { continue }
        try db.execute(
          sql: Self.insertDecision,
          arguments: [
            key, row["outcome"], row["points"], row["maximum"], row["rubric_id"], row["rubric_version"],
            row["rubric_sha256"], gradedAt, row["report"], row["reviews_seen"], row["manifest_sha256"],
            row["engine_version"], row["rubric_assets_sha256"], row["evidence_sha256"], row["identical_to"],
            row["attempts_basis"],
          ])
        let id = db.lastInsertedRowID
        for criterion in criteria[row["id"]] ?? [] {
          try db.execute(
            sql: Self.insertDecisionCriterion,
            arguments: [
              id, criterion["position"], criterion["criterion"], criterion["status"], criterion["level"],
              criterion["points"], criterion["definition"], criterion["own_level"], criterion["own_score"],
              criterion["carried_from"],
            ])
        }
        counts.decisions += 1
      }
      // What waits for reviews follows the newest grading of each submission.
      var waiting: [String: [Row]] = [:]
      for row in rows.waiting { waiting[row["submission_key"], default: []].append(row) }
      for (key, gradedAt) in latestMerged {
        let newestHere =
          try String.fetchOne(db, sql: "SELECT MAX(graded_at) FROM decision WHERE submission_key = ?", arguments: [key])
          ?? ""
        guard gradedAt >= newestHere else { continue }
        try db.execute(sql: "DELETE FROM waiting WHERE submission_key = ?", arguments: [key])
        for row in waiting[key] ?? [] {
          try db.execute(
            sql: Self.insertWaiting,
            arguments: [key, row["criterion"], row["title"], row["reviewers"]])
        }
      }
      for row in rows.refusals {
        try db.execute(
          sql: Self.insertRefusal,
          arguments: [
            row["submission_key"], row["credential"], row["candidate"], row["attempt"], row["reason"],
            row["recorded_at"], row["submission_key"], row["reason"],
          ])
      }
      // Issued credentials; a revocation on either side stands (the earliest one's time and reason).
      for row in rows.issued {
        let id: String = row["id"]
        if let list: String = row["status_list"], let index: Int = row["status_index"],
          let other = try String.fetchOne(
            db, sql: "SELECT id FROM issued_credential WHERE status_list = ? AND status_index = ? AND id != ?",
            arguments: [list, index, id])
        {
          throw LedgerError.unusable(
            path: path,
            reason:
              "its credential \(id) and this ledger's \(other) share the entry \(index) of status list \(list), so revoking one would revoke both: the two ledgers were copies of one ledger that both issued credentials; re-issue one of the two from this ledger and revoke the other"
          )
        }
        let exists =
          try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM issued_credential WHERE id = ?)", arguments: [id])
          ?? false
        try db.execute(
          sql: """
            INSERT INTO issued_credential (id, submission_key, credential, candidate, attempt, issuer, issued_at,
              status_list, status_index, revoked_at, revocation_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
              revocation_reason = CASE WHEN issued_credential.revoked_at IS NULL
                OR excluded.revoked_at < issued_credential.revoked_at THEN excluded.revocation_reason
                ELSE issued_credential.revocation_reason END,
              revoked_at = CASE WHEN issued_credential.revoked_at IS NULL
                OR excluded.revoked_at < issued_credential.revoked_at THEN excluded.revoked_at
                ELSE issued_credential.revoked_at END
            """,
          arguments: [
            id, row["submission_key"], row["credential"], row["candidate"], row["attempt"], row["issuer"],
            row["issued_at"], row["status_list"], row["status_index"], row["revoked_at"], row["revocation_reason"],
          ])
        if !exists { counts.credentials += 1 }
      }
      return counts
    }
  }
}
