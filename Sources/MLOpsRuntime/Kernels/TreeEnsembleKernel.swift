/// The element types a forest can be compiled in.
protocol ForestScalar: BinaryFloatingPoint, Hashable, Sendable {
  /// The input's values in this type; a copy only when the input has the other float type.
  static func values(of data: TensorData) -> [Self]?
  static func wrap(_ values: [Self]) -> TensorData
  /// The values as float, without a copy for Float itself.
  static func floats(_ values: [Self]) -> [Float]
}

extension Float: ForestScalar {
  static func values(of data: TensorData) -> [Float]? {
    switch data {
    case .float(let v): v
    case .double(let v): v.map(Float.init)
    case .int64(let v): v.map(Float.init)
    default: nil
    }
  }
  static func wrap(_ values: [Float]) -> TensorData { .float(values) }
  static func floats(_ values: [Float]) -> [Float] { values }
}

extension Double: ForestScalar {
  static func values(of data: TensorData) -> [Double]? {
    switch data {
    case .double(let v): v
    case .float(let v): v.map(Double.init)
    case .int64(let v): v.map(Double.init)
    default: nil
    }
  }
  static func wrap(_ values: [Double]) -> TensorData { .double(values) }
  static func floats(_ values: [Double]) -> [Float] { values.map(Float.init) }
}

/// How leaf values of all trees combine.
enum TreeAggregate: Sendable { case sum, average, minimum, maximum }

/// TreeEnsembleClassifier, TreeEnsembleRegressor and TreeEnsemble. Not generic itself: a
/// generic type's methods reached through `any Kernel` run unspecialised (every comparison a
/// witness-table call), so the kernel switches once to a concrete `TreeEnsembleCore`.
struct TreeEnsembleKernel: Kernel {
  enum Core: Sendable {
    case float(TreeEnsembleCore<Float>)
    case double(TreeEnsembleCore<Double>)
  }

  let core: Core

  init<T: ForestScalar>(forest: Forest<T>, head: TreeEnsembleCore<T>.Head, base: [T], transform: PostTransform) {
    let core = TreeEnsembleCore(forest: forest, head: head, base: base, transform: transform)
    if let c = core as? TreeEnsembleCore<Float> {
      self.core = .float(c)
    } else {
      self.core = .double(core as! TreeEnsembleCore<Double>)
    }
  }

  func run(_ inputs: [Value?]) throws -> [Value] {
    switch core {
    case .float(let c): try c.run(inputs)
    case .double(let c): try c.run(inputs)
    }
  }
}

/// A compiled forest plus the head that turns per-target sums into outputs with onnxruntime's
/// exact conventions (base values, binary special cases, post transforms).
struct TreeEnsembleCore<T: ForestScalar>: Sendable {
  enum Head: Sendable {
    case classifier(labels: ClassLabels, binaryCase: Bool, allPositive: Bool)
    /// `typedOutput`: TreeEnsemble (opset 5) returns the input's type; older ops return float.
    case regressor(targets: Int, aggregate: TreeAggregate, typedOutput: Bool)
  }

  let forest: Forest<T>
  let head: Head
  let base: [T]
  let transform: PostTransform

  var width: Int {
    switch head {
    case .classifier(let labels, _, _): labels.count
    case .regressor(let targets, _, _): targets
    }
  }

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    guard let values = T.values(of: x.data) else { throw ModelError.input("X must be numeric, got \(x.elementType)") }
    let (rows, columns) = try x.matrixDimensions("X")
    guard columns >= forest.featureCount else {
      throw ModelError.input("X has \(columns) features; the trees use \(forest.featureCount)")
    }
    var labels = [Int](repeating: 0, count: rows)
    var out = [T](repeating: 0, count: rows * width)
    var sums = [T](repeating: 0, count: rows * width)
    var seen = [Bool](repeating: false, count: rows * width)
    // An empty batch (or zero columns) may have no storage; trees that never branch read no
    // feature, so a one-element stand-in is never dereferenced past its end.
    let rowsData = values.isEmpty ? [T(0)] : values
    rowsData.withUnsafeBufferPointer { input in
      forest.nodes.withUnsafeBufferPointer { nodes in
        forest.weightTargets.withUnsafeBufferPointer { targets in
          forest.weightValues.withUnsafeBufferPointer { weights in
            sums.withUnsafeMutableBufferPointer { sums in
              seen.withUnsafeMutableBufferPointer { seen in
                accumulate(
                  input.baseAddress!, rows: rows, columns: columns, nodes: nodes, targets: targets, weights: weights, sums: sums, seen: seen
                )
              }
            }
          }
        }
      }
    }
    var rowSums = [T](repeating: 0, count: width)
    var rowSeen = [Bool](repeating: false, count: width)
    for r in 0..<rows {
      for t in 0..<width {
        rowSums[t] = sums[r * width + t]
        rowSeen[t] = seen[r * width + t]
      }
      labels[r] = finish(&rowSums, &rowSeen, into: &out, at: r * width)
    }
    switch head {
    case .classifier(let classLabels, _, _):
      return [.tensor(classLabels.tensor(labels, shape: [rows])), .tensor(Tensor(shape: [rows, width], floats: T.floats(out)))]
    case .regressor(_, _, let typed):
      return [.tensor(Tensor(shape: [rows, width], data: typed ? T.wrap(out) : .float(T.floats(out))))]
    }
  }

  /// Adds every tree's leaf values for every row. Trees are the outer loop so one tree's
  /// nodes stay in cache across the whole batch; each row still sums its trees in order, so
  /// results are bit-identical to row-at-a-time evaluation.
  private func accumulate(
    _ input: UnsafePointer<T>, rows: Int, columns: Int, nodes: UnsafeBufferPointer<Forest<T>.Node>,
    targets: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<T>,
    sums: UnsafeMutableBufferPointer<T>, seen: UnsafeMutableBufferPointer<Bool>
  ) {
    let aggregate: TreeAggregate = if case .regressor(_, let a, _) = head { a } else { .sum }
    let width = self.width
    for root in forest.roots {
      for r in 0..<rows {
        let leaf = forest.leaf(from: root, row: input + r &* columns, nodes: nodes)
        let base = r &* width
        for w in Int(leaf.first)..<Int(leaf.first &+ leaf.second) {
          let t = base &+ Int(targets[w])
          let v = weights[w]
          switch aggregate {
          case .sum, .average: sums[t] += v
          case .minimum: sums[t] = seen[t] ? Swift.min(sums[t], v) : v
          case .maximum: sums[t] = seen[t] ? Swift.max(sums[t], v) : v
          }
          seen[t] = true
        }
      }
    }
  }

  /// Writes one row's outputs and returns its label index (0 for regressors).
  private func finish(_ sums: inout [T], _ seen: inout [Bool], into out: inout [T], at offset: Int) -> Int {
    switch head {
    case .regressor(let targets, let aggregate, _):
      finishRegression(&sums, seen, targets: targets, aggregate: aggregate)
      for t in 0..<targets { out[offset + t] = sums[t] }
      return 0
    case .classifier(_, let binaryCase, let allPositive):
      let (label, scores) =
        width > 2
        ? finishMulticlass(&sums, &seen)
        : finishBinary(&sums, &seen, binaryCase: binaryCase, allPositive: allPositive)
      for (i, s) in scores.enumerated() { out[offset + i] = T(s) }
      return label
    }
  }

  private func finishRegression(_ sums: inout [T], _ seen: [Bool], targets: Int, aggregate: TreeAggregate) {
    let trees = T(forest.roots.count)
    if targets == 1 {
      let origin = base.count == 1 ? base[0] : 0
      switch aggregate {
      case .sum: sums[0] += origin
      case .average: sums[0] = sums[0] / trees + origin
      case .minimum, .maximum: sums[0] = seen[0] ? sums[0] + origin : origin
      }
      if transform == .probit { sums[0] = T(probitScore(Float(sums[0]))) }
      return
    }
    let useBase = base.count == targets
    for t in 0..<targets {
      let b = useBase ? base[t] : 0
      switch aggregate {
      case .sum: sums[t] += b
      case .average: sums[t] = sums[t] / trees + b
      case .minimum, .maximum: sums[t] = b + (seen[t] ? sums[t] : 0)
      }
    }
    guard transform != .none else { return }
    var scores = sums.map { Float($0) }
    transform.apply(&scores, range: 0..<targets)
    for t in 0..<targets { sums[t] = T(scores[t]) }
  }
}
