import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loads a candidate's page in headless Chromium inside the sandbox (no
/// network, an unprivileged uid, a time limit) and returns the DOM after its
/// scripts ran (`--dump-dom`), for `web` criteria with render="browser".
///
/// Chromium runs under the sandbox's own confinement with its internal sandbox off (it cannot
/// create one inside ours). Its limits differ from Python's: it reserves terabytes of address space
/// (no address-space limit; the wall limit is the backstop), runs 100+ threads, and uses shared
/// memory files.
struct BrowserRenderer {
  enum Failure: Error, Equatable {
    /// The page's fault: it did not finish loading in time, or is too large once built.
    case candidate(String)
    /// The browser or the sandbox failed: never the candidate's fault.
    case grader(String)
  }

  /// Font configuration the browser reads (text is measured without it, but differently).
  static let fontMounts = ["/etc/fonts", "/var/cache/fontconfig"]
  /// The browser's resident memory, held by the run's cgroup where the host allows (a browser
  /// reserves terabytes of address space, so there is no address-space limit: without a cgroup,
  /// the wall limit is the backstop).
  static let memoryBytes = 1 << 30

  let sandbox: any CommandSandbox
  /// The browser itself, `/usr/lib/chromium/chromium` by default (`/usr/bin/chromium` is a shell
  /// wrapper that reads /etc/chromium.d, which the sandbox does not show).
  let binary: String

  /// Why no page can be rendered here, or nil.
  func unavailable() -> String? {
    FileManager.default.isExecutableFile(atPath: binary)
      ? nil
      : "render=\"browser\" needs Chromium, which is not installed (\(binary)): install the Debian package chromium (`make browser` does)"
  }

  /// A readable copy of the evidence files for the sandbox, removed when the evaluation ends.
  struct SiteCopy: Sendable {
    /// Holds `site/`, the copy.
    let folder: String
    /// The sandbox uid that reads it (nil when runs are not confined).
    let uid: UInt32?
    let sandbox: any CommandSandbox

    /// Deletes the copy and gives its uid back.
    func remove() {
      try? FileManager.default.removeItem(atPath: folder)
      sandbox.releaseUID(uid)
    }
  }

  /// Copies `files` (absolute paths below `root`, all regular evidence files) into a new folder
  /// the sandbox's uid can read.
  func copy(_ files: Set<String>, root: String) -> Result<SiteCopy, Failure> {
    let uid = sandbox.reserveUID()
    let folder: String
    do {
      folder = try SandboxFolder.makeRunFolder(prefix: "mastery-web", group: uid)
    } catch {
      sandbox.releaseUID(uid)
      return .failure(.grader("cannot prepare the pages for the browser: \(error.localizedDescription)"))
    }
    let copy = SiteCopy(folder: folder, uid: uid, sandbox: sandbox)
    do {
      try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
      for file in files.sorted() {
        let target = folder + "/site/" + file.dropFirst(root.count + 1)
        try FileManager.default.createDirectory(
          atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: target)
      }
    } catch {
      copy.remove()
      return .failure(.grader("cannot prepare the pages for the browser: \(error.localizedDescription)"))
    }
    SandboxFolder.handOver(folder + "/site")
    return .success(copy)
  }

  /// The page's DOM after its scripts ran.
  ///
  /// - Parameters:
  ///   - page: the page's path, inside `site`.
  ///   - site: the folder `copy` was made from.
  ///   - copy: the copy the browser reads.
  ///   - timeout: the wall limit, in seconds.
  func render(_ page: String, site: String, copy: SiteCopy, timeout: Double) async -> Result<[UInt8], Failure> {
    let root = WebSite.absolute(site)
    let relative = String(WebSite.absolute(page).dropFirst(root.count)).split(separator: "/").map(String.init)
    let address =
      "file:///box/site/"
      + relative.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0 }.joined(separator: "/")
    let folder = copy.folder
    let mounts =
      [SandboxMount(source: folder + "/site", target: "/box/site")]
      + Self.fontMounts.filter { FileManager.default.fileExists(atPath: $0) }.map {
        SandboxMount(source: $0, target: $0)
      }
    let run = SandboxRun(
      command: [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--log-level=3", "--allow-file-access-from-files",
        "--virtual-time-budget=5000", "--js-flags=--max-old-space-size=512", "--dump-dom", address,
      ],
      mounts: mounts, workingDirectory: "/box/site",
      environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"],
      limits: SandboxLimits(
        wallSeconds: timeout, cpuSeconds: timeout * 2, memoryBytes: Self.memoryBytes, addressSpaceFactor: nil,
        cgroup: true, processes: 256, fileSizeBytes: 256 << 20,
        outputBytes: WebPage.sizeLimit + 1, openFiles: 1024, sharedMemoryBytes: 64 << 20),
      uid: copy.uid ?? sandbox.reserveUID())
    let result = await sandbox.run(run)
    switch result.termination {
    case .completed(0) where !result.stdout.isEmpty:
      if result.outputTruncated || result.stdout.count > WebPage.sizeLimit {
        return .failure(.candidate("the page is larger than \(WebPage.sizeLimit >> 20) MiB once its scripts ran"))
      }
      return .success(result.stdout)
    case .outputLimit:
      return .failure(.candidate("the page is larger than \(WebPage.sizeLimit >> 20) MiB once its scripts ran"))
    case .timedOut:
      return .failure(
        .candidate(
          "the page did not finish loading within \(BatchSummary.duration(timeout)) (a script that never ends, or one that uses up the browser's time)"
        ))
    case .memoryExceeded:
      return .failure(
        .candidate(
          "the page's scripts used more than the browser's \(Self.memoryBytes >> 20) MiB of memory"
            + (result.peakMemoryBytes.map { " (peak \($0 >> 20) MiB)" } ?? "")))
    case .unavailable(let reason):
      return .failure(.grader("the sandbox cannot run the browser: \(reason)"))
    default:
      let detail = Self.meaningful(result.stderr)
      return .failure(
        .grader("Chromium did not show the page (\(result.termination))" + (detail.isEmpty ? "" : ": \(detail)")))
    }
  }

  /// The browser's standard error without its routine complaints (D-Bus, crash reporter, fonts).
  static func meaningful(_ stderr: [UInt8]) -> String {
    String(decoding: stderr.suffix(4096), as: UTF8.self).split(separator: "\n").filter { line in
      !(line.hasPrefix("[") && (line.contains(":ERROR:") || line.contains(":WARNING:") || line.contains(":INFO:")))
        && !line.hasPrefix("Fontconfig error")
    }
    .suffix(3).joined(separator: " ")
  }
}
