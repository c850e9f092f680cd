import ArgumentParser
import Foundation
import MasteryKit

struct Keys: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make and show the issuer's signing key for Open Badges credentials.",
    subcommands: [Generate.self, Show.self])

  struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a new Ed25519 signing key.",
      discussion: """
        Writes signing-key.jwk (the private key, file mode 0600: keep it secret and backed up), public-key.jwk \
        (for anyone who verifies), and issuer-key.json (a key document to publish at the issuer id's URL, or as \
        its DID document). An existing key is never overwritten.
        """)

    @Option(
      name: .customLong("issuer-id"),
      help: "The issuer's id: an https URL (https://pd.example.org), a DID, or did:key (the new key's own did:key).")
    var issuerID: String

    @Option(help: "The folder the key files are written to.", completion: .directory)
    var out: String = ".mastery/keys"

    func run() async throws {
      do {
        let key = try IssuerKey.generate(issuerID: issuerID)
        let paths = try key.write(to: out)
        Output.write(
          """
          key \(key.kid)
            \(paths.privateKey)   private: keep it secret (mode 0600), never commit it
            \(paths.publicKey)    public: give it to whoever verifies credentials
            \(paths.keyDocument)  publish it at \(issuerID) (or as the DID document)

          """)
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a key's public parts: its id, the public JWK and the key document (never the private key).")

    @Option(help: "The key file (private or public JWK, or key document).", completion: .file())
    var key: String = ".mastery/keys/signing-key.jwk"

    func run() async throws {
      do {
        let issuerKey = try IssuerKey.read(key)
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let jwk = String(
          decoding: try JSONSerialization.data(withJSONObject: issuerKey.publicJWK, options: options), as: UTF8.self)
        let document = String(
          decoding: try JSONSerialization.data(withJSONObject: issuerKey.keyDocument, options: options), as: UTF8.self)
        Output.write(
          "issuer \(issuerKey.issuerID)\nkid \(issuerKey.kid)\nsigns: \(issuerKey.canSign ? "yes (private key present)" : "no (public key only)")\n\npublic JWK:\n\(jwk)\n\nkey document:\n\(document)\n"
        )
      } catch {
        Output.error("error: \(error)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
  }
}
