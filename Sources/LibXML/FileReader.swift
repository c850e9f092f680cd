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
    var bytes: [UInt8] = []
    let chunk = 64 * 1024
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, chunk) }
      if count < 0 {
        if errno == EINTR { continue }
        throw MarkupError.unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      bytes.append(contentsOf: buffer[0..<count])
      if bytes.count > limit { throw MarkupError.tooLarge(path: path, limit: limit) }
    }
    return bytes
  }
}
