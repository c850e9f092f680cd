import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where commands write: results to standard output, messages for people to standard error.
///
/// A result that cannot be written (a full disk, `/dev/full`, a pipe whose reader has gone with
/// SIGPIPE ignored) ends the command with one line on standard error and exit status 4, never a
/// crash: see `OutputFailure`.
enum Output {
  /// Writes a result to standard output, or ends the command (status 4) when it cannot.
  static func write(_ text: String) {
    let code = writeAll(text, to: STDOUT_FILENO)
    if code != 0 { fail(OutputFailure(destination: "standard output", code: code)) }
  }

  /// Writes a message line to standard error; a message that cannot be written is dropped.
  static func error(_ line: String) {
    _ = writeAll(line + "\n", to: STDERR_FILENO)
  }

  /// Writes progress text (no newline added) to standard error, dropped when it cannot be written.
  static func progress(_ text: String) {
    _ = writeAll(text, to: STDERR_FILENO)
  }

  /// Ends the command after a write failure: one line, status 4.
  static func fail(_ failure: OutputFailure) -> Never {
    error("error: \(failure)")
    exit(ExitStatus.graderError.rawValue)
  }

  /// Writes every byte of `text` to `descriptor`, retrying on interruption.
  ///
  /// - Returns: 0, or the `errno` of the write that failed.
  static func writeAll(_ text: String, to descriptor: Int32) -> Int32 {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { buffer in writeAll(UnsafeRawBufferPointer(buffer), to: descriptor) }
  }

  /// Writes every byte of `buffer` to `descriptor`, retrying on interruption.
  ///
  /// - Returns: 0, or the `errno` of the write that failed.
  static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
    guard var next = buffer.baseAddress else { return 0 }
    var left = buffer.count
    while left > 0 {
      let written = Glibc.write(descriptor, next, left)
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      next += written
      left -= written
    }
    return 0
  }
}

/// A report that could not be written: where, and why in words a person acts on.
struct OutputFailure: Error, CustomStringConvertible {
  let destination: String
  let code: Int32

  /// Throws when `code` (an `errno`, or 0 for success) says a write to `destination` failed.
  static func check(_ code: Int32, destination: String) throws {
    if code != 0 { throw OutputFailure(destination: destination, code: code) }
  }

  var description: String {
    let reason: String
    switch code {
    case ENOSPC: reason = "no space left on the device; free some space and run the command again"
    case EDQUOT: reason = "the disk quota is exhausted; free some space and run the command again"
    case EPIPE: reason = "the program reading it has closed the pipe"
    case EROFS: reason = "the file system is read-only; write the report somewhere else"
    case EIO: reason = "an input/output error on the device"
    default: reason = String(cString: strerror(code))
    }
    return "cannot write \(destination): \(reason) (what the ledger has recorded is kept)"
  }
}
