/// Where ``WireVisitor`` puts a message's bytes. Encoding runs twice over the message: a
/// ``WireCounter`` pass measures every length-delimited value once, then a ``WireWriter`` pass
/// writes the bytes using those lengths. SwiftProtobuf instead re-measures a nested message at
/// every level it is nested in, which made encoding SearchRuns' 500 runs cost more than reading
/// them from SQLite.
protocol WireSink {
  mutating func varint(_ value: UInt64)
  mutating func fixed32(_ value: UInt32)
  mutating func fixed64(_ value: UInt64)
  mutating func raw(_ bytes: UnsafeRawBufferPointer)
  /// Starts a length-delimited value (nested message, map entry, packed array) whose length
  /// prefix comes first; the token goes back to ``close(_:)`` when the value ends.
  mutating func open() -> Int
  mutating func close(_ token: Int)
}
