extension RecordedDecision {
  /// Whether this recorded decision still decides the submission as it is now, so a resumed batch
  /// may report it again instead of grading.
  ///
  /// Only a final decision (earned or not yet) stands, and only when nothing it rests on has
  /// changed: the rubric file (its SHA-256, so a new version or an edit both count), the manifest,
  /// every evidence file and checklist attachment (path and SHA-256), the reviews of the
  /// submission, and the engine's version. Pending and grader-error decisions are always graded again.
  ///
  /// - Parameters:
  ///   - submission: the submission as loaded now.
  ///   - rubricSHA256: the SHA-256 of the rubric it is graded against now.
  ///   - manifestSHA256: the manifest's SHA-256 now.
  ///   - evidence: the evidence as resolved (and hashed) now.
  ///   - reviewsSeen: the review watermark now.
  ///   - resolver: hashes checklist attachments again.
  public func stands(
    for submission: Submission, rubricSHA256: String, manifestSHA256: String, evidence: [ResolvedEvidence],
    reviewsSeen: Int64, resolver: EvidenceResolver
  ) -> Bool {
    guard decision.outcome == .earned || decision.outcome == .notYet,
      decision.engineVersion == MasteryVersion.current,
      decision.credential.rubricSHA256 == rubricSHA256,
      decision.submission.manifestSHA256 == manifestSHA256,
      self.reviewsSeen == reviewsSeen
    else { return false }
    func identity(_ file: EvidenceFile) -> String { file.item + "\u{0}" + file.path + "\u{0}" + file.sha256 }
    let attachmentPrefix = "check:"
    let recordedItems = Set(decision.evidence.filter { !$0.item.hasPrefix(attachmentPrefix) }.map(identity))
    let currentItems = Set(evidence.flatMap(\.files).map(identity))
    guard recordedItems == currentItems else { return false }
    return decision.evidence.filter { $0.item.hasPrefix(attachmentPrefix) }.allSatisfy { recorded in
      guard case .success(let file) = resolver.attachment(recorded.path, in: submission, label: recorded.item) else {
        return false
      }
      return file.sha256 == recorded.sha256
    }
  }
}
