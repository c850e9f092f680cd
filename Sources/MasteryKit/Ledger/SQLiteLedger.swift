import Foundation
import GRDB

/// The ledger in one SQLite file, with migrations.
///
/// WAL and `synchronous = FULL`: a review is on disk before `add` returns. Safe to share between
/// tasks; several processes may use one file (writes wait their turn).
public final class SQLiteLedger: Ledger, @unchecked Sendable {
  /// Where the ledger is by default: `.mastery/ledger.sqlite` under the working folder.
  public static let defaultPath = ".mastery/ledger.sqlite"

  public let path: String
  private let pool: any DatabaseWriter

  /// The ledger at `--ledger PATH`, else `MASTERY_LEDGER`, else the default.
  public static func path(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    // An empty MASTERY_LEDGER is unset, as shells treat empty variables.
    option ?? environment["MASTERY_LEDGER"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
  }

  /// Opens (creating it, and its folder, when missing) and migrates the ledger.
  ///
  /// - Throws: `LedgerError.unusable` when the file is not a ledger or is damaged.
  public init(path: String) throws {
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    // Opening and migrating happen under a lock file beside the ledger. Two processes making
    // the same new ledger at once both switch it to WAL, and SQLite answers the second "busy"
    // at once, without waiting, while the first is still doing so (seen on CI even when only
    // the creating process held the lock: the other saw the file and opened it mid-switch).
    // Two processes upgrading it at once would apply the same migration twice.
    do {
      self.pool = try Self.whileHoldingSetupLock(path) {
        let pool = try DatabasePool(path: path, configuration: configuration)
        if try !pool.read({ try Self.migrator.hasCompletedMigrations($0) }) {
          try Self.migrator.migrate(pool)
        }
        return pool
      }
    } catch let error as LedgerError {
      throw error
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  /// Opens an existing ledger for reading only: never creates, migrates or writes it, so the
  /// commands that only read work on a read-only file system or a ledger they may only read.
  ///
  /// - Throws: `LedgerError.missing` when there is no file, `.unusable` when it is not a ledger
  ///   (or one this version cannot read before a writing command brings it up to date).
  public init(readingAt path: String) throws {
    self.path = path
    var info = stat()
    guard stat(path, &info) == 0 else { throw LedgerError.missing(path: path) }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw LedgerError.unusable(path: path, reason: "it is not a file")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    let queue: DatabaseQueue
    do {
      queue = try Self.openForReading(path, configuration: configuration)
    } catch {
      throw Self.failure(error, path: path)
    }
    let applied: Set<String>
    do {
      applied = try queue.read { db in
        try db.tableExists("grdb_migrations")
          ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
      }
    } catch {
      throw Self.failure(error, path: path)
    }
    guard applied == Self.migrationIdentifiers else {
      let reason =
        applied.isEmpty
        ? "it was never completely set up (a first run that stopped early, e.g. on a full disk); `mastery grade` sets it up"
        : "it was written by another version of mastery; any command of this version that writes to it (`mastery grade`, `mastery review`) brings it up to date"
      throw LedgerError.unavailable(path: path, reason: reason)
    }
    pool = queue
  }

  /// A read-only connection; on a read-only file system, where SQLite cannot make the WAL index
  /// beside the file, the file opened as immutable (nothing can write it there anyway).
  private static func openForReading(_ path: String, configuration: Configuration) throws -> DatabaseQueue {
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      try queue.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
      return queue
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN && statvfsReadOnly(path) {
      let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
      let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
      return try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
    }
  }

  /// Whether the file system holding `path` is mounted read-only.
  private static func statvfsReadOnly(_ path: String) -> Bool {
    var info = statvfs()
    return statvfs(path, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
  }

  /// Runs `body` holding an exclusive `flock` on `PATH.setup-lock` (a file of its own: closing a
  /// descriptor of the database file itself would drop SQLite's own locks). Where the lock file
  /// cannot be made (a read-only folder), `body` runs without it: SQLite then says what is wrong
  /// with the ledger itself, which is the error worth showing.
  private static func whileHoldingSetupLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
    let descriptor = open(path + ".setup-lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return try body() }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else {
        throw LedgerError.unusable(
          path: path, reason: "cannot lock \(path).setup-lock: \(String(cString: strerror(errno)))")
      }
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
  }

  /// How many records a ledger holds, read without creating, migrating or locking it; nil when
  /// it is not there or not (yet) a ledger. For watching a ledger another process writes.
  public static func peekCounts(at path: String) -> Counts? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    var configuration = Configuration()
    configuration.readonly = true
    guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
    return try? queue.read { db in try counts(in: db) }
  }

  /// A database error as the `LedgerError` that says what happened and what to do: the disk or
  /// file system refused (`.unavailable`), or the file is damaged or not a ledger (`.unusable`).
  static func failure(_ error: Error, path: String) -> LedgerError {
    if let error = error as? LedgerError { return error }
    guard let database = error as? DatabaseError else {
      return .unusable(path: path, reason: describe(error))
    }
    let detail = describe(error)
    let folder = (path as NSString).deletingLastPathComponent
    switch database.resultCode {
    case .SQLITE_FULL:
      return .unavailable(path: path, reason: Self.diskFull)
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN where statvfsReadOnly(folder.isEmpty ? "." : folder):
      return .unavailable(
        path: path,
        reason:
          "it is read-only (a read-only file system, or no permission to write it). Nothing was changed. Commands that only read (queue, history, export, agreement, review --export) still work; run this one where the ledger can be written"
      )
    case .SQLITE_IOERR:
      // A full disk often surfaces as an I/O error from the WAL or its index.
      if freeBytes(folder.isEmpty ? "." : folder) == 0 { return .unavailable(path: path, reason: Self.diskFull) }
      if statvfsReadOnly(folder.isEmpty ? "." : folder) {
        return .unavailable(
          path: path,
          reason:
            "it is on a read-only file system. Nothing was changed. Commands that only read (queue, history, export, agreement, review --export) still work"
        )
      }
      return .unavailable(
        path: path,
        reason:
          "the disk reported an input/output error (\(detail)). What was recorded before stays; check the disk, then run the command again"
      )
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return .unavailable(
        path: path, reason: "another process kept it locked for more than 10 seconds; run the command again")
    case .SQLITE_CANTOPEN:
      return .unavailable(
        path: path,
        reason:
          "it cannot be opened (\(detail)): check that its folder exists and can be written, or name another with --ledger"
      )
    default:
      return .unusable(path: path, reason: detail)
    }
  }

  private static let diskFull =
    "the disk is full. What was recorded before stays and nothing is damaged; free some space, then run the command again (a batch resumes where it stopped)"

  /// Bytes free for this user on the file system holding `path`, or nil when unknown.
  private static func freeBytes(_ path: String) -> UInt64? {
    var info = statvfs()
    guard statvfs(path, &info) == 0 else { return nil }
    return UInt64(info.f_bavail) * UInt64(info.f_frsize)
  }

  static func describe(_ error: Error) -> String {
    if let error = error as? DatabaseError {
      return error.message ?? "\(error.resultCode)"
    }
    return "\(error)"
  }

  /// The migrations a ledger of this version has applied.
  static var migrationIdentifiers: Set<String> { Set(migrator.migrations) }

  private static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE submission (
            key TEXT PRIMARY KEY,
            credential TEXT NOT NULL,
            candidate TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            version TEXT NOT NULL,
            path TEXT NOT NULL,
            submitted TEXT NOT NULL,
            first_seen TEXT NOT NULL
          );
          CREATE TABLE waiting (
            submission_key TEXT NOT NULL REFERENCES submission(key),
            criterion TEXT NOT NULL,
            title TEXT NOT NULL,
            reviewers INTEGER NOT NULL,
            PRIMARY KEY (submission_key, criterion)
          );
          CREATE TABLE review (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_key TEXT NOT NULL,
            criterion TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            level TEXT NOT NULL,
            feedback TEXT,
            kind TEXT NOT NULL,
            reason TEXT,
            rubric_version TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            supersedes INTEGER REFERENCES review(id)
          );
          CREATE INDEX review_by_submission ON review (submission_key, criterion);
          CREATE TABLE decision (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_key TEXT NOT NULL,
            outcome TEXT NOT NULL,
            points REAL NOT NULL,
            maximum REAL NOT NULL,
            rubric_id TEXT NOT NULL,
            rubric_version TEXT NOT NULL,
            rubric_sha256 TEXT NOT NULL,
            graded_at TEXT NOT NULL
          );
          CREATE INDEX decision_by_submission ON decision (submission_key);
          """)
    }
    migrator.registerMigration("v2: criterion results and candidate names") { db in
      try db.execute(
        sql: """
          ALTER TABLE submission ADD COLUMN candidate_name TEXT;
          CREATE TABLE decision_criterion (
            decision_id INTEGER NOT NULL REFERENCES decision(id),
            position INTEGER NOT NULL,
            criterion TEXT NOT NULL,
            status TEXT NOT NULL,
            level TEXT,
            points REAL,
            PRIMARY KEY (decision_id, criterion)
          );
          """)
    }
    migrator.registerMigration("v3: whole decisions and the reviews they saw") { db in
      try db.execute(
        sql: """
          ALTER TABLE decision ADD COLUMN report TEXT;
          ALTER TABLE decision ADD COLUMN reviews_seen INTEGER;
          ALTER TABLE decision ADD COLUMN manifest_sha256 TEXT;
          ALTER TABLE decision ADD COLUMN engine_version TEXT;
          """)
    }
    migrator.registerMigration("v4: the rubric's test files") { db in
      try db.execute(sql: "ALTER TABLE decision ADD COLUMN rubric_assets_sha256 TEXT")
    }
    migrator.registerMigration("v5: what the author's Python tests are") { db in
      try db.execute(
        sql: """
          CREATE TABLE python_suite (
            key TEXT PRIMARY KEY,
            suite TEXT NOT NULL,
            made_at TEXT NOT NULL
          )
          """)
    }
    migrator.registerMigration("v6: attempts") { db in
      try db.execute(
        sql: """
          ALTER TABLE decision ADD COLUMN evidence_sha256 TEXT;
          ALTER TABLE decision ADD COLUMN identical_to INTEGER;
          ALTER TABLE decision ADD COLUMN attempts_basis TEXT;
          ALTER TABLE decision_criterion ADD COLUMN definition TEXT;
          ALTER TABLE decision_criterion ADD COLUMN own_level TEXT;
          ALTER TABLE decision_criterion ADD COLUMN own_score REAL;
          ALTER TABLE decision_criterion ADD COLUMN carried_from INTEGER;
          CREATE INDEX submission_by_candidate ON submission (credential, candidate);
          CREATE TABLE refusal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            submission_key TEXT NOT NULL,
            credential TEXT NOT NULL,
            candidate TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            reason TEXT NOT NULL,
            recorded_at TEXT NOT NULL
          );
          CREATE INDEX refusal_by_candidate ON refusal (credential, candidate);
          """)
    }
    migrator.registerMigration("v7: issued credentials and their revocation") { db in
      try db.execute(
        sql: """
          CREATE TABLE issued_credential (
            id TEXT PRIMARY KEY,
            submission_key TEXT NOT NULL,
            credential TEXT NOT NULL,
            candidate TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            issuer TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            status_list TEXT,
            status_index INTEGER,
            revoked_at TEXT,
            revocation_reason TEXT,
            UNIQUE (status_list, status_index)
          );
          CREATE INDEX issued_by_issuer ON issued_credential (issuer);
          CREATE TABLE ledger_token (token TEXT NOT NULL);
          INSERT INTO ledger_token VALUES (lower(hex(randomblob(6))));
          """)
    }
    migrator.registerMigration("v8: reviews by the review they revise") { db in
      // Every "is it current" question asks what supersedes a review: without this, a scan of all
      // reviews for each review the queue counts.
      try db.execute(sql: "CREATE INDEX review_by_supersedes ON review (supersedes)")
    }
    return migrator
  }

  private static func now() -> String { Grader.timestamp(Grader.environmentClock()) }

  private static func record(_ row: Row) -> ReviewRecord {
    let key: String = row["submission_key"]
    let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    let submission = SubmissionKey(
      credential: parts.first ?? "", candidate: parts.count > 1 ? parts[1] : "",
      attempt: parts.count > 2 ? Int(parts[2]) ?? 0 : 0)
    return ReviewRecord(
      id: row["id"], submission: submission, criterion: row["criterion"], reviewer: row["reviewer"],
      level: row["level"],
      feedback: row["feedback"], kind: ReviewRecord.Kind(rawValue: row["kind"]) ?? .review, reason: row["reason"],
      rubricVersion: row["rubric_version"], recordedAt: row["recorded_at"], supersedes: row["supersedes"])
  }

  /// Rows not superseded by a later record.
  /// True for the review `alias` when it is its reviewer's current one on its criterion: nothing
  /// supersedes it, and no other review of the same reviewer, criterion and kind that nothing
  /// supersedes is later. Two ledgers that each revised the same review leave two unsuperseded
  /// revisions once merged; the later one stands.
  static func isCurrent(_ alias: String) -> String {
    """
    NOT EXISTS (SELECT 1 FROM review AS later WHERE later.supersedes = \(alias).id)
      AND NOT EXISTS (
        SELECT 1 FROM review AS twin
        WHERE twin.submission_key = \(alias).submission_key AND twin.criterion = \(alias).criterion
          AND twin.reviewer = \(alias).reviewer AND twin.kind = \(alias).kind AND twin.id != \(alias).id
          AND NOT EXISTS (SELECT 1 FROM review AS twinLater WHERE twinLater.supersedes = twin.id)
          AND (twin.recorded_at > \(alias).recorded_at
            OR (twin.recorded_at = \(alias).recorded_at AND twin.id > \(alias).id)))
    """
  }

  private static let currentRows = """
    SELECT * FROM review AS r
    WHERE r.submission_key = ? AND r.criterion = ? AND \(isCurrent("r"))
    ORDER BY r.id
    """

  public func add(_ entry: ReviewEntry, revise: Bool) throws -> ReviewRecord {
    guard let record = try add(all: [(entry, revise)]).first else {
      throw LedgerError.unusable(path: path, reason: "the review was not saved")
    }
    return record
  }

  public func add(all entries: [(entry: ReviewEntry, revise: Bool)]) throws -> [ReviewRecord] {
    do {
      return try pool.write { db in
        try entries.map { try Self.insert($0.entry, revise: $0.revise, in: db) }
      }
    } catch let error as LedgerError {
      throw error
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  /// A decision row, in the order of the columns named (recording and merging write rows the same way).
  static let insertDecision = """
    INSERT INTO decision (submission_key, outcome, points, maximum, rubric_id, rubric_version, rubric_sha256,
      graded_at, report, reviews_seen, manifest_sha256, engine_version, rubric_assets_sha256, evidence_sha256,
      identical_to, attempts_basis)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  /// A criterion result of a decision.
  static let insertDecisionCriterion = """
    INSERT INTO decision_criterion (decision_id, position, criterion, status, level, points, definition, own_level,
      own_score, carried_from)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  /// A reviewer criterion waiting for reviews.
  static let insertWaiting = "INSERT INTO waiting (submission_key, criterion, title, reviewers) VALUES (?, ?, ?, ?)"

  /// A review row, in the order of the columns named (the merge writes rows the same way).
  static let insertReview = """
    INSERT INTO review (submission_key, criterion, reviewer, level, feedback, kind, reason, rubric_version,
      recorded_at, supersedes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  /// Inserts one review inside the caller's transaction.
  private static func insert(_ entry: ReviewEntry, revise: Bool, in db: Database) throws -> ReviewRecord {
    let key = entry.submission.description
    let existing = try Row.fetchAll(db, sql: currentRows, arguments: [key, entry.criterion])
      .map(record).last { $0.reviewer == entry.reviewer && $0.kind == entry.kind }
    if let existing, !revise, entry.kind == .review {
      throw LedgerError.alreadyReviewed(
        reviewer: entry.reviewer, criterion: entry.criterion, submission: key, id: existing.id)
    }
    if existing == nil, revise {
      throw LedgerError.nothingToRevise(reviewer: entry.reviewer, criterion: entry.criterion, submission: key)
    }
    let recordedAt = now()
    try db.execute(
      sql: insertReview,
      arguments: [
        key, entry.criterion, entry.reviewer, entry.level, entry.feedback, entry.kind.rawValue, entry.reason,
        entry.rubricVersion, recordedAt, existing?.id,
      ])
    return ReviewRecord(
      id: db.lastInsertedRowID, submission: entry.submission, criterion: entry.criterion, reviewer: entry.reviewer,
      level: entry.level, feedback: entry.feedback, kind: entry.kind, reason: entry.reason,
      rubricVersion: entry.rubricVersion, recordedAt: recordedAt, supersedes: existing?.id)
  }

  public func current(_ submission: SubmissionKey, criterion: String) throws -> [ReviewRecord] {
    try read { db in
      try Row.fetchAll(db, sql: Self.currentRows, arguments: [submission.description, criterion]).map(Self.record)
    }
  }

  public func history(_ submission: SubmissionKey) throws -> [ReviewRecord] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM review WHERE submission_key = ? ORDER BY id", arguments: [submission.description]
      )
      .map(Self.record)
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read(body)
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  /// Runs `body` in one write transaction.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.write(body)
    } catch let error as LedgerError {
      throw error
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  public func record(_ decisions: [RecordedDecision], waiting: [SubmissionKey: [WaitingCriterion]]) throws {
    guard !decisions.isEmpty else { return }
    do {
      try pool.write { db in
        let seen = Self.now()
        for recorded in decisions {
          let report = String(decoding: recorded.json, as: UTF8.self)
          let decision = recorded.decision
          let key = recorded.key
          // Cached statements: prepared once per connection, not once per decision (a tenth of a
          // batch's time went to preparing them, and to GRDB's authorizer of each new statement).
          try db.cachedStatement(
            sql: """
              INSERT INTO submission (key, credential, candidate, attempt, version, path, submitted, first_seen,
                candidate_name)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
              ON CONFLICT (key) DO UPDATE SET path = excluded.path, version = excluded.version,
                candidate_name = excluded.candidate_name
              """
          ).execute(
            arguments: [
              key.description, key.credential, key.candidate, key.attempt, decision.submission.version,
              decision.submission.path, decision.submission.submitted, seen, decision.submission.candidate.name,
            ])
          try db.cachedStatement(sql: "DELETE FROM waiting WHERE submission_key = ?").execute(
            arguments: [key.description])
          for item in waiting[key] ?? [] {
            try db.cachedStatement(sql: Self.insertWaiting).execute(
              arguments: [key.description, item.criterion, item.title, item.reviewers])
          }
          try db.cachedStatement(sql: Self.insertDecision).execute(
            arguments: [
              key.description, decision.outcome.rawValue, decision.total.points, decision.total.maximum,
              decision.credential.id, decision.credential.version, decision.credential.rubricSHA256, decision.gradedAt,
              report, recorded.reviewsSeen, decision.submission.manifestSHA256, decision.engineVersion,
              recorded.rubricAssetsSHA256, decision.attempts?.evidenceSHA256, decision.attempts?.identicalTo,
              recorded.attemptsBasis,
            ])
          let decisionID = db.lastInsertedRowID
          let attempt = recorded.attempt
          for (position, result) in decision.criteria.enumerated() {
            let past = attempt?.criterion(result.criterion)
            try db.cachedStatement(sql: Self.insertDecisionCriterion).execute(
              arguments: [
                decisionID, position, result.criterion, result.status.rawValue, result.level, result.points,
                past?.definition, past?.ownLevel, past?.ownScore, past?.carriedFrom,
              ])
          }
        }
      }
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  public func resumeState(_ submission: SubmissionKey, wanted: (DecisionHeader) -> Bool) throws -> ResumeState {
    try read { db in
      let key = submission.description
      let watermark =
        try Int64.fetchOne(
          db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) FROM review WHERE submission_key = ?"), arguments: [key])
        ?? 0
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(
            sql: """
            SELECT id, outcome, rubric_sha256, manifest_sha256, engine_version, reviews_seen, rubric_assets_sha256,
              attempts_basis
            FROM decision WHERE submission_key = ? ORDER BY graded_at DESC, id DESC LIMIT 1
            """), arguments: [key]),
        let outcome = Decision.Outcome(rawValue: row["outcome"]), let manifest = row["manifest_sha256"] as String?,
        let engine = row["engine_version"] as String?, let reviewsSeen = row["reviews_seen"] as Int64?,
        wanted(
          DecisionHeader(
            outcome: outcome, rubricSHA256: row["rubric_sha256"],
            rubricAssetsSHA256: row["rubric_assets_sha256"] as String? ?? "", manifestSHA256: manifest,
            engineVersion: engine, reviewsSeen: reviewsSeen,
            attemptsBasis: row["attempts_basis"] as String? ?? "")),
        let report = try String.fetchOne(
          db.cachedStatement(sql: "SELECT report FROM decision WHERE id = ?"), arguments: [row["id"] as Int64]),
        let decision = try? JSONDecoder().decode(Decision.self, from: Data(report.utf8))
      else { return ResumeState(reviewWatermark: watermark, latest: nil) }
      return ResumeState(
        reviewWatermark: watermark,
        latest: RecordedDecision(
          decision, reviewsSeen: reviewsSeen,
          rubricAssetsSHA256: row["rubric_assets_sha256"] as String? ?? "",
          json: Data(report.utf8)))
    }
  }

  public func attempts(credential: String?, candidate: String) throws -> [AttemptRecord] {
    try read { db in
      let decisions = try Row.fetchAll(
        db,
        sql: """
          SELECT d.id, d.outcome, d.rubric_sha256, d.evidence_sha256, d.identical_to, s.credential, s.attempt
          FROM decision AS d JOIN submission AS s ON s.key = d.submission_key
          WHERE (? IS NULL OR s.credential = ?) AND s.candidate = ?
            AND d.id = (SELECT latest.id FROM decision AS latest WHERE latest.submission_key = d.submission_key
                        ORDER BY latest.graded_at DESC, latest.id DESC LIMIT 1)
          ORDER BY s.credential, s.attempt
          """, arguments: [credential, credential, candidate])
      return try decisions.map { row in
        let criteria = try Row.fetchAll(
          db, sql: "SELECT * FROM decision_criterion WHERE decision_id = ? ORDER BY position",
          arguments: [row["id"] as Int64])
        return AttemptRecord(
          credential: row["credential"], attempt: row["attempt"],
          outcome: Decision.Outcome(rawValue: row["outcome"]) ?? .error, rubricSHA256: row["rubric_sha256"],
          evidenceSHA256: row["evidence_sha256"], identicalTo: row["identical_to"],
          criteria: criteria.map { criterion in
            AttemptRecord.Criterion(
              criterion: criterion["criterion"], definition: criterion["definition"],
              status: Verdict.Status(rawValue: criterion["status"]) ?? .error, level: criterion["level"],
              ownLevel: criterion["own_level"], ownScore: criterion["own_score"],
              carriedFrom: criterion["carried_from"])
          })
      }
    }
  }

  public func record(_ refusal: Refusal) throws {
    try write { db in
      try db.execute(
        sql: Self.insertRefusal,
        arguments: [
          refusal.submission.description, refusal.submission.credential, refusal.submission.candidate,
          refusal.submission.attempt, refusal.reason, refusal.recordedAt, refusal.submission.description,
          refusal.reason,
        ])
    }
  }

  /// A refusal, unless the same attempt was refused for the same reason already: arguments are the
  /// six columns, then the submission key and the reason again.
  static let insertRefusal = """
    INSERT INTO refusal (submission_key, credential, candidate, attempt, reason, recorded_at)
    SELECT ?, ?, ?, ?, ?, ?
    WHERE NOT EXISTS (SELECT 1 FROM refusal WHERE submission_key = ? AND reason = ?)
    """

  public func refusals(credential: String?, candidate: String) throws -> [Refusal] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM refusal WHERE (? IS NULL OR credential = ?) AND candidate = ? ORDER BY id
          """, arguments: [credential, credential, candidate]
      ).map { row in
        Refusal(
          submission: SubmissionKey(credential: row["credential"], candidate: row["candidate"], attempt: row["attempt"]),
          reason: row["reason"], recordedAt: row["recorded_at"])
      }
    }
  }

  public func recordIssued(_ credential: IssuedCredential, statusBase: String?) throws -> IssuedCredential {
    try write { db in
      var issued = credential
      if let statusBase {
        let token = try String.fetchOne(db, sql: "SELECT token FROM ledger_token") ?? "0"
        let capacity = BitstringStatusList.capacity
        var number = 1
        while issued.status == nil {
          let list = "\(statusBase)\(token)-\(number).jwt"
          let used =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM issued_credential WHERE status_list = ?", arguments: [list])
            ?? 0
          if used < capacity / 2 {
            var index = Int.random(in: 0..<capacity)
            while try Bool.fetchOne(
              db, sql: "SELECT EXISTS (SELECT 1 FROM issued_credential WHERE status_list = ? AND status_index = ?)",
              arguments: [list, index]) == true
            {
              index = Int.random(in: 0..<capacity)
            }
            issued.status = .init(list: list, index: index)
          }
          number += 1
        }
      }
      try db.execute(
        sql: """
          INSERT INTO issued_credential (id, submission_key, credential, candidate, attempt, issuer, issued_at,
            status_list, status_index)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          issued.id, issued.submission.description, issued.submission.credential, issued.submission.candidate,
          issued.submission.attempt, issued.issuer, issued.issuedAt, issued.status?.list, issued.status?.index,
        ])
      return issued
    }
  }

  static func issuedCredential(_ row: Row) -> IssuedCredential {
    var issued = IssuedCredential(
      id: row["id"],
      submission: SubmissionKey(credential: row["credential"], candidate: row["candidate"], attempt: row["attempt"]),
      issuer: row["issuer"], issuedAt: row["issued_at"])
    if let list: String = row["status_list"], let index: Int = row["status_index"] {
      issued.status = .init(list: list, index: index)
    }
    issued.revokedAt = row["revoked_at"]
    issued.revocationReason = row["revocation_reason"]
    return issued
  }

  public func issued(id: String) throws -> IssuedCredential? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM issued_credential WHERE id = ?", arguments: [id])
        .map(Self.issuedCredential)
    }
  }

  public func revocable(issuer: String) throws -> [IssuedCredential] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM issued_credential WHERE issuer = ? AND status_list IS NOT NULL ORDER BY id",
        arguments: [issuer]
      ).map(Self.issuedCredential)
    }
  }

  public func revoke(id: String, reason: String, at time: String) throws -> IssuedCredential? {
    try write { db in
      try db.execute(
        sql: "UPDATE issued_credential SET revoked_at = ?, revocation_reason = ? WHERE id = ? AND revoked_at IS NULL",
        arguments: [time, reason, id])
      return try Row.fetchOne(db, sql: "SELECT * FROM issued_credential WHERE id = ?", arguments: [id])
        .map(Self.issuedCredential)
    }
  }

  public func queue(for reviewer: String?) throws -> [QueueItem] {
    try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT w.submission_key, w.criterion, w.title, w.reviewers, s.path, s.submitted, s.credential, s.candidate,
            s.attempt,
            (SELECT COUNT(*) FROM review AS r WHERE r.submission_key = w.submission_key AND r.criterion = w.criterion
               AND r.kind = 'review' AND \(Self.isCurrent("r")))
              AS reviews_in,
            (SELECT COUNT(*) FROM review AS r WHERE r.submission_key = w.submission_key AND r.criterion = w.criterion
               AND r.reviewer = ?) AS mine,
            (SELECT COUNT(*) FROM review AS r WHERE r.submission_key = w.submission_key AND r.criterion = w.criterion
               AND r.kind = 'adjudication') AS rulings,
            (SELECT d.outcome FROM decision AS d WHERE d.submission_key = w.submission_key
               ORDER BY d.id DESC LIMIT 1) AS outcome
          FROM waiting AS w JOIN submission AS s ON s.key = w.submission_key
          ORDER BY s.submitted, s.key, w.criterion
          """, arguments: [reviewer ?? ""])
      return rows.compactMap { row -> QueueItem? in
        if reviewer != nil, (row["mine"] as Int) > 0 { return nil }
        return QueueItem(
          submission: SubmissionKey(
            credential: row["credential"], candidate: row["candidate"], attempt: row["attempt"]),
          path: row["path"], submitted: row["submitted"], criterion: row["criterion"], title: row["title"],
          reviewersNeeded: row["reviewers"], reviewsIn: row["reviews_in"], decision: row["outcome"],
          needsAdjudication: (row["reviews_in"] as Int) >= (row["reviewers"] as Int) && (row["rulings"] as Int) == 0)
      }
    }
  }

  public func currentReviews(credential: String?) throws -> [ReviewRecord] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM review AS r
          WHERE r.kind = 'review' AND (? IS NULL OR substr(r.submission_key, 1, length(?) + 1) = ? || '/')
            AND \(Self.isCurrent("r"))
          ORDER BY r.submission_key, r.criterion, r.id
          """, arguments: [credential, credential, credential]
      ).map(Self.record)
    }
  }

  public func allReviews(credential: String?) throws -> [ReviewRecord] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM review
          WHERE (? IS NULL OR substr(submission_key, 1, length(?) + 1) = ? || '/')
          ORDER BY id
          """, arguments: [credential, credential, credential]
      ).map(Self.record)
    }
  }

  public func gradebook(credential: String?) throws -> [GradebookRow] {
    try read { db in
      let decisions = try Row.fetchAll(
        db,
        sql: """
          SELECT d.*, s.candidate_name, s.credential, s.candidate, s.attempt
          FROM decision AS d JOIN submission AS s ON s.key = d.submission_key
          WHERE d.id = (SELECT latest.id FROM decision AS latest WHERE latest.submission_key = d.submission_key
                        ORDER BY latest.graded_at DESC, latest.id DESC LIMIT 1)
            AND (? IS NULL OR s.credential = ?)
          ORDER BY s.credential, s.candidate, s.attempt
          """, arguments: [credential, credential])
      return try decisions.map { row in
        let criteria = try Row.fetchAll(
          db, sql: "SELECT * FROM decision_criterion WHERE decision_id = ? ORDER BY position",
          arguments: [row["id"] as Int64])
        var levels: [String: String] = [:]
        for criterion in criteria {
          let status: String = criterion["status"]
          levels[criterion["criterion"]] = status == "scored" ? (criterion["level"] as String? ?? "") : status
        }
        return GradebookRow(
          submission: SubmissionKey(
            credential: row["credential"], candidate: row["candidate"], attempt: row["attempt"]),
          candidateName: row["candidate_name"], version: row["rubric_version"], outcome: row["outcome"],
          points: row["points"], maximum: row["maximum"], gradedAt: row["graded_at"], criteria: levels,
          criterionOrder: criteria.map { $0["criterion"] })
      }
    }
  }

  /// How many records the ledger holds.
  public struct Counts: Sendable, Hashable {
    public var submissions: Int
    /// Decision records (a submission graded twice has two).
    public var decisions: Int
    /// Submissions with at least one decision.
    public var decided: Int
    public var reviews: Int
  }

  /// How many records the ledger holds.
  public func counts() throws -> Counts {
    try read { db in try Self.counts(in: db) }
  }

  private static func counts(in db: Database) throws -> Counts {
    func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
    return Counts(
      submissions: try count("SELECT COUNT(*) FROM submission"), decisions: try count("SELECT COUNT(*) FROM decision"),
      decided: try count("SELECT COUNT(DISTINCT submission_key) FROM decision"),
      reviews: try count("SELECT COUNT(*) FROM review"))
  }

  /// Folds the write-ahead log into the ledger file and empties it (`wal_checkpoint(TRUNCATE)`), so
  /// that the one file holds everything when a command ends: a CI job that keeps only
  /// `ledger.sqlite` as an artifact (the documented workflow does) loses nothing, even when the
  /// process ends before SQLite would have checkpointed on its own. While another process still
  /// uses the ledger the checkpoint cannot finish and is left to the last one: not an error.
  public func checkpoint() throws {
    do {
      try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
      return
    } catch {
      throw Self.failure(error, path: path)
    }
  }

  /// SQLite's own check of the file (`PRAGMA integrity_check`): "ok" when sound.
  public func integrityCheck() throws -> String {
    try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
  }
}

/// Reviews for the `reviewer` evaluator, from the ledger.
public struct LedgerReviewSource: ReviewSource {
  public let ledger: any Ledger

  public init(ledger: any Ledger) {
    self.ledger = ledger
  }

  public func reviews(for submission: Submission, criterion: String) async throws -> [Review] {
    try ledger.current(SubmissionKey(submission), criterion: criterion).map {
      Review(
        reviewer: $0.reviewer, criterion: $0.criterion, level: $0.level, feedback: $0.feedback ?? $0.reason,
        adjudicated: $0.kind == .adjudication)
    }
  }
}

extension SQLiteLedger: SuiteCache {
  public func cachedSuite(_ key: String) -> Data? {
    try? read { db in
      try String.fetchOne(db, sql: "SELECT suite FROM python_suite WHERE key = ?", arguments: [key]).map {
        Data($0.utf8)
      }
    }
  }

  public func cacheSuite(_ key: String, _ suite: Data) {
    _ = try? write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO python_suite (key, suite, made_at) VALUES (?, ?, ?)",
        arguments: [key, String(decoding: suite, as: UTF8.self), Self.now()])
    }
  }
}
