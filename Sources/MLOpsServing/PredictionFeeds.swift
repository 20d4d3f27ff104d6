import MLOpsRuntime

/// Rows of named cells as a model's input tensors, checked against what the model declares
/// before it runs. Each graph input is fed from the cell of the same name: a scalar per row
/// for a `[N]` or `[N, 1]` input, a list of `k` values per row for `[N, k]`. A null number is
/// NaN (what imputers in the graph expect). Every refusal names the row, the column and what
/// was expected.
enum PredictionFeeds {
  static func make(for model: any Predictor, rows: [[String: Cell]], field: String) throws -> [String: Tensor] {
    guard !rows.isEmpty else { throw ServingError.invalidArgument(field: field, reason: "send at least one instance") }
    var feeds: [String: Tensor] = [:]
    for spec in model.inputs {
      feeds[spec.name] = try tensor(spec, rows: rows, field: field)
    }
    return feeds
  }

  private static func tensor(_ spec: ValueSpec, rows: [[String: Cell]], field: String) throws -> Tensor {
    let type = spec.elementType ?? .float
    let shape = spec.shape ?? [nil, nil]
    guard (1...2).contains(shape.count) else {
      throw ServingError.failedPrecondition(field: field, reason: "input '\(spec.name)' has rank \(shape.count); rows feed rank 1 or 2")
    }
    let fixedWidth: Int? = shape.count == 1 ? 1 : shape[1]
    var width = fixedWidth
    var values: [Cell] = []
    values.reserveCapacity(rows.count)
    for (index, row) in rows.enumerated() {
      let at = "\(field)[\(index)].features[\(spec.name)]"
      guard let cell = row[spec.name] else {
        throw ServingError.invalidArgument(field: at, reason: "missing; the model takes '\(spec.name)' as \(describe(spec))")
      }
      // A null is a missing value of the row's whole width (NaNs for a list input).
      let count = cell == .null ? (width ?? 1) : cell.count
      if width == nil, cell != .null { width = count }
      guard cell == .null || count == width else {
        throw ServingError.invalidArgument(
          field: at, reason: "has \(count) value(s); the model takes \(width ?? 1) per row (\(describe(spec)))")
      }
      values.append(cell)
    }
    let rowWidth = width ?? 1
    let tensorShape = shape.count == 1 ? [rows.count] : [rows.count, rowWidth]
    return Tensor(shape: tensorShape, data: try data(values, type: type, width: rowWidth, name: spec.name, field: field))
  }

  private static func data(_ cells: [Cell], type: ElementType, width: Int, name: String, field: String) throws -> TensorData {
    func refuse(_ row: Int, _ cell: Cell) -> ServingError {
      .invalidArgument(field: "\(field)[\(row)].features[\(name)]", reason: "is \(cell.kindDescription); the model takes \(type) values")
    }
    switch type {
    case .float, .double:
      var out: [Double] = []
      for (row, cell) in cells.enumerated() {
        switch cell {
        case .null: out += repeatElement(Double.nan, count: width)
        case .int(let v): out.append(Double(v))
        case .double(let v): out.append(v)
        case .ints(let v): out += v.map(Double.init)
        case .doubles(let v): out += v
        default: throw refuse(row, cell)
        }
      }
      return type == .float ? .float(out.map(Float.init)) : .double(out)
    case .int64:
      var out: [Int64] = []
      for (row, cell) in cells.enumerated() {
        switch cell {
        case .int(let v): out.append(v)
        case .ints(let v): out += v
        case .double(let v) where v == v.rounded() && abs(v) < 9e15: out.append(Int64(v))
        default: throw refuse(row, cell)
        }
      }
      return .int64(out)
    case .string:
      var out: [String] = []
      for (row, cell) in cells.enumerated() {
        switch cell {
        case .string(let v): out.append(v)
        case .strings(let v): out += v
        default: throw refuse(row, cell)
        }
      }
      return .string(out)
    case .bool:
      var out: [Bool] = []
      for (row, cell) in cells.enumerated() {
        switch cell {
        case .bool(let v): out.append(v)
        case .bools(let v): out += v
        default: throw refuse(row, cell)
        }
      }
      return .bool(out)
    }
  }

  static func describe(_ spec: ValueSpec) -> String {
    let dims = (spec.shape ?? [nil, nil]).map { $0.map(String.init) ?? "N" }.joined(separator: ", ")
    return "\(spec.elementType?.description ?? "float") [\(dims)]"
  }
}
