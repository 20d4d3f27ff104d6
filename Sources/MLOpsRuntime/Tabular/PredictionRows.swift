import Foundation

/// Model outputs turned back into rows: one JSON object per row (`jsonl`), or CSV columns, so a
/// user can read predictions next to the rows they came from.
public struct PredictionRows {
  public let names: [String]
  public let outputs: [String: Value]

  public init(outputs: [String: Value], order: [ValueSpec]) {
    self.outputs = outputs
    self.names = order.map(\.name).filter { outputs[$0] != nil }
  }

  /// Number of rows: the first dimension shared by the outputs.
  public var rowCount: Int {
    guard let first = names.first, let value = outputs[first] else { return 0 }
    switch value {
    case .maps(let maps): return maps.rowCount
    case .tensor(let t): return t.shape.first ?? 1
    }
  }

  /// One JSON object per row: numbers, strings, lists, or class → probability objects.
  public func jsonLines() throws -> [String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return try (0..<rowCount).map { row in
      var object: [String: Cell] = [:]
      for name in names { object[name] = cell(outputs[name]!, row: row) }
      return String(decoding: try encoder.encode(object), as: UTF8.self)
    }
  }

  /// A header and one line per row; lists become `name_0, name_1…`, maps `name.label`.
  public func csvLines() -> [String] {
    var header: [String] = []
    for name in names {
      switch outputs[name]! {
      case .maps(let maps): header += (0..<maps.labels.count).map { "\(name).\(maps.labels.text(at: $0))" }
      case .tensor(let t):
        let width = PredictionRows.width(t)
        header += width == nil ? [name] : (0..<width!).map { "\(name)_\($0)" }
      }
    }
    let lines = (0..<rowCount).map { row in
      names.flatMap { name -> [String] in
        switch cell(outputs[name]!, row: row) {
        case .list(let list): return list.map(\.text)
        case .probabilities(let map):
          guard case .maps(let maps) = outputs[name]! else { return [] }
          return (0..<maps.labels.count).map { "\(map[maps.labels.text(at: $0)]!)" }
        case let value: return [value.text]
        }
      }.map(PredictionRows.quoted).joined(separator: ",")
    }
    return [header.map(PredictionRows.quoted).joined(separator: ",")] + lines
  }

  /// Values per row: nil for one value (shape [N] or [N, 1]), else the row's width.
  static func width(_ t: Tensor) -> Int? {
    let perRow = t.shape.dropFirst().reduce(1, *)
    return t.rank <= 1 || perRow == 1 ? nil : perRow
  }

  private func cell(_ value: Value, row: Int) -> Cell {
    switch value {
    case .maps(let maps):
      let width = maps.labels.count
      return .probabilities(
        Dictionary(uniqueKeysWithValues: (0..<width).map { (maps.labels.text(at: $0), Double(maps.probabilities[row * width + $0])) }))
    case .tensor(let t):
      let per = max(t.shape.dropFirst().reduce(1, *), 1)
      let values = (row * per..<(row + 1) * per).map { PredictionRows.element(t.data, $0) }
      return PredictionRows.width(t) == nil ? values[0] : .list(values)
    }
  }

  /// A non-finite number is written as its name ("nan", "inf"): JSON has no such number.
  private static func element(_ data: TensorData, _ i: Int) -> Cell {
    switch data {
    case .float(let v): v[i].isFinite ? .number(Double(v[i])) : .text("\(v[i])")
    case .double(let v): v[i].isFinite ? .number(v[i]) : .text("\(v[i])")
    case .int64(let v): .integer(v[i])
    case .string(let v): .text(v[i])
    case .bool(let v): .flag(v[i])
    }
  }

  private static func quoted(_ cell: String) -> String {
    cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
  }
}

extension PredictionRows {
  /// One output cell of a row, typed, so rows encode through `Codable`.
  enum Cell: Encodable {
    case number(Double)
    case integer(Int64)
    case text(String)
    case flag(Bool)
    case list([Cell])
    case probabilities([String: Double])

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .number(let v): try container.encode(v)
      case .integer(let v): try container.encode(v)
      case .text(let v): try container.encode(v)
      case .flag(let v): try container.encode(v)
      case .list(let v): try container.encode(v)
      case .probabilities(let v): try container.encode(v)
      }
    }

    /// The cell as a CSV field's text.
    var text: String {
      switch self {
      case .number(let v): "\(v)"
      case .integer(let v): "\(v)"
      case .text(let v): v
      case .flag(let v): "\(v)"
      case .list(let v): v.map(\.text).joined(separator: " ")
      case .probabilities(let v): "\(v)"
      }
    }
  }
}
