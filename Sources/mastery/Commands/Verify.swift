import ArgumentParser
import Foundation
import MasteryKit

struct Verify: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a signed credential: signature, claims, dates, structure, and optionally the files it names.",
    discussion: """
      The key is read from --key: a JWK, a JWKS, a PEM public key, or a DID document. Without --key, a credential \
      signed by a did:key is checked with the key its DID is (resolved offline); keys are never fetched. \
      Exits 0 when the credential is valid, 3 when anything is wrong (each problem on its own line), 64 when no \
      key is given and the credential's key is not a did:key.
      """)

  @Argument(
    help: "The credential: a VC-JWT file, as `mastery issue` writes it, or a badge with one baked in (PNG or SVG).",
    completion: .file())
  var credential: String

  @Option(
    help: "The issuer's public key: a JWK (public-key.jwk), a JWKS (jwks.json), PEM, or a DID document (did.json).",
    completion: .file())
  var key: String?

  @Option(help: "The submission folder: hash every evidence file the credential names again.", completion: .directory)
  var evidence: String?

  @Option(
    name: .customLong("status-list"),
    help:
      "The issuer's status list credential the credential names, or the folder `mastery keys publish` wrote (the list is found by its URL's path).",
    completion: .file())
  var statusList: String?

  @Option(help: "An e-mail address, local id or DID: check that the credential was issued to it (hashed identities too).")
  var recipient: String?

  func run() async throws {
    let keys: KeySet
    let text: String
    do {
      guard let data = FileManager.default.contents(atPath: credential), data.count < 16 << 20 else {
        throw ValidationErrorMessage("\(credential): cannot read the credential")
      }
      // A baked badge (PNG or SVG) carries the credential inside.
      if BakedBadge.format(of: data) != nil {
        guard let inside = BakedBadge.credential(in: data) else {
          throw ValidationErrorMessage("\(credential): a badge image with no credential baked in")
        }
        text = inside
      } else {
        text = String(decoding: data, as: UTF8.self)
      }
      if let key {
        keys = try KeySet.read(key)
      } else if let kid = CredentialVerifier.kid(of: text), kid.hasPrefix("did:key:") {
        keys = try KeySet.resolve(didKey: kid)
      } else {
        let kid = CredentialVerifier.kid(of: text) ?? "(none)"
        throw ValidationError(
          "\(credential) is signed with key \(kid), not a did:key: give the issuer's key with --key (its JWKS, DID document, JWK or PEM); keys are never fetched"
        )
      }
    } catch let usage as ValidationError {
      throw usage
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    let list: String?
    do {
      list = try statusList.map { try Self.readStatusList($0, for: text) }
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
    let now = Date()
    let (failures, summary) = CredentialVerifier(keys: keys, now: now).verify(
      text, submission: evidence, statusList: list, recipient: recipient)
    guard failures.isEmpty, let summary else {
      for failure in failures { Output.error("\(credential): invalid: \(failure)") }
      throw ExitStatus.invalidInput.exitCode
    }
    var lines = [
      "\(credential): valid",
      "  \(summary.name), earned by \(summary.subject)",
      "  issued by \(summary.issuer), signed with \(summary.signedWith)"
        + (summary.keyNamesIssuer ? "" : " (the key given names no issuer: that it is the issuer's is yours to know)"),
      "  valid from \(summary.validFrom)" + (summary.validUntil.map { " until \($0)" } ?? ", no expiry"),
    ]
    if evidence != nil { lines.append("  \(summary.filesChecked) evidence files match their SHA-256") }
    if let recipient, let match = summary.recipientMatch { lines.append("  issued to \(recipient): \(match)") }
    lines.append("  " + summary.status)
    Output.write(lines.joined(separator: "\n") + "\n")
  }

  /// The status list credential: the file given, or, in a folder, the file at the path of the URL
  /// the credential names.
  static func readStatusList(_ path: String, for credential: String) throws -> String {
    var isFolder: ObjCBool = false
    var file = path
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      guard let url = CredentialVerifier.statusList(of: credential), let listPath = URL(string: url)?.path,
        listPath.count > 1
      else { throw ValidationErrorMessage("\(path): the credential names no status list to look for in it") }
      file = (path as NSString).appendingPathComponent(String(listPath.dropFirst()))
    }
    guard let data = FileManager.default.contents(atPath: file), data.count < 16 << 20 else {
      throw ValidationErrorMessage("\(file): cannot read the status list")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
