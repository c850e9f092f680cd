import ArgumentParser
import Foundation
import MasteryKit

struct Verify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a signed credential: signature, claims, dates, structure, and optionally the files it names.",
    discussion: """
      Exits 0 when the credential is valid, 3 when anything is wrong (each problem on its own line).
      """)

  @Argument(help: "The credential (a VC-JWT file, as `mastery issue` writes it).", completion: .file())
  var credential: String

  @Option(help: "The issuer's public key (public-key.jwk, or the key document).", completion: .file())
  var key: String

  @Option(help: "The submission folder: hash every evidence file the credential names again.", completion: .directory)
  var evidence: String?

  func run() async throws {
    let publicKey: IssuerKey
    let text: String
    do {
      guard let data = FileManager.default.contents(atPath: credential), data.count < 16 << 20 else {
        throw ValidationErrorMessage("\(credential): cannot read the credential")
      }
      text = String(decoding: data, as: UTF8.self)
      publicKey = try IssuerKey.read(key, kid: CredentialVerifier.kid(of: text))
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    let now = Date()
    let (failures, summary) = CredentialVerifier(key: publicKey, now: now).verify(text, submission: evidence)
    guard failures.isEmpty, let summary else {
      for failure in failures { Output.error("\(credential): invalid: \(failure)") }
      throw ExitStatus.invalidInput.exitCode
    }
    var lines = [
      "\(credential): valid",
      "  \(summary.name), earned by \(summary.subject)",
      "  issued by \(summary.issuer), signed with \(publicKey.kid)",
      "  valid from \(summary.validFrom)" + (summary.validUntil.map { " until \($0)" } ?? ", no expiry"),
    ]
    if evidence != nil { lines.append("  \(summary.filesChecked) evidence files match their SHA-256") }
    Output.write(lines.joined(separator: "\n") + "\n")
  }
}
