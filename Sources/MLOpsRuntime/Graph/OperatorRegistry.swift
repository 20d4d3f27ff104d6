/// Every operator the runtime implements, with the opset versions it accepts. A node outside
/// this table fails the load naming its node, operator, domain and opset.
enum OperatorRegistry {
  typealias Factory = @Sendable (NodeContext) throws -> any Kernel

  /// Accepted opset versions per domain: ai.onnx 7–21 and ai.onnx.ml 1–5 cover every
  /// exporter release of the last five years.
  static let supportedOpsets: [String: ClosedRange<Int>] = ["": 7...21, "ai.onnx.ml": 1...5]

  static func makeKernel(_ c: NodeContext) throws -> any Kernel {
    let domainName = c.domain.isEmpty ? "ai.onnx" : c.domain
    guard let range = supportedOpsets[c.domain] else {
      throw ModelError.unsupported("\(c.label): domain '\(domainName)' is not supported")
    }
    guard range.contains(c.opset) else {
      throw ModelError.unsupported(
        "\(c.label): \(domainName) opset \(c.opset) is not supported (supported: \(range.lowerBound)–\(range.upperBound))")
    }
    let table = c.domain.isEmpty ? core : machineLearning
    guard let factory = table[c.opType] else {
      throw ModelError.unsupported("\(c.label): operator \(c.opType) is not supported")
    }
    return try factory(c)
  }

  /// Operator names the runtime implements, as "domain:Op", for `mlops model check`.
  static var operatorNames: [String] {
    (core.keys.map { "ai.onnx:" + $0 } + machineLearning.keys.map { "ai.onnx.ml:" + $0 }).sorted()
  }

  static let core: [String: Factory] = {
    var t: [String: Factory] = [:]
    for op in ["Add", "Sub", "Mul", "Div"] {
      t[op] = { c in ArithmeticKernel(operation: .init(rawValue: op)!, limits: c.limits) }
    }
    for op in ["Less", "Greater", "Equal"] {
      t[op] = { c in ComparisonKernel(operation: .init(rawValue: op)!, limits: c.limits) }
    }
    for op in ["Relu", "Sigmoid", "Tanh", "Exp", "Log", "Abs", "Sqrt", "Not"] {
      t[op] = { _ in UnaryKernel(operation: .init(rawValue: op)!) }
    }
    t["Where"] = { c in WhereKernel(limits: c.limits) }
    t["Clip"] = { c in
      c.opset < 11
        ? ClipKernel(minAttribute: try c.float("min"), maxAttribute: try c.float("max")) : ClipKernel(minAttribute: nil, maxAttribute: nil)
    }
    t["MatMul"] = { c in MatMulKernel(limits: c.limits) }
    t["Gemm"] = { c in
      GemmKernel(
        alpha: try c.float("alpha") ?? 1, beta: try c.float("beta") ?? 1, transA: try c.int("transA", default: 0) != 0,
        transB: try c.int("transB", default: 0) != 0, limits: c.limits)
    }
    t["Softmax"] = { c in SoftmaxKernel(axis: try c.int("axis", default: c.opset < 13 ? 1 : -1), coerceTo2D: c.opset < 13) }
    t["ArgMax"] = { c in
      ArgMaxKernel(
        axis: try c.int("axis", default: 0), keepDims: try c.int("keepdims", default: 1) != 0,
        selectLast: try c.int("select_last_index", default: 0) != 0)
    }
    for (op, since) in [("ReduceSum", 13), ("ReduceMean", 18), ("ReduceMax", 18)] {
      t[op] = { c in
        ReduceKernel(
          operation: .init(rawValue: op)!, axesAttribute: try c.ints("axes"), axesFromInput: c.opset >= since,
          keepDims: try c.int("keepdims", default: 1) != 0, noopWithEmptyAxes: try c.int("noop_with_empty_axes", default: 0) != 0)
      }
    }
    t["Cast"] = { c in
      guard let code = try c.int("to") else { throw c.invalid("to", "is required") }
      guard let target = elementType(code: Int32(clamping: code)) else {
        throw ModelError.unsupported("\(c.label): casting to \(typeName(Int32(clamping: code))) is not supported")
      }
      return CastKernel(target: target)
    }
    t["Identity"] = { _ in IdentityKernel() }
    t["Constant"] = { c in ConstantKernel(value: try constantValue(c)) }
    t["Reshape"] = { c in ReshapeKernel(allowZero: try c.int("allowzero", default: 0) != 0, limits: c.limits) }
    t["Flatten"] = { c in FlattenKernel(axis: try c.int("axis", default: 1)) }
    t["Concat"] = { c in
      guard let axis = try c.int("axis") else { throw c.invalid("axis", "is required") }
      return ConcatKernel(axis: axis)
    }
    t["Gather"] = { c in GatherKernel(axis: try c.int("axis", default: 0), limits: c.limits) }
    t["Squeeze"] = { c in SqueezeKernel(unsqueeze: false, axesAttribute: try c.ints("axes"), axesFromInput: c.opset >= 13) }
    t["Unsqueeze"] = { c in SqueezeKernel(unsqueeze: true, axesAttribute: try c.ints("axes"), axesFromInput: c.opset >= 13) }
    t["Shape"] = { c in ShapeKernel(start: try c.int("start", default: 0), end: try c.int("end")) }
    t["Transpose"] = { c in TransposeKernel(perm: try c.ints("perm")?.map { Int($0) }) }
    t["Slice"] = { c in
      guard c.opset < 10 else { return SliceKernel(attributes: nil) }
      guard let starts = try c.ints("starts"), let ends = try c.ints("ends") else { throw c.invalid("starts", "and 'ends' are required") }
      return SliceKernel(attributes: (starts, ends, try c.ints("axes")))
    }
    return t
  }()

  static let machineLearning: [String: Factory] = [
    "LinearClassifier": { c in
      let intercepts = try c.floats("intercepts") ?? []
      let targets = max(intercepts.count, 1)
      let labels = try ClassLabels(context: c, ints: "classlabels_ints", strings: "classlabels_strings")
      guard targets == 1 || labels.count == targets else {
        throw c.invalid("classlabels", "list \(labels.count) classes but there are \(targets) intercepts")
      }
      return LinearClassifierKernel(
        linear: try linearScores(c, targets: targets, intercepts: intercepts),
        labels: labels,
        transform: try PostTransform(name: try c.string("post_transform"), context: c))
    },
    "LinearRegressor": { c in
      let targets = try c.int("targets", default: 1)
      guard targets >= 1 else { throw c.invalid("targets", "must be ≥ 1") }
      return LinearRegressorKernel(
        linear: try linearScores(c, targets: targets, intercepts: try c.floats("intercepts") ?? []),
        transform: try PostTransform(name: try c.string("post_transform"), context: c))
    },
    "TreeEnsembleClassifier": { c in try TreeEnsembleFactory.classifier(c) },
    "TreeEnsembleRegressor": { c in try TreeEnsembleFactory.regressor(c) },
    "TreeEnsemble": { c in try TreeEnsembleFactory.ensemble(c) },
    "Normalizer": { c in
      guard let norm = NormalizerKernel.Norm(rawValue: try c.string("norm") ?? "MAX") else {
        throw c.invalid("norm", "must be MAX, L1 or L2")
      }
      return NormalizerKernel(norm: norm)
    },
    "Scaler": { c in ScalerKernel(offset: try nonEmpty(c, "offset", default: 0), scale: try nonEmpty(c, "scale", default: 1)) },
    "Imputer": { c in
      ImputerKernel(
        floats: try c.floats("imputed_value_floats") ?? [], replacedFloat: try c.float("replaced_value_float") ?? 0,
        ints: try c.ints("imputed_value_int64s") ?? [], replacedInt: Int64(try c.int("replaced_value_int64") ?? 0))
    },
    "OneHotEncoder": { c in try oneHotEncoder(c) },
    "LabelEncoder": { c in try LabelEncoderKernel.make(c) },
    "ZipMap": { c in
      if let s = try c.strings("classlabels_strings"), !s.isEmpty { return ZipMapKernel(labels: .string(s)) }
      guard let i = try c.ints("classlabels_int64s"), !i.isEmpty else {
        throw c.invalid("classlabels_int64s", "or 'classlabels_strings' is required")
      }
      return ZipMapKernel(labels: .int64(i))
    },
    "ArrayFeatureExtractor": { _ in ArrayFeatureExtractorKernel() },
    "Binarizer": { c in BinarizerKernel(threshold: try c.float("threshold") ?? 0) },
  ]
}
