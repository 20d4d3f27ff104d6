/// The element types a model's inputs and outputs can carry: the five that scikit-learn,
/// XGBoost and LightGBM exports use. Narrower integer initializers are widened to int64 on load.
public enum ElementType: String, Sendable, Hashable, CustomStringConvertible {
  case float, double, int64, string, bool

  public var description: String { rawValue }
}

/// Row-major tensor contents, one case per element type, so kernels switch once per call
/// instead of per element.
public enum TensorData: Sendable, Equatable {
  case float([Float])
  case double([Double])
  case int64([Int64])
  case string([String])
  case bool([Bool])

  /// The element type of this storage.
  public var elementType: ElementType {
    switch self {
    case .float: .float
    case .double: .double
    case .int64: .int64
    case .string: .string
    case .bool: .bool
    }
  }

  /// Number of stored elements.
  public var count: Int {
    switch self {
    case .float(let v): v.count
    case .double(let v): v.count
    case .int64(let v): v.count
    case .string(let v): v.count
    case .bool(let v): v.count
    }
  }
}

/// A named model input or output value: a shape plus row-major data. Callers build these to
/// feed a model; the runtime checks that the shape and the data agree before running.
public struct Tensor: Sendable, Equatable {
  /// Dimensions, outermost first; `[]` is a scalar.
  public var shape: [Int]
  /// Row-major elements; `shape`'s product of them.
  public var data: TensorData

  public init(shape: [Int], data: TensorData) {
    self.shape = shape
    self.data = data
  }

  public init(shape: [Int], floats: [Float]) { self.init(shape: shape, data: .float(floats)) }
  public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, data: .double(doubles)) }
  public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, data: .int64(int64s)) }
  public init(shape: [Int], strings: [String]) { self.init(shape: shape, data: .string(strings)) }
  public init(shape: [Int], bools: [Bool]) { self.init(shape: shape, data: .bool(bools)) }

  /// The element type of the data.
  public var elementType: ElementType { data.elementType }
  /// Number of elements the shape describes (1 for a scalar).
  public var elementCount: Int { shape.reduce(1, *) }
  /// Number of dimensions.
  public var rank: Int { shape.count }
}

extension Tensor {
  /// Rows `range` of the first dimension — how a batch is cut into single-row calls.
  public func rows(_ range: Range<Int>) -> Tensor {
    guard let first = shape.first, range.lowerBound >= 0, range.upperBound <= first else { return self }
    let per = shape.dropFirst().reduce(1, *)
    let indices = Array(range.lowerBound * per..<range.upperBound * per)
    return Tensor(shape: [range.count] + shape.dropFirst(), data: data.gathered(indices))
  }
}
