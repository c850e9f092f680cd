import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The text a reviewer reads of an evidence file: the file itself when it is text, or the text
/// that a Debian tool extracts from a document (a PDF through `pdftotext`, run in the sandbox:
/// the PDF is the candidate's and the parser is large).
public enum EvidenceText {
  /// The largest text shown or extracted.
  public static let sizeLimit = 8 << 20

  /// `pdftotext` (Debian package poppler-utils), when installed.
  public static var pdfToText: String? {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") ? "/usr/bin/pdftotext" : nil
  }

  /// The file's text when it is UTF-8 text (no NUL byte) no larger than `sizeLimit`.
  public static func plainText(_ path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: sizeLimit + 1), data.count <= sizeLimit, !data.contains(0) else {
      return nil
    }
    return String(data: data, encoding: .utf8)
  }

  /// Whether the file starts as a PDF does.
  public static func isPDF(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 5)) == Data("%PDF-".utf8)
  }

  /// The text of a PDF, extracted by `pdftotext -layout` inside `sandbox`; nil when the tool is
  /// missing, the sandbox cannot run, or the extraction fails (a damaged or hostile file).
  public static func pdf(_ path: String, sandbox: any CommandSandbox) async -> String? {
    guard let tool = pdfToText else { return nil }
    let uid = sandbox.reserveUID()
    defer { sandbox.releaseUID(uid) }
    guard let folder = try? SandboxFolder.makeRunFolder(prefix: "mastery-pdf", group: uid) else { return nil }
    defer { try? FileManager.default.removeItem(atPath: folder) }
    do {
      try FileManager.default.createDirectory(atPath: folder + "/in", withIntermediateDirectories: false)
      try FileManager.default.copyItem(atPath: path, toPath: folder + "/in/evidence.pdf")
    } catch {
      return nil
    }
    SandboxFolder.handOver(folder + "/in")
    let run = SandboxRun(
      command: [tool, "-layout", "-enc", "UTF-8", "-q", "/box/in/evidence.pdf", "-"],
      mounts: [SandboxMount(source: folder + "/in", target: "/box/in")], workingDirectory: "/box/in",
      environment: ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"],
      limits: SandboxLimits(
          wallSeconds: 20, cpuSeconds: 20, memoryBytes: 1 << 30, addressSpaceFactor: 1, outputBytes: sizeLimit), uid: uid)
    let result = await sandbox.run(run)
    guard result.termination == .completed(0) else { return nil }
    return String(decoding: result.stdout, as: UTF8.self)
  }

  /// "12 KB", "3.4 MB": a file's size for people.
  public static func describeSize(_ path: String) -> String {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return ByteCountFormatter.string(fromByteCount: Int64(size), countStyle: .file)
  }
}
