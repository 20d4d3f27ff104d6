import Foundation
import MLOpsStatistics

/// A reference dataset reduced to what drift tests need, stored instead of the rows: per
/// numerical column its values — all of them up to ``ReferenceProfile/sampleCapacity``, a
/// uniform random sample of that size beyond (so memory stays bounded for a 10M-row
/// reference) — and per categorical column exact counts.
public struct ReferenceProfile: Codable, Sendable, Equatable {
  /// Values kept per numerical column: 8 MiB each.
  public static let sampleCapacity = 1 << 20

  public enum ColumnProfile: Codable, Sendable, Equatable {
    /// Sorted values (little-endian doubles); `count` is how many the reference held.
    case numeric(values: Data, count: Int64)
    case categorical(counts: [String: Int])
  }

  public var rows: Int64
  public var columns: [String: ColumnProfile]

  /// The column as the statistics library takes it.
  public func statisticsColumn(_ name: String) -> DriftReport.Column? {
    switch columns[name] {
    case .numeric(let data, _)?: .numeric(Self.doubles(data))
    case .categorical(let counts)?: .counts(counts)
    case nil: nil
    }
  }

  static func doubles(_ data: Data) -> [Double] {
    data.withUnsafeBytes { raw in
      (0..<(raw.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
    }
  }

  static func data(_ values: [Double]) -> Data {
    var data = Data(capacity: values.count * 8)
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }
}

/// Builds a ``ReferenceProfile`` from rows streamed in batches. A column of unspecified kind
/// is numerical while every value is a number and categorical from the first text value on.
public struct ProfileBuilder: Sendable {
  struct Accumulator: Sendable {
    var kind: MonitorDefinition.ColumnKind
    var sample: [Double] = []
    var seen: Int64 = 0
    var counts: [String: Int] = [:]
  }

  var accumulators: [String: Accumulator]
  var generator = SplitMix64(seed: 0x6d6c_6f70_7370_726f)
  let capacity: Int
  public private(set) var rows: Int64 = 0
  static let maxCategories = 10_000

  public init(columns: [MonitorDefinition.Column], capacity: Int = ReferenceProfile.sampleCapacity) {
    self.accumulators = Dictionary(uniqueKeysWithValues: columns.filter { $0.role != .label }.map { ($0.name, Accumulator(kind: $0.kind)) })
    self.capacity = capacity
  }

  /// Adds one row; missing values (absent, null, NaN) are skipped as Evidently drops them.
  /// - Throws: ``MonitorError/invalidArgument(field:reason:)`` for text in a numerical column.
  public mutating func add(_ row: [String: FieldValue], field: String) throws {
    rows += 1
    for name in accumulators.keys {
      guard let value = row[name] else { continue }
      if case .unsupported(let type) = value {
        throw MonitorError.invalidArgument(field: "\(field).values[\(name)]", reason: "a \(type) cannot be profiled")
      }
      guard value.number != nil || value.category != nil else { continue }
      try add(value, to: name, field: "\(field).values[\(name)]")
    }
  }

  private mutating func add(_ value: FieldValue, to name: String, field: String) throws {
    var accumulator = accumulators[name]!
    defer { accumulators[name] = accumulator }
    if case .text = value {
      guard accumulator.kind != .numerical else { throw MonitorError.invalidArgument(field: field, reason: "column '\(name)' is numerical") }
      if accumulator.kind == .unspecified { accumulator.kind = .categorical }
    }
    if accumulator.kind != .numerical, let category = value.category {
      accumulator.counts[category, default: 0] += 1
      // An unspecified column with this many distinct numbers is numerical: counting them
      // all would not keep memory bounded.
      if accumulator.kind == .unspecified, accumulator.counts.count > Self.maxCategories {
        accumulator.kind = .numerical
        accumulator.counts = [:]
      }
    }
    guard accumulator.kind != .categorical, let number = value.number else { return }
    accumulator.seen += 1
    if accumulator.sample.count < capacity {
      accumulator.sample.append(number)
    } else {
      let slot = Int(generator.next() % UInt64(accumulator.seen))
      if slot < capacity { accumulator.sample[slot] = number }
    }
  }

  /// The finished profile: numerical columns sorted, categorical ones counted.
  public func profile() -> ReferenceProfile {
    var columns: [String: ReferenceProfile.ColumnProfile] = [:]
    for (name, accumulator) in accumulators {
      columns[name] =
        accumulator.kind == .categorical
        ? .categorical(counts: accumulator.counts)
        : .numeric(values: ReferenceProfile.data(accumulator.sample.sorted()), count: accumulator.seen)
    }
    return ReferenceProfile(rows: rows, columns: columns)
  }
}

/// A small seeded generator, so a profile of the same rows is the same profile.
struct SplitMix64: Sendable {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
