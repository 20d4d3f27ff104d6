/// Turns a table of rows into a model's input tensors: each graph input fed from the column
/// of the same name (one-column inputs such as a ColumnTransformer export's), or — when the
/// graph has a single 2-D input — every column, in order, as one [rows, columns] tensor.
public enum TabularFeeds {
  public static func make(for model: Model, table: CSVTable) throws -> [String: Tensor] {
    let columns = Dictionary(table.header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    if model.inputs.allSatisfy({ columns[$0.name] != nil }) {
      return try Dictionary(
        uniqueKeysWithValues: model.inputs.map { spec in
          (spec.name, try column(table, index: columns[spec.name]!, spec: spec))
        })
    }
    if model.inputs.count == 1, let spec = model.inputs.first, spec.shape?.count ?? 2 == 2 {
      if let width = spec.shape?[1] ?? nil, width != table.header.count {
        throw ModelError.input("input '\(spec.name)' takes \(width) columns; the CSV file has \(table.header.count)")
      }
      let cells = table.rows.flatMap { $0 }
      let width = max(table.header.count, 1)
      let place = { (index: Int) in "line \(index / width + 2), column '\(table.header[index % width])'" }
      return [
        spec.name: Tensor(
          shape: [table.rows.count, table.header.count], data: try parse(cells, as: spec.elementType ?? .float, at: place))
      ]
    }
    let names = model.inputs.map(\.name).joined(separator: ", ")
    throw ModelError.input("the CSV header must name the model's inputs (\(names)); it has \(table.header.joined(separator: ", "))")
  }

  private static func column(_ table: CSVTable, index: Int, spec: ValueSpec) throws -> Tensor {
    let cells = table.rows.map { $0[index] }
    let rank = spec.shape?.count ?? 2
    guard rank == 1 || rank == 2 else { throw ModelError.input("input '\(spec.name)' has rank \(rank); a CSV column feeds rank 1 or 2") }
    if rank == 2, let width = spec.shape?[1] ?? nil, width != 1 {
      throw ModelError.input("input '\(spec.name)' takes \(width) values per row; a CSV column holds one")
    }
    let shape = rank == 1 ? [cells.count] : [cells.count, 1]
    let name = table.header[index]
    return Tensor(shape: shape, data: try parse(cells, as: spec.elementType ?? .float) { "line \($0 + 2), column '\(name)'" })
  }

  /// Cells as typed values; an empty numeric cell is NaN (a missing value for imputers).
  /// `place` names a cell by its index, as the file's line and column (line 1 is the header),
  /// so a refusal points at the cell a user can find.
  static func parse(_ cells: [String], as type: ElementType, at place: (Int) -> String) throws -> TensorData {
    func number(_ cell: String, _ index: Int) throws -> Double {
      let text = cell.trimmingSpaces()
      if text.isEmpty || text.lowercased() == "nan" { return .nan }
      guard let value = Double(text) else { throw ModelError.input("\(place(index)): '\(cell)' is not a number") }
      return value
    }
    switch type {
    case .float: return .float(try cells.enumerated().map { Float(try number($1, $0)) })
    case .double: return .double(try cells.enumerated().map { try number($1, $0) })
    case .int64:
      return .int64(
        try cells.enumerated().map { index, cell in
          guard let v = Int64(cell.trimmingSpaces()) else { throw ModelError.input("\(place(index)): '\(cell)' is not an integer") }
          return v
        })
    case .bool: return .bool(cells.map { ["1", "true", "True", "TRUE"].contains($0.trimmingSpaces()) })
    case .string: return .string(cells)
    }
  }
}
