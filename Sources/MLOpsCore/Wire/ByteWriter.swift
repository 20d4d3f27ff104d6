/// Little-endian writes into one array: the writer of every binary form the platform stores
/// (``ByteReader`` reads them), building a prediction block, a stored value, a reference
/// profile or a feature payload in one allocation (appending to `Data` cost more than the
/// encoding).
public struct ByteWriter {
  /// What has been written so far.
  public var bytes: [UInt8] = []

  /// An empty writer with room for `capacity` bytes.
  @inlinable
  public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  /// One byte.
  @inlinable
  public mutating func byte(_ value: UInt8) { bytes.append(value) }

  /// Four bytes, little-endian.
  @inlinable
  public mutating func uint32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

  /// Eight bytes, little-endian.
  @inlinable
  public mutating func uint64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

  /// Bytes already encoded, as they are.
  @inlinable
  public mutating func raw(_ other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

  /// Bytes after their 32-bit length (``ByteReader/bytes32()`` reads them).
  @inlinable
  public mutating func bytes32(_ value: some Collection<UInt8>) {
    uint32(UInt32(value.count))
    bytes.append(contentsOf: value)
  }

  /// A string after its 32-bit length (``ByteReader/string32()`` reads it).
  @inlinable
  public mutating func string(_ text: String) {
    uint32(UInt32(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }

  /// A string after its 64-bit length, as reference profiles store names and labels
  /// (``ByteReader/string64()`` reads it).
  @inlinable
  public mutating func string64(_ text: String) {
    uint64(UInt64(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }

  /// Writes `body` after its length, so a reader can skip what it does not need.
  @inlinable
  public mutating func section(_ body: (inout ByteWriter) -> Void) {
    let start = bytes.count
    uint32(0)
    body(&self)
    let length = UInt32(bytes.count - start - 4).littleEndian
    withUnsafeBytes(of: length) { for i in 0..<4 { bytes[start + i] = $0[i] } }
  }
}
