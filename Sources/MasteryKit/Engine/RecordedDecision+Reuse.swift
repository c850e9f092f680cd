extension RecordedDecision {
  /// Whether this recorded decision still decides the submission as it is now, so a resumed batch
  /// may report it again instead of grading.
  ///
  /// Only a final decision (earned or not yet) stands, and only when nothing it rests on has
  /// changed (see `changes`). Pending and grader-error decisions are always graded again.
  public func stands(
    for submission: Submission, rubric: RubricCatalog.Entry, manifestSHA256: String, evidence: [ResolvedEvidence],
    reviewsSeen: Int64, resolver: EvidenceResolver
  ) -> Bool {
    (decision.outcome == .earned || decision.outcome == .notYet)
      && changes(
        for: submission, rubric: rubric, manifestSHA256: manifestSHA256, evidence: evidence,
        reviewsSeen: reviewsSeen, resolver: resolver
      ).isEmpty
  }

  /// What has changed since this decision was graded, in words (empty: nothing): the rubric file
  /// (its SHA-256, so a new version or an edit both count), the manifest, each evidence file and
  /// checklist attachment (path and SHA-256), the reviews of the submission, the engine's version.
  ///
  /// - Parameters:
  ///   - submission: the submission as loaded now.
  ///   - rubric: the rubric it is graded against now (its file's and its test files' SHA-256).
  ///   - manifestSHA256: the manifest's SHA-256 now.
  ///   - evidence: the evidence as resolved (and hashed) now.
  ///   - reviewsSeen: the review watermark now.
  ///   - resolver: hashes checklist attachments again.
  public func changes(
    for submission: Submission, rubric: RubricCatalog.Entry, manifestSHA256: String, evidence: [ResolvedEvidence],
    reviewsSeen: Int64, resolver: EvidenceResolver
  ) -> [String] {
    var changes: [String] = []
    if decision.engineVersion != MasteryVersion.current {
      changes.append("it was graded by mastery \(decision.engineVersion), this is \(MasteryVersion.current)")
    }
    if decision.credential.rubricSHA256 != rubric.sha256 { changes.append("the rubric file changed") }
    if rubricAssetsSHA256 != rubric.assetsSHA256 {
      changes.append("the rubric's test or reference files changed")
    }
    if decision.submission.manifestSHA256 != manifestSHA256 { changes.append("the manifest changed") }
    if self.reviewsSeen != reviewsSeen { changes.append("reviews were recorded since") }
    let attachmentPrefix = "check:"
    var recorded: [String: String] = [:]
    for file in decision.evidence where !file.item.hasPrefix(attachmentPrefix) { recorded[file.path] = file.sha256 }
    var current: [String: String] = [:]
    for file in evidence.flatMap(\.files) { current[file.path] = file.sha256 }
    for path in Set(recorded.keys).union(current.keys).sorted() {
      switch (recorded[path], current[path]) {
      case (let before?, let now?) where before != now: changes.append("\(path) changed")
      case (nil, _?): changes.append("\(path) was added")
      case (_?, nil): changes.append("\(path) was removed")
      default: break
      }
    }
    for file in decision.evidence where file.item.hasPrefix(attachmentPrefix) {
      guard case .success(let now) = resolver.attachment(file.path, in: submission, label: file.item) else {
        changes.append("\(file.path) was removed")
        continue
      }
      if now.sha256 != file.sha256 { changes.append("\(file.path) changed") }
    }
    return changes
  }
}
