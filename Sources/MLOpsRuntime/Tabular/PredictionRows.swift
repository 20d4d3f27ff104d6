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
    try (0..<rowCount).map { row in
      var object: [String: Any] = [:]
      for name in names { object[name] = cell(outputs[name]!, row: row) }
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      return String(decoding: data, as: UTF8.self)
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
        case let list as [Any]: return list.map(PredictionRows.text)
        case let map as [String: Any]:
          guard case .maps(let maps) = outputs[name]! else { return [] }
          return (0..<maps.labels.count).map { PredictionRows.text(map[maps.labels.text(at: $0)]!) }
        case let value: return [PredictionRows.text(value)]
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

  private func cell(_ value: Value, row: Int) -> Any {
    switch value {
    case .maps(let maps):
      let width = maps.labels.count
      return Dictionary(uniqueKeysWithValues: (0..<width).map { (maps.labels.text(at: $0), Double(maps.probabilities[row * width + $0])) })
    case .tensor(let t):
      let per = max(t.shape.dropFirst().reduce(1, *), 1)
      let values = (row * per..<(row + 1) * per).map { PredictionRows.element(t.data, $0) }
      return PredictionRows.width(t) == nil ? values[0] : values
    }
  }

  private static func element(_ data: TensorData, _ i: Int) -> Any {
    switch data {
    case .float(let v): return v[i].isFinite ? Double(v[i]) as Any : "\(v[i])"
    case .double(let v): return v[i].isFinite ? v[i] as Any : "\(v[i])"
    case .int64(let v): return v[i]
    case .string(let v): return v[i]
    case .bool(let v): return v[i]
    }
  }

  private static func text(_ value: Any) -> String {
    if let d = value as? Double { return "\(d)" }
    return "\(value)"
  }

  private static func quoted(_ cell: String) -> String {
    cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
  }
}
