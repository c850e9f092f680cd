import CZlib
import Foundation

/// A W3C Bitstring Status List (Bitstring Status List v1.0): one bit per credential, set when it is
/// revoked; bit 0 is the most significant bit of the first byte. Written as `encodedList`: the
/// multibase base64url (`u`) of the GZIP-compressed bitstring.
public struct BitstringStatusList: Sendable, Equatable {
  /// 131,072 bits (16 KiB), the least the specification allows, so that one credential hides among many.
  public static let capacity = 131_072

  public private(set) var bytes: [UInt8]

  public init(capacity: Int = Self.capacity) {
    bytes = [UInt8](repeating: 0, count: (capacity + 7) / 8)
  }

  public var count: Int { bytes.count * 8 }

  public subscript(index: Int) -> Bool {
    get { index >= 0 && index < count && bytes[index >> 3] & (0x80 >> UInt8(index & 7)) != 0 }
    set {
      guard index >= 0, index < count else { return }
      if newValue { bytes[index >> 3] |= 0x80 >> UInt8(index & 7) } else { bytes[index >> 3] &= ~(0x80 >> UInt8(index & 7)) }
    }
  }

  /// `u` and the base64url of the GZIP of the bits.
  public var encodedList: String {
    "u" + Base64URL.encode(Gzip.compress(Data(bytes)) ?? Data())
  }

  /// Reads an `encodedList`; nil when it is not multibase base64url of GZIP, or would unpack to
  /// more than 16 MiB (134 million credentials).
  public init?(encodedList: String) {
    guard encodedList.hasPrefix("u"), let packed = Base64URL.decode(encodedList.dropFirst()),
      let unpacked = Gzip.decompress(packed, limit: 16 << 20), !unpacked.isEmpty
    else { return nil }
    bytes = [UInt8](unpacked)
  }
}

/// GZIP through the system's zlib.
enum Gzip {
  static func compress(_ data: Data) -> Data? {
    var stream = z_stream()
    guard mastery_deflateInitGzip(&stream) == Z_OK else { return nil }
    defer { deflateEnd(&stream) }
    let bound = Int(deflateBound(&stream, uLong(data.count))) + 64
    var output = [UInt8](repeating: 0, count: bound)
    var input = [UInt8](data)
    let status = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        stream.next_in = inBuffer.baseAddress
        stream.avail_in = uInt(inBuffer.count)
        stream.next_out = outBuffer.baseAddress
        stream.avail_out = uInt(outBuffer.count)
        return deflate(&stream, Z_FINISH)
      }
    }
    guard status == Z_STREAM_END else { return nil }
    return Data(output.prefix(Int(stream.total_out)))
  }

  /// The unpacked bytes, or nil for anything that is not one whole GZIP (or zlib) stream within `limit`.
  static func decompress(_ data: Data, limit: Int) -> Data? {
    var stream = z_stream()
    guard mastery_inflateInitGzip(&stream) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var input = [UInt8](data)
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    let finished: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
      stream.next_in = inBuffer.baseAddress
      stream.avail_in = uInt(inBuffer.count)
      while true {
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = uInt(outBuffer.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          return (status, outBuffer.count - Int(stream.avail_out))
        }
        output.append(contentsOf: chunk.prefix(produced))
        if output.count > limit { return false }
        if status == Z_STREAM_END { return stream.avail_in == 0 }
        if status != Z_OK || (produced == 0 && stream.avail_in == 0) { return false }
      }
    }
    return finished ? output : nil
  }
}
