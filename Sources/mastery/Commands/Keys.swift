import ArgumentParser
import Foundation
import MasteryKit

struct Keys: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make, show and publish the issuer's signing keys for Open Badges credentials.",
    subcommands: [Generate.self, Show.self, Publish.self])

  struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a new signing key.",
      discussion: """
        Writes signing-key.jwk (the private key, file mode 0600: keep it secret and backed up) and public-key.jwk \
        (for anyone who verifies). An existing key is never overwritten. RS256 (RSA 2048) is the default: every \
        Open Badges 3.0 verifier must accept it; ES256 (P-256) is also accepted by the 1EdTech validator; EdDSA \
        (Ed25519) by wallets that take it.
        """)

    @Option(
      name: .customLong("issuer-id"),
      help: "The issuer's id: an https URL (https://pd.example.org), a DID, or did:key (the new key's own did:key).")
    var issuerID: String

    @Option(help: "The signature algorithm: RS256, ES256 or EdDSA.")
    var alg: String = IssuerKey.defaultAlgorithm.rawValue

    @Option(help: "The folder the key files are written to.", completion: .directory)
    var out: String = ".mastery/keys"

    func validate() throws {
      guard SigningAlgorithm(name: alg) != nil else {
        throw ValidationError("--alg takes RS256, ES256 or EdDSA, not '\(alg)'")
      }
    }

    func run() async throws {
      do {
        let key = try IssuerKey.generate(issuerID: issuerID, algorithm: SigningAlgorithm(name: alg) ?? .rs256)
        let paths = try key.write(to: out)
        let publish =
          key.issuerID.hasPrefix("did:key:")
          ? "nothing to publish: the issuer's id is its key"
          : "publish it with `mastery keys publish SITE --key \(paths.privateKey)`"
        Output.write(
          """
          key \(key.kid) (\(key.algorithm.rawValue))
            \(paths.privateKey)   private: keep it secret (mode 0600), never commit it
            \(paths.publicKey)    public: give it to whoever verifies credentials
          \(publish)

          """)
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a key's public parts: its id, algorithm, JWK, PEM and Multikey (never the private key).")

    @Option(
      help: "The key file: signing-key.jwk, or any public key verify takes (JWK, JWKS, PEM, DID document).",
      completion: .file())
    var key: String = ".mastery/keys/signing-key.jwk"

    func run() async throws {
      do {
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        func describe(_ key: VerificationKey, kid: String?, issuer: String?, signs: Bool) throws -> String {
          var jwk = key.jwk
          if let kid { jwk["kid"] = kid }
          jwk["alg"] = key.algorithm.rawValue
          let text = String(decoding: try JSONSerialization.data(withJSONObject: jwk, options: options), as: UTF8.self)
          return """
            issuer \(issuer ?? "(not named by the file)")
            kid \(kid ?? "(none)")
            alg \(key.algorithm.rawValue)
            signs: \(signs ? "yes (private key present)" : "no (public key only)")

            public JWK:
            \(text)

            PEM:
            \(key.pem)

            Multikey: \(key.multikey)

            """
        }
        let parts: [String]
        do {
          let issuerKey = try IssuerKey.read(key)
          parts = [try describe(issuerKey.publicKey, kid: issuerKey.kid, issuer: issuerKey.issuerID, signs: true)]
        } catch IssuerKey.KeyError.noPrivateKey {
          parts = try KeySet.read(key).entries.map { try describe($0.key, kid: $0.kid, issuer: $0.issuer, signs: false) }
        }
        Output.write(parts.joined(separator: "\n"))
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
  }

  struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write what the issuer hosts so that verifiers find its keys: JWKS, DID document, key files, profile.",
      discussion: """
        SITE is the folder served as the issuer's web root. Each file is listed with the URL it must answer at. \
        Give every key the issuer has signed with (--key, repeated), so that earlier credentials stay verifiable. \
        The revocation status lists of the credentials the ledger issued are written too, signed with the first \
        key: publish again after `mastery revoke`. A did:key issuer has no keys to publish: its id is its key.
        """)

    @Argument(help: "The folder to write into (served as https://HOST/).", completion: .directory)
    var site: String

    @Option(help: "A signing key of the issuer (repeat for earlier keys).", completion: .file())
    var key: [String] = [".mastery/keys/signing-key.jwk"]

    @Option(help: "The issuer's name in its profile (default: the issuer id's host).")
    var name: String?

    @Option(help: "The issuer's home page in its profile.")
    var url: String?

    @Option(help: "The issuer's contact e-mail address in its profile.")
    var email: String?

    @OptionGroup var ledger: LedgerOptions

    func run() async throws {
      do {
        let keys = try key.map { try IssuerKey.read($0) }
        // The status lists of the credentials this ledger issued (none without a ledger).
        let issued =
          FileManager.default.fileExists(atPath: ledger.path)
          ? try ledger.openForReading().revocable(issuer: keys[0].issuerID) : []
        let files =
          try KeyPublication.files(keys: keys, name: name, url: url, email: email)
          + KeyPublication.statusLists(issued, key: keys[0], now: Grader.environmentClock())
        try KeyPublication.write(files, to: site)
        if files.isEmpty {
          Output.write("\(keys[0].issuerID) is a did:key: its id is its key, and there is nothing to publish\n")
          return
        }
        let width = files.map { (site as NSString).appendingPathComponent($0.path).count }.max() ?? 0
        let lines = files.map { file -> String in
          let path = (site as NSString).appendingPathComponent(file.path)
          return path.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            + (file.url.map { "serve at \($0)" } ?? "publish as the DID's document by its method")
        }
        Output.write(lines.joined(separator: "\n") + "\n")
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
  }
}
