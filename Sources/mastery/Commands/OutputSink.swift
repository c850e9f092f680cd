import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a streamed report goes: standard output, or a file that appears
/// whole (written beside it under a temporary name, then renamed) only when
/// the run finishes.
final class OutputSink {
  private let handle: FileHandle
  private let path: String?
  private let temporary: String?
  private var pending = Data()

  init(path: String?) throws {
    self.path = path
    guard let path else {
      handle = FileHandle.standardOutput
      temporary = nil
      return
    }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw ValidationErrorMessage("cannot write \(path): it is a folder; name a file")
    }
    let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
    guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
      throw ValidationErrorMessage("cannot write \(path): its folder does not exist or is not writable")
    }
    self.temporary = temporary
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
  }

  /// Buffers and writes in large pieces (one write per report is slow for many small ones).
  func write(_ text: String) {
    pending.append(contentsOf: text.utf8)
    if pending.count >= 64 * 1024 { flush() }
  }

  private func flush() {
    guard !pending.isEmpty else { return }
    handle.write(pending)
    pending.removeAll(keepingCapacity: true)
  }

  /// A sink for `path`, or exit status 3 after saying why it cannot be written.
  static func opening(_ path: String?) throws -> OutputSink {
    do {
      return try OutputSink(path: path)
    } catch {
      Output.error("error: \(error)")
      throw ExitStatus.invalidInput.exitCode
    }
  }

  /// The file being written until `finish` renames it, if any.
  var unfinishedPath: String? { temporary }

  func finish() throws {
    flush()
    guard let path, let temporary else { return }
    try handle.close()
    // rename(2) replaces a file in one step, and never a folder.
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw ValidationErrorMessage("cannot write \(path): \(reason)")
    }
  }
}

/// A message-only error for problems found while running.
struct ValidationErrorMessage: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) {
    self.description = description
  }
}
