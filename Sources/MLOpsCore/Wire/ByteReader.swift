/// Little-endian reads over stored bytes (inlinable: decoders call them per value in their
/// hottest loops): the one reader of every binary form the platform
/// stores (prediction blocks, reference profiles, feature payloads), so all of them treat a
/// cut or corrupted value the same way. It reads in place (no copy of the stored bytes) and
/// never traps: a read past the end returns zeros, or the bytes that are left, and marks the
/// reader ``overran``. A decoder checks ``check()`` before trusting what it read — at its end,
/// and before allocating by a count it read.
public struct ByteReader {
  /// What ``check()`` throws: the bytes end before the value does.
  public struct Overrun: Error {
    /// The error, for decoders that find a value cut short themselves.
    @inlinable public init() {}
  }

  /// The stored bytes, read in place.
  public let bytes: UnsafeRawBufferPointer
  /// Where the next read starts.
  public var offset = 0
  /// Whether a read wanted more bytes than were left: the payload was cut short.
  public var overran = false

  /// A reader at the start of `bytes`, which must outlive it.
  @inlinable
  public init(bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// Bytes not yet read.
  @inlinable
  public var remaining: Int { bytes.count - offset }

  /// Throws ``Overrun`` when any read so far went past the end.
  @inlinable
  public func check() throws {
    if overran { throw Overrun() }
  }

  /// One byte; 0 past the end.
  @inlinable
  public mutating func byte() -> UInt8 {
    guard offset < bytes.count else {
      overran = true
      return 0
    }
    defer { offset += 1 }
    return bytes[offset]
  }

  /// Four bytes, little-endian; 0 past the end.
  @inlinable
  public mutating func uint32() -> UInt32 {
    guard offset + 4 <= bytes.count else {
      (offset, overran) = (bytes.count, true)
      return 0
    }
    defer { offset += 4 }
    return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  /// Eight bytes, little-endian; 0 past the end.
  @inlinable
  public mutating func uint64() -> UInt64 {
    guard offset + 8 <= bytes.count else {
      (offset, overran) = (bytes.count, true)
      return 0
    }
    defer { offset += 8 }
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// The next `count` bytes, or as many as are left.
  @inlinable
  public mutating func slice(_ count: Int) -> UnsafeRawBufferPointer {
    let end = Swift.min(offset + Swift.max(count, 0), bytes.count)
    if end - offset < count { overran = true }
    defer { offset = end }
    return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
  }

  /// Bytes after their 32-bit length, as ``ByteWriter/bytes32(_:)`` writes them.
  @inlinable
  public mutating func bytes32() -> UnsafeRawBufferPointer { slice(Int(uint32())) }

  /// A string after its 32-bit length, as ``ByteWriter/string(_:)`` writes one.
  @inlinable
  public mutating func string32() -> String { String(decoding: bytes32(), as: UTF8.self) }

  /// A string after its 64-bit length, as ``ByteWriter/string64(_:)`` writes one.
  @inlinable
  public mutating func string64() -> String {
    let length = uint64()
    return String(decoding: slice(count(length, unit: 1)), as: UTF8.self)
  }

  /// `count` little-endian doubles, or as many as remain.
  @inlinable
  public mutating func doubles(_ count: UInt64) -> [Double] {
    let bytes = slice(self.count(count, unit: 8) * 8)
    return [Double](unsafeUninitializedCapacity: bytes.count / 8) { buffer, initialized in
      UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count / 8 * 8)]))
      initialized = bytes.count / 8
    }
  }

  /// `count` items of `unit` bytes, or as many as the bytes left hold (marking the reader
  /// overrun): a corrupted length cannot overflow, read past the end or size an allocation.
  @inlinable
  public mutating func count(_ count: UInt64, unit: Int) -> Int {
    let available = UInt64(remaining / Swift.max(unit, 1))
    if count > available { overran = true }
    return Int(Swift.min(count, available))
  }
}
