import ArgumentParser
import Foundation
import MasteryKit

struct Revoke: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Revoke an issued credential: its bit in the issuer's status list is set when the list is published again.",
    discussion: """
      Records the revocation (time and reason) in the ledger that issued the credential. Verifiers learn of it \
      from the status list: run `mastery keys publish SITE` afterwards. A revocation is final, as the \
      Bitstring Status List's revocation purpose defines. Exit codes: 0 revoked (or revoked already); 3 when \
      this ledger did not issue the credential, or it was issued without a status list entry.
      """)

  @Argument(help: "The credential: its file (a VC-JWT) or its id (urn:uuid:...).", completion: .file())
  var credential: String

  @Option(help: "Why it is revoked (kept in the ledger; the status list says only that it is).")
  var reason: String

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw ValidationError("--reason needs words: why the credential is revoked")
    }
  }

  func run() async throws {
    let id: String
    if credential.hasPrefix("urn:") {
      id = credential
    } else if let data = FileManager.default.contents(atPath: credential),
      let found = CredentialVerifier.credentialID(of: String(decoding: data, as: UTF8.self))
    {
      id = found
    } else {
      Output.error("error: \(credential) is neither a credential id (urn:uuid:...) nor a credential file that names one")
      throw ExitStatus.invalidInput.exitCode
    }
    let store = try ledger.open()
    let found: IssuedCredential?
    do {
      guard let issued = try store.issued(id: id) else {
        Output.error("error: \(id) was not issued with the ledger \(ledger.path): revoke it with the ledger that issued it")
        throw ExitStatus.invalidInput.exitCode
      }
      guard issued.status != nil else {
        Output.error(
          "error: \(id) cannot be revoked: it was issued without a status list entry (its issuer's id says no site; issue with --status-base)"
        )
        throw ExitStatus.invalidInput.exitCode
      }
      if let revokedAt = issued.revokedAt {
        Output.write("\(id) was revoked already at \(revokedAt): \(issued.revocationReason ?? "")\n")
        return
      }
      found = try store.revoke(id: id, reason: reason, at: Grader.timestamp(Grader.environmentClock()))
    } catch let exit as ExitCode {
      throw exit
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.graderError.exitCode
    }
    guard let revoked = found, let status = revoked.status else { throw ExitStatus.graderError.exitCode }
    let what = "\(revoked.submission.credential), \(revoked.submission.candidate), attempt \(revoked.submission.attempt)"
    Output.write(
      """
      revoked \(id) (\(what)) at \(revoked.revokedAt ?? ""): \(revoked.revocationReason ?? reason)
        entry \(status.index) of \(status.list): publish the list again for verifiers to see it (`mastery keys publish SITE`)

      """)
  }
}
