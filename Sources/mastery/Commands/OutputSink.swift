import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where a streamed report goes: standard output, or `--output FILE`.
///
/// A new or regular file appears whole: it is written beside the target under a temporary name
/// and renamed over it only when the run finishes. Anything else that exists at the path (a
/// device such as `/dev/null`, a FIFO, a symbolic link) is opened and written through, as a
/// shell's `>` would, never replaced.
final class OutputSink {
  private let descriptor: Int32
  private let path: String?
  private let temporary: String?
  private var pending: [UInt8] = []
  private var finished = false

  init(path: String?) throws {
    self.path = path
    guard let path else {
      descriptor = STDOUT_FILENO
      temporary = nil
      return
    }
    guard !path.isEmpty else { throw ValidationErrorMessage("--output needs a file name") }
    var info = stat()
    let exists = lstat(path, &info) == 0
    let type = info.st_mode & S_IFMT
    if exists, type == S_IFDIR {
      throw ValidationErrorMessage("cannot write \(path): it is a folder; name a file")
    }
    if exists, type != S_IFREG {
      let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
      guard descriptor >= 0 else {
        throw ValidationErrorMessage("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      self.descriptor = descriptor
      temporary = nil
      return
    }
    let temporary = path + ".partial-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      let reason = errno == ENOENT ? "its folder does not exist" : String(cString: strerror(errno))
      throw ValidationErrorMessage("cannot write \(path): \(reason)")
    }
    self.descriptor = descriptor
    self.temporary = temporary
  }

  /// A run that ends before `finish` (an error, an early exit status) leaves no temporary file.
  deinit {
    guard !finished, path != nil else { return }
    close(descriptor)
    discard()
  }

  /// Where failures are reported: the file named, or standard output.
  private var destination: String { path ?? "standard output" }

  /// Buffers and writes in large pieces (one write per report is slow for many small ones).
  ///
  /// - Throws: `OutputFailure` when the bytes cannot be written; the temporary file is removed.
  func write(_ text: String) throws {
    pending.append(contentsOf: text.utf8)
    if pending.count >= 64 * 1024 { try flush() }
  }

  private func flush() throws {
    guard !pending.isEmpty else { return }
    let code = pending.withUnsafeBytes { Output.writeAll($0, to: descriptor) }
    pending.removeAll(keepingCapacity: true)
    if code != 0 {
      discard()
      throw OutputFailure(destination: destination, code: code)
    }
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

  /// Removes the unfinished temporary file, if any (a failed or interrupted run leaves nothing).
  func discard() {
    if let temporary { unlink(temporary) }
  }

  /// Writes what is buffered and puts the file in place.
  ///
  /// - Throws: `OutputFailure` when the last bytes cannot be written or the file cannot be closed or renamed.
  func finish() throws {
    try flush()
    guard let path, !finished else { return }
    finished = true
    let closed = close(descriptor) == 0 ? 0 : errno
    guard let temporary else {
      try OutputFailure.check(closed, destination: path)
      return
    }
    if closed != 0 {
      discard()
      throw OutputFailure(destination: path, code: closed)
    }
    // rename(2) replaces a regular file in one step, and never a folder.
    guard rename(temporary, path) == 0 else {
      let code = errno
      discard()
      throw OutputFailure(destination: path, code: code)
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
