/// Cast between the supported element types. Float → int64 truncates toward zero as C++ does;
/// values that do not fit (NaN, ±inf, huge) become Int64.min, as x86 conversion does, instead of
/// trapping. Strings parse as numbers; numbers format in their shortest round-trip form.
struct CastKernel: Kernel {
  let target: ElementType

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    return [.tensor(Tensor(shape: x.shape, data: try convert(x.data)))]
  }

  private func convert(_ data: TensorData) throws -> TensorData {
    if data.elementType == target { return data }
    switch data {
    case .float(let v): return try fromDoubles(v.map(Double.init), floats: v)
    case .double(let v): return try fromDoubles(v, floats: nil)
    case .int64(let v):
      switch target {
      case .float: return .float(v.map(Float.init))
      case .double: return .double(v.map(Double.init))
      case .bool: return .bool(v.map { $0 != 0 })
      case .string: return .string(v.map(String.init))
      case .int64: return data
      }
    case .bool(let v): return try convert(.int64(v.map { $0 ? 1 : 0 }))
    case .string(let v):
      let parsed = try v.map { s -> Double in
        guard let d = Double(s.trimmingSpaces()) else { throw ModelError.execution("cannot cast '\(s)' to a number") }
        return d
      }
      return target == .float ? .float(parsed.map(Float.init)) : try fromDoubles(parsed, floats: nil)
    }
  }

  private func fromDoubles(_ v: [Double], floats: [Float]?) throws -> TensorData {
    switch target {
    case .float: return .float(floats ?? v.map(Float.init))
    case .double: return .double(v)
    case .int64: return .int64(v.map { Int64(exactly: $0.rounded(.towardZero)) ?? .min })
    case .bool: return .bool(v.map { $0 != 0 })
    case .string: return .string(floats.map { $0.map { "\($0)" } } ?? v.map { "\($0)" })
    }
  }
}
