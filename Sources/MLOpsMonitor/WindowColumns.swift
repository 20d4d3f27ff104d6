import Foundation
import MLOpsCore

/// A window's monitored values column by column, decoded straight from storage without a
/// dictionary per row: a million-row window is twenty arrays of doubles, not a million maps.
public struct WindowColumns: Sendable {
  public private(set) var count = 0
  let names: [String]
  let kinds: [MonitorDefinition.ColumnKind]
  private let nameBytes: [[UInt8]]
  private let predictionIndex: Int?
  /// Per column, per row: the number, or NaN when missing or not a number. Once
  /// ``sortedForDrift()`` ran: per column, only the present numbers, ascending.
  var numbers: [[Double]]
  /// Whether `numbers` holds each column's present numbers sorted instead of one per row.
  private(set) var sortedNumbers = false
  /// Per column (empty for numerical ones), per row: the category label, or nil.
  var categories: [[String?]]
  /// Per row: the prediction column's value and the label, for performance.
  var outputs: [FieldValue] = []
  var truth: [FieldValue] = []
  var latencies: [Double] = []
  /// Which column the field at each position of the previous row was: rows written by one
  /// monitor repeat the same order, so the first guess almost always matches.
  private var guesses: [Int] = []

  init(monitor: MonitorDefinition) {
    let columns = monitor.columns.filter { $0.role != .label }
    names = columns.map(\.name)
    kinds = columns.map(\.kind)
    nameBytes = names.map { Array($0.utf8) }
    predictionIndex = columns.firstIndex { $0.role == .prediction }
    numbers = Array(repeating: [], count: columns.count)
    categories = Array(repeating: [], count: columns.count)
  }

  /// Appends one row from its in-memory values (ad hoc rows).
  mutating func append(_ values: [String: FieldValue], label: FieldValue = .missing, latency: Double = 0) {
    startRow(label: label, latency: latency)
    for (index, name) in names.enumerated() {
      if let value = values[name] { set(index, value) }
    }
    finishRow()
  }

  /// Appends one stored row: its ``ValueCodec`` payload, label and latency.
  mutating func append(payload: Data, label: FieldValue, latency: Double) {
    startRow(label: label, latency: latency)
    payload.withUnsafeBytes { raw in
      var reader = ByteReader(bytes: raw)
      let fields = Int(reader.uint32())
      for position in 0..<fields {
        let name = reader.slice(Int(reader.uint32()))
        let index = column(named: name, position: position)
        let value = reader.value()
        if let index { set(index, value) }
      }
    }
    finishRow()
  }

  /// Starts a row with every column missing; ``finishRow()`` counts it.
  mutating func startRow(label: FieldValue, latency: Double) {
    precondition(!sortedNumbers, "rows cannot be added to a window sorted for drift")
    for index in names.indices {
      numbers[index].append(.nan)
      if kinds[index] != .numerical { categories[index].append(nil) }
    }
    truth.append(label)
    latencies.append(latency)
    outputs.append(.missing)
  }

  mutating func finishRow() { count += 1 }

  /// The row's label, arriving after its values (labels are looked up per window).
  mutating func setLabel(_ label: FieldValue, row: Int) { truth[row] = label }

  mutating func markSorted() { sortedNumbers = true }

  private mutating func set(_ index: Int, _ value: FieldValue) { set(index, value, row: count) }

  /// Sets an already started row's value in column `index`.
  mutating func set(_ index: Int, _ value: FieldValue, row: Int) {
    if let number = value.number { numbers[index][row] = number }
    if kinds[index] != .numerical { categories[index][row] = value.category }
    if index == predictionIndex { outputs[row] = value }
  }

  private mutating func column(named name: UnsafeRawBufferPointer, position: Int) -> Int? {
    if position < guesses.count, guesses[position] >= 0, Self.same(nameBytes[guesses[position]], name) { return guesses[position] }
    let found = nameBytes.firstIndex { Self.same($0, name) }
    while guesses.count <= position { guesses.append(-1) }
    guesses[position] = found ?? -1
    return found
  }

  private static func same(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.isEmpty || a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, a.count) == 0 })
  }

  /// The column's present numbers.
  func presentNumbers(_ name: String) -> [Double] {
    guard let index = names.firstIndex(of: name) else { return [] }
    return sortedNumbers ? numbers[index] : numbers[index].filter { !$0.isNaN }
  }

  /// The column's present category labels (numbers print as categories).
  func presentCategories(_ name: String) -> [String] {
    guard let index = names.firstIndex(of: name) else { return [] }
    if kinds[index] == .numerical { return presentNumbers(name).compactMap { FieldValue.number($0).category } }
    return categories[index].compactMap { $0 }
  }
}
