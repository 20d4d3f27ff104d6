/// Random version-4 UUIDs in lower case, for ids minted on hot paths (a Predict without a
/// request id). Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` and
/// formats with `sprintf` on every call — four syscalls and ~10 µs per Predict under load;
/// this takes its 128 bits from `SystemRandomNumberGenerator` (`getrandom`) and formats by table.
public enum RequestID {
  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// A new id, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
  public static func make() -> String {
    var generator = SystemRandomNumberGenerator()
    var high = generator.next()
    var low = generator.next()
    high = (high & ~0xF000) | 0x4000  // version 4
    low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // RFC 4122 variant
    return String(unsafeUninitializedCapacity: 36) { buffer in
      var position = 0
      func put(_ value: UInt64, digits: Int) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
          buffer[position] = hex[Int((value >> UInt64(shift)) & 0xF)]
          position += 1
        }
      }
      func dash() {
        buffer[position] = UInt8(ascii: "-")
        position += 1
      }
      put(high >> 32, digits: 8)
      dash()
      put(high >> 16, digits: 4)
      dash()
      put(high, digits: 4)
      dash()
      put(low >> 48, digits: 4)
      dash()
      put(low, digits: 12)
      return 36
    }
  }
}
