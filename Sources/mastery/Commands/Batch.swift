import ArgumentParser
import Dispatch
import Foundation
import MasteryKit

#if canImport(Glibc)
import Glibc
#endif

struct Batch: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Grade every submission below a folder: in parallel, resumable, with progress and a summary.",
    discussion: """
      Each decision is written to the ledger as it comes. Run again after an interruption (Ctrl-C, SIGTERM, a \
      killed job, a power cut), and a submission whose recorded decision is earned or not yet and whose rubric \
      file, manifest, evidence files, reviews and engine version are all unchanged is reported from the ledger \
      instead of being graded again; --regrade grades everything. The summary table goes to standard output \
      (to standard error when the report does). Exit codes as for `mastery grade`.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case summary, text, json, junit, markdown, github, html
  }

  @Argument(help: "The folder searched for submissions (or several folders or submissions).", completion: .directory)
  var submissions: [String]

  @Option(
    help: "Report: summary (the table only), text, json, junit, markdown, github (workflow annotations), or html.")
  var format: Format = .summary

  @Option(help: "Write the report to this file instead of standard output.", completion: .file())
  var output: String?

  @Flag(help: "Grade every submission again, even those whose recorded decision still stands.")
  var regrade = false

  @Flag(name: .customLong("no-progress"), help: "Show no progress while grading.")
  var noProgress = false

  @Option(help: "Write each submission's feedback page (HTML) into this folder.", completion: .directory)
  var html: String?

  @Flag(help: "Issue a signed Open Badges 3.0 credential for every earned decision (needs --key).")
  var issue = false

  @Option(help: "With --issue: the private signing key (signing-key.jwk).", completion: .file())
  var key: String?

  @Option(help: "With --issue: the folder credentials are written to.", completion: .directory)
  var credentials: String = "credentials"

  @Option(
    name: .customLong("status-base"),
    help: "With --issue: the https URL under which the issuer hosts its revocation status lists (see `mastery issue`).")
  var statusBase: String?

  func validate() throws {
    if let statusBase, !IssuedCredential.isStatusBase(statusBase) {
      throw ValidationError("--status-base takes an https URL ending in /, such as https://pd.example.org/status/")
    }
    if issue, key == nil { throw ValidationError("--issue needs --key, the private signing key") }
    if !issue, key != nil { throw ValidationError("--key is for --issue; add --issue to issue credentials") }
  }

  @OptionGroup var options: GradingOptions

  func run() async throws {
    let sink = try OutputSink.opening(format == .summary ? nil : output)
    let issuer = try issue ? CredentialIssuer(key: signingKey()) : nil
    if issuer != nil {
      do {
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
      } catch {
        Output.error("error: cannot create \(credentials): \(error.localizedDescription)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
    var issued = 0
    if let html {
      do {
        try FileManager.default.createDirectory(atPath: html, withIntermediateDirectories: true)
      } catch {
        Output.error("error: cannot create \(html): \(error.localizedDescription)")
        throw ExitStatus.invalidInput.exitCode
      }
    }
    let run = try await options.prepare(submissions)
    let interruption = Interruption(unfinishedOutput: sink.unfinishedPath)
    defer { interruption.cancel() }
    var writer = GradeFormat(rawValue: format.rawValue)?.writer(colour: false)
    var summary = BatchSummary()
    var progress = ProgressDisplay(total: run.paths.count, enabled: !noProgress)
    var statuses = Set<Int32>()
    var markdown = MarkdownSummaryWriter()
    var stepSummary = StepSummary.path == nil ? "" : markdown.begin()
    do {
      if let text = writer?.begin() { try sink.write(text) }
      try await run.session.grade(
        run.paths, jobs: run.jobs, ledger: run.store, reuse: !regrade, finished: { try await run.record($0) }
      ) { item in
        statuses.insert(item.report.exitStatus)
        summary.add(item)
        if let text = writer?.write(item.report) { try sink.write(text) }
        if StepSummary.path != nil { stepSummary += markdown.write(item.report) }
        // The credential first, so the page names it only once it exists.
        var credential: HTMLFeedbackPage.IssuedCredential?
        if let issuer, case .decided(let decision) = item.report, decision.outcome == .earned {
          credential = try issueCredential(decision, with: issuer, catalog: run.session.catalog, ledger: run.store)
          if credential != nil { issued += 1 }
        }
        if let html { try writePage(item.report, issued: credential, into: html) }
        progress.update(summary)
      }
      try await run.flush()
      if let text = writer?.end() { try sink.write(text) }
      try sink.finish()
    } catch {
      // A report, page or credential that could not be written stops the batch; what was graded is kept.
      try? await run.writer.finish()
      if let failure = error as? OutputFailure {
        Output.error("error: \(failure)")
        throw ExitStatus.graderError.exitCode
      }
      throw error
    }
    progress.finish()
    let table = summary.table(seconds: progress.elapsed)
    let issuedLine = issuer == nil ? "" : "\n\(issued) credential\(issued == 1 ? "" : "s") issued in \(credentials)\n"
    if writer == nil || output != nil { Output.write(table + issuedLine) } else { Output.error(table + issuedLine) }
    if StepSummary.path != nil { StepSummary.append(stepSummary + markdown.end()) }
    let status = options.exitStatus(statuses)
    if status != 0 { throw ExitCode(status) }
  }
}

extension Batch {
  /// The signing key, or exit 3 saying why it cannot sign.
  func signingKey() throws -> IssuerKey {
    do {
      let signingKey = try IssuerKey.read(key ?? "")
      guard signingKey.canSign else { throw IssuerKey.KeyError.noPrivateKey(path: key ?? "") }
      return signingKey
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
  }

  /// CREDENTIAL-CANDIDATE-ATTEMPT, safe as a file name.
  static func fileName(_ decision: Decision) -> String {
    [decision.credential.id, decision.submission.candidate.id, String(decision.submission.attempt)].map(safe)
      .joined(separator: "-")
  }

  /// Letters, digits, '-' and '.' kept; anything else (a '/', a space) becomes '_'.
  static func safe(_ text: String) -> String {
    String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
  }

  /// Writes a submission's feedback page to FOLDER/CREDENTIAL-CANDIDATE-ATTEMPT.html (invalid ones by folder name).
  func writePage(_ report: GradeReport, issued: HTMLFeedbackPage.IssuedCredential?, into folder: String) throws {
    let name: String
    switch report {
    case .decided(let decision): name = Self.fileName(decision)
    case .invalid(let invalid):
      name =
        "invalid-" + Self.safe((invalid.path as NSString).lastPathComponent)
    }
    var page = HTMLFeedbackPage()
    let text = page.begin() + page.write(report, issued: issued) + page.end()
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name + ".html")))
    } catch {
      Output.error("error: cannot write the feedback page \(name).html: \(error.localizedDescription)")
      throw ExitStatus.graderError.exitCode
    }
  }

  /// Writes the credential of an earned decision to CREDENTIAL-CANDIDATE-ATTEMPT.jwt; returns it,
  /// or nil when the decision's rubric is not in the catalog.
  func issueCredential(
    _ decision: Decision, with issuer: CredentialIssuer, catalog: RubricCatalog, ledger: any Ledger
  ) throws -> HTMLFeedbackPage.IssuedCredential? {
    guard let rubric = catalog.rubric(id: decision.credential.id, version: decision.credential.version) else {
      return nil
    }
    let file = Self.fileName(decision) + ".jwt"
    do {
      let (_, jwt) = try issuer.issue(decision, rubric: rubric, ledger: ledger, statusBase: statusBase)
      try Data((jwt + "\n").utf8).write(
        to: URL(fileURLWithPath: (credentials as NSString).appendingPathComponent(file)))
      return HTMLFeedbackPage.IssuedCredential(file: file)
    } catch {
      Output.error("error: cannot issue the credential of \(decision.submission.candidate.display): \(error)")
      throw ExitStatus.graderError.exitCode
    }
  }
}

/// Stops a batch at once on Ctrl-C or SIGTERM: what the ledger holds stays (a
/// rerun resumes from it), a half-written report file is removed, and the
/// sandboxed runs die with the process. Exits 130 or 143, as shells expect.
private final class Interruption {
  private let sources: [any DispatchSourceSignal]

  init(unfinishedOutput: String?) {
    sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if let unfinishedOutput { unlink(unfinishedOutput) }
        Output.error(
          "\nmastery batch: interrupted; every decision already recorded stays in the ledger, and running the same command again resumes"
        )
        _exit(128 + number)
      }
      source.resume()
      return source
    }
  }

  func cancel() {
    for source in sources { source.cancel() }
  }
}
