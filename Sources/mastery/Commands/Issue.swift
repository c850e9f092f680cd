import ArgumentParser
import Foundation
import MasteryKit

struct Issue: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Issue a signed Open Badges 3.0 credential for an earned decision.",
    discussion: """
      Uses the ledger's latest decision for the submission, which must be earned and must still stand for the \
      files as they are now (same rubric, manifest, evidence files and reviews). Writes the credential as a \
      VC-JWT signed with the key's algorithm, records it in the ledger, and gives it an entry in the issuer's \
      revocation status list (see `mastery revoke`). Exit codes: 0 issued; 1, 2 or 4 when the decision is not \
      yet, pending or a grader error; 3 when the submission was never graded, changed since, or cannot be read, \
      or the key cannot sign.
      """)

  @Argument(help: "The submission folder (or its manifest).", completion: .file())
  var submission: String

  @Option(help: "The private signing key (signing-key.jwk from `mastery keys generate`).", completion: .file())
  var key: String

  @Option(help: "Write the VC-JWT here instead of standard output.", completion: .file())
  var out: String?

  @Option(help: "Also write the unsigned credential (JSON-LD) here, for display.", completion: .file())
  var json: String?

  @Option(
    name: .customLong("valid-until"),
    help: "When the credential expires: an ISO 8601 time (2028-06-30T00:00:00Z) or a date (2028-06-30).")
  var validUntil: String?

  @Flag(
    name: .customLong("omit-name"),
    help: "Leave the candidate's name out of the credential (the id and e-mail address are always hashed).")
  var omitName = false

  @Option(
    help: "Also write the badge with the credential baked in (Open Badges 3.0): FILE.svg or FILE.png, as the badge is.",
    completion: .file())
  var baked: String?

  @Option(
    name: .customLong("status-base"),
    help:
      "The https URL under which the issuer hosts its revocation status lists (default: the issuer id's site and /status/; needed for another DID than did:web).")
  var statusBase: String?

  @OptionGroup var rubrics: RubricOptions
  @OptionGroup var ledger: LedgerOptions

  /// `--valid-until` as an ISO 8601 time.
  var expiry: String? {
    guard let validUntil else { return nil }
    let time = validUntil.count == 10 ? validUntil + "T00:00:00Z" : validUntil
    return ISO8601DateFormatter().date(from: time).map { _ in time }
  }

  func validate() throws {
    if let baked, !["svg", "png"].contains((baked as NSString).pathExtension.lowercased()) {
      throw ValidationError("--baked names an .svg or .png file")
    }
    if let statusBase, !IssuedCredential.isStatusBase(statusBase) {
      throw ValidationError("--status-base takes an https URL ending in /, such as https://pd.example.org/status/")
    }
    if validUntil != nil, expiry == nil {
      throw ValidationError("--valid-until takes a date (2028-06-30) or an ISO 8601 time (2028-06-30T00:00:00Z)")
    }
    // The credential is valid from when it is issued: an expiry not after that is one already past.
    if let expiry, let end = ISO8601DateFormatter().date(from: expiry), end <= Grader.environmentClock() {
      throw ValidationError(
        "--valid-until \(validUntil ?? expiry) is not after now (\(Grader.timestamp(Grader.environmentClock()))): the credential would be expired when issued")
    }
  }

  func run() async throws {
    let signingKey: IssuerKey
    do {
      signingKey = try IssuerKey.read(key)
      guard signingKey.canSign else { throw IssuerKey.KeyError.noPrivateKey(path: key) }
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    let catalog = try await RubricCatalog(folder: rubrics.rubrics, rubric: rubrics.rubric)
    let session = try GradingSession(catalog: catalog)
    let prepared: GradingSession.PreparedSubmission
    switch session.prepare(submission) {
    case .success(let ready): prepared = ready
    case .failure(let invalid):
      for finding in invalid.findings where finding.severity == .error { Output.error(finding.description) }
      Output.error("error: \(invalid.reasons.joined(separator: "; "))")
      throw ExitStatus.invalidInput.exitCode
    }
    let store = try ledger.open()
    let issuer = CredentialIssuer(key: signingKey)
    do {
      let decision = try CredentialIssuer.standingDecision(
        for: prepared, ledger: store, resolver: session.grader.context.resolver)
      let (credential, jwt) = try issuer.issue(
        decision, rubric: prepared.entry.rubric, validUntil: expiry, recipient: .init(includeName: !omitName),
        ledger: store, statusBase: statusBase)
      if let json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(credential).write(to: URL(fileURLWithPath: json))
      }
      if let out {
        try Data((jwt + "\n").utf8).write(to: URL(fileURLWithPath: out))
        Output.error(
          "issued \(credential.id): \(credential.name), to \(decision.submission.candidate.display), in \(out)"
            + (credential.credentialStatus == nil
              ? " (not revocable: give --status-base, where the issuer hosts its status lists)" : ""))
      } else {
        Output.write(jwt + "\n")
      }
      if let baked {
        guard let badge = BakedBadge.bake(jwt, credential: credential, rubric: prepared.entry.rubric) else {
          throw ValidationErrorMessage("the credential's badge is neither a PNG nor an SVG: nothing to bake it into")
        }
        let wanted = (baked as NSString).pathExtension.lowercased()
        guard wanted == badge.format.rawValue else {
          throw ValidationErrorMessage(
            "\(baked): the badge is \(badge.format.rawValue.uppercased()); name the file .\(badge.format.rawValue)")
        }
        try badge.image.write(to: URL(fileURLWithPath: baked))
      }
    } catch let refusal as CredentialIssuer.Refusal {
      Output.error("error: \(refusal)")
      throw ExitCode(refusal.exitStatus)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
  }
}
