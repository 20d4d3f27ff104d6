import Foundation
import MLOpsStatistics

/// A reference dataset reduced to what drift tests need, stored instead of the rows: per
/// numerical column its values — all of them up to ``ReferenceProfile/sampleCapacity``, a
/// uniform random sample of that size beyond (so memory stays bounded for a 10M-row
/// reference) — and per categorical column exact counts.
public struct ReferenceProfile: Sendable, Equatable {
  /// Values kept per numerical column: 8 MiB each.
  public static let sampleCapacity = 1 << 20

  public enum ColumnProfile: Sendable, Equatable {
    /// The kept values in ascending order; `count` is how many the reference held.
    case numeric(values: [Double], count: Int64)
    case categorical(counts: [String: Int])
  }

  public let rows: Int64
  public let columns: [String: ColumnProfile]
  /// Per numerical column, the population standard deviation of its values: Wasserstein
  /// distances are divided by it, and every window would otherwise recompute it.
  let standardDeviations: [String: Double]

  /// Numerical values are put in ascending order if they are not (one pass when they are):
  /// drift tests then take them as sorted without checking on every window.
  public init(rows: Int64, columns: [String: ColumnProfile]) {
    self.rows = rows
    self.columns = columns.mapValues { column in
      guard case .numeric(let values, let count) = column else { return column }
      return .numeric(values: Sorting.ascending(values), count: count)
    }
    standardDeviations = self.columns.compactMapValues { column in
      guard case .numeric(let values, _) = column, !values.isEmpty else { return nil }
      return Distance.standardDeviation(values)
    }
  }

  /// The column as the statistics library takes it.
  public func statisticsColumn(_ name: String) -> DriftReport.Column? {
    switch columns[name] {
    case .numeric(let values, _)?: .numeric(values)
    case .categorical(let counts)?: .counts(counts)
    case nil: nil
    }
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

  let names: [String]
  var accumulators: [Accumulator]
  var generator = SeededRandom(seed: 0x6d6c_6f70_7370_726f)
  let capacity: Int
  public private(set) var rows: Int64 = 0
  static let maxCategories = 10_000

  public init(columns: [MonitorDefinition.Column], capacity: Int = ReferenceProfile.sampleCapacity) {
    let profiled = columns.filter { $0.role != .label }
    names = profiled.map(\.name)
    accumulators = profiled.map { Accumulator(kind: $0.kind) }
    self.capacity = capacity
  }

  /// Adds one row; missing values (absent, null, NaN) are skipped as Evidently drops them.
  /// - Parameter field: names the row in an error (`rows[12]`), built only when one is thrown.
  /// - Throws: ``MonitorError/invalidArgument(field:reason:)`` for text in a numerical column.
  public mutating func add(_ row: [String: FieldValue], field: @autoclosure () -> String) throws {
    rows += 1
    for index in names.indices {
      guard let value = row[names[index]] else { continue }
      if case .unsupported(let type) = value {
        throw MonitorError.invalidArgument(field: "\(field()).values[\(names[index])]", reason: "a \(type) cannot be profiled")
      }
      guard value.number != nil || value.category != nil else { continue }
      guard Self.add(value, to: &accumulators[index], capacity: capacity, generator: &generator) else {
        throw MonitorError.invalidArgument(field: "\(field()).values[\(names[index])]", reason: "column '\(names[index])' is numerical")
      }
    }
  }

  /// Adds one value in place; false for text in a numerical column.
  private static func add(_ value: FieldValue, to accumulator: inout Accumulator, capacity: Int, generator: inout SeededRandom) -> Bool {
    if case .text = value {
      guard accumulator.kind != .numerical else { return false }
      if accumulator.kind == .unspecified { accumulator.kind = .categorical }
    }
    if accumulator.kind != .numerical, let category = value.category {
      accumulator.counts[category, default: 0] += 1
      // An unspecified column with this many distinct numbers is numerical: counting them
      // all would not keep memory bounded.
      if accumulator.kind == .unspecified, accumulator.counts.count > maxCategories {
        accumulator.kind = .numerical
        accumulator.counts = [:]
      }
    }
    guard accumulator.kind != .categorical, let number = value.number else { return true }
    accumulator.seen += 1
    if accumulator.sample.count < capacity {
      accumulator.sample.append(number)
    } else {
      let slot = Int(generator.next() % UInt64(accumulator.seen))
      if slot < capacity { accumulator.sample[slot] = number }
    }
    return true
  }

  /// The finished profile: categorical columns counted; ``ReferenceProfile/init(rows:columns:)``
  /// sorts the numerical ones.
  public func profile() -> ReferenceProfile {
    var columns: [String: ReferenceProfile.ColumnProfile] = [:]
    for (name, accumulator) in zip(names, accumulators) {
      columns[name] =
        accumulator.kind == .categorical
        ? .categorical(counts: accumulator.counts)
        : .numeric(values: accumulator.sample, count: accumulator.seen)
    }
    return ReferenceProfile(rows: rows, columns: columns)
  }
}
