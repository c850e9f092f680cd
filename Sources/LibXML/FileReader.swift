#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file into memory, refusing anything larger than a cap
/// before reading it (and refusing folders and endless device files).
enum FileReader {
  static func read(_ path: String, limit: Int) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw MarkupError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw MarkupError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw MarkupError.unreadable(path: path, reason: "it is a folder, not a file")
    }
    if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit {
      throw MarkupError.tooLarge(path: path, limit: limit)
    }
    // Regular files are read straight into a buffer of their size (plus one
    // byte to notice growth); devices and pipes in chunks, up to the limit.
    let expected = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) + 1 : 64 * 1024
    var bytes: [UInt8] = []
    var failure: Int32 = 0
    while failure == 0 {
      let before = bytes.count
      let room = max(expected, before)
      var count = 0
      bytes.append(
        contentsOf: [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
          repeat {
            count = Glibc.read(descriptor, buffer.baseAddress, room)
          } while count < 0 && errno == EINTR
          if count < 0 { failure = errno }
          initialized = max(count, 0)
        })
      if failure != 0 { break }
      if count == 0 { return bytes }
      if bytes.count > limit { throw MarkupError.tooLarge(path: path, limit: limit) }
    }
    throw MarkupError.unreadable(path: path, reason: String(cString: strerror(failure)))
  }
}
