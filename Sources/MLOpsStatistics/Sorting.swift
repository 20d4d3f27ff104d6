/// Ascending order for the large numeric samples drift tests sort: already sorted input (a
/// stored reference) is returned as is, anything else goes through an LSD radix sort on the
/// doubles' bit patterns (6 passes of 11 bits), several times faster than a comparison sort
/// at a million values. NaN must have been removed; −0.0 sorts just before +0.0, which
/// compare equal, so ties stay together.
public enum Sorting {
  public static func ascending(_ values: [Double]) -> [Double] {
    if isAscending(values) { return values }
    if values.count < 4096 { return values.sorted() }
    var keys = values.map(key)
    var scratch = [UInt64](repeating: 0, count: keys.count)
    var counts = [Int](repeating: 0, count: passes * radix)
    let inScratch = keys.withUnsafeMutableBufferPointer { keys in
      scratch.withUnsafeMutableBufferPointer { scratch in
        counts.withUnsafeMutableBufferPointer { counts in radixSort(keys, scratch, counts) }
      }
    }
    return (inScratch ? scratch : keys).map(value)
  }

  /// `values` as they are when the caller vouches that they ascend (a stored profile, a window
  /// sorted for drift): at a million values per column per window the order check alone
  /// reads as much memory as the test that follows. Debug builds still check.
  static func ascending(_ values: [Double], presorted: Bool) -> [Double] {
    guard presorted else { return ascending(values) }
    assert(isAscending(values), "values said to be sorted are not")
    return values
  }

  /// All six histograms in one pass, then one scatter pass per 11-bit digit (skipped when
  /// every key has the same digit). Answers whether the sorted keys ended in `scratch`.
  private static func radixSort(
    _ keyBuffer: UnsafeMutableBufferPointer<UInt64>, _ scratchBuffer: UnsafeMutableBufferPointer<UInt64>,
    _ counts: UnsafeMutableBufferPointer<Int>
  ) -> Bool {
    var (keys, scratch) = (keyBuffer, scratchBuffer)
    let n = keys.count
    for k in keys {
      for pass in 0..<passes { counts[pass &* radix &+ Int((k >> UInt64(pass &* bits)) & mask)] &+= 1 }
    }
    for pass in 0..<passes {
      let base = pass * radix
      var offset = 0
      var single = false
      for digit in 0..<radix {
        let count = counts[base &+ digit]
        if count == n { single = true }
        counts[base &+ digit] = offset
        offset &+= count
      }
      if single { continue }
      let shift = UInt64(pass * bits)
      for k in keys {
        let slot = base &+ Int((k >> shift) & mask)
        scratch[counts[slot]] = k
        counts[slot] &+= 1
      }
      swap(&keys, &scratch)
    }
    return keys.baseAddress != keyBuffer.baseAddress
  }

  static let bits = 11, radix = 1 << 11, passes = 6
  static let mask = UInt64(radix - 1)

  static func isAscending(_ values: [Double]) -> Bool {
    var previous = -Double.infinity
    for value in values {
      if value < previous { return false }
      previous = value
    }
    return true
  }

  /// Order-preserving: flips the sign bit of positives, every bit of negatives.
  @inline(__always) static func key(_ value: Double) -> UInt64 {
    let bits = value.bitPattern
    return bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
  }

  @inline(__always) static func value(_ key: UInt64) -> Double {
    Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
  }
}
