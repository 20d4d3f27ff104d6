/// Turns a decoded ONNX graph into an `ExecutionPlan`, rejecting everything that could fail
/// later: unknown operators or opsets, dangling or duplicated value names, cycles, invalid
/// attributes, oversized tensors. Nodes whose inputs are all constant are evaluated here.
struct GraphBuilder {
  let graph: Onnx_GraphProto
  let opsets: [String: Int]
  let limits: ModelLimits
  /// False for a check-only build: raw numeric initializers are verified without being
  /// decoded, and decoded only if a folded node reads them. Such a plan cannot run.
  let materializesConstants: Bool

  private var constants: [String: Value] = [:]
  /// Initializers verified but not decoded (check-only builds).
  private var deferred: [String: Onnx_TensorProto] = [:]
  private var producers: [String: Int] = [:]

  init(graph: Onnx_GraphProto, opsets: [String: Int], limits: ModelLimits, materializesConstants: Bool = true) {
    self.graph = graph
    self.opsets = opsets
    self.limits = limits
    self.materializesConstants = materializesConstants
  }

  /// The graph inputs a caller must feed: declared inputs that are not initializers.
  func feedSpecs() throws -> [ValueSpec] {
    let initialized = Set(graph.initializer.map(\.name))
    return try graph.input.filter { !initialized.contains($0.name) }.map { try $0.spec(role: "input") }
  }

  mutating func build() throws -> ExecutionPlan {
    guard graph.node.count <= limits.maxGraphNodes else {
      throw ModelError.limit("the graph has \(graph.node.count) nodes; the limit is \(limits.maxGraphNodes)")
    }
    guard graph.sparseInitializer.isEmpty else {
      throw ModelError.unsupported("the graph uses sparse initializers, which are not supported")
    }
    let feeds = try feedSpecs()
    try collectConstants()
    try indexProducers(feeds: feeds)
    let order = try topologicalOrder()
    var steps: [(node: Onnx_NodeProto, kernel: any Kernel, label: String)] = []
    for index in order {
      let node = graph.node[index]
      let context = try context(for: node)
      let kernel = try OperatorRegistry.makeKernel(context)
      if try !fold(node, kernel: kernel, label: context.label) {
        steps.append((node, kernel, context.label))
      }
    }
    return try plan(feeds: feeds, steps: steps)
  }

  private mutating func collectConstants() throws {
    for initializer in graph.initializer {
      guard !initializer.name.isEmpty else { throw ModelError.invalidGraph("an initializer has no name") }
      guard constants[initializer.name] == nil, deferred[initializer.name] == nil else {
        throw ModelError.invalidGraph("initializer '\(initializer.name)' is defined twice")
      }
      if !materializesConstants, try initializer.verifiedWithoutDecoding(limits: limits) {
        deferred[initializer.name] = initializer
      } else {
        constants[initializer.name] = .tensor(try initializer.decodedTensor(limits: limits))
      }
    }
  }

  private mutating func indexProducers(feeds: [ValueSpec]) throws {
    var defined = Set(constants.keys).union(deferred.keys)
    for feed in feeds {
      guard defined.insert(feed.name).inserted else { throw ModelError.invalidGraph("input '\(feed.name)' is declared twice") }
    }
    for (index, node) in graph.node.enumerated() {
      for output in node.output where !output.isEmpty {
        guard defined.insert(output).inserted else {
          throw ModelError.invalidGraph("value '\(output)' is produced twice (again by node '\(node.name)' \(node.opType))")
        }
        producers[output] = index
      }
    }
    for (index, node) in graph.node.enumerated() {
      for input in node.input where !input.isEmpty && !defined.contains(input) {
        throw ModelError.invalidGraph(
          "node '\(node.name)' (\(node.opType)) reads '\(input)', which no input, initializer or node defines (node #\(index))")
      }
    }
    for output in graph.output where !defined.contains(output.name) {
      throw ModelError.invalidGraph("graph output '\(output.name)' is not produced by any node, input or initializer")
    }
  }

  /// Kahn's algorithm in declaration order, so a well-formed export keeps its order and a
  /// cycle is reported naming a node on it.
  private func topologicalOrder() throws -> [Int] {
    let count = graph.node.count
    var pending = [Int](repeating: 0, count: count)
    var dependents = [[Int]](repeating: [], count: count)
    for (index, node) in graph.node.enumerated() {
      for producer in Set(node.input.compactMap { producers[$0] }) {
        pending[index] += 1
        dependents[producer].append(index)
      }
    }
    var ready = (0..<count).filter { pending[$0] == 0 }.reversed() as [Int]
    var order: [Int] = []
    order.reserveCapacity(count)
    while let next = ready.popLast() {
      order.append(next)
      for dependent in dependents[next].reversed() {
        pending[dependent] -= 1
        if pending[dependent] == 0 { ready.append(dependent) }
      }
    }
    if order.count < count, let stuck = (0..<count).first(where: { pending[$0] > 0 }) {
      let node = graph.node[stuck]
      throw ModelError.invalidGraph("the graph has a cycle through node '\(node.name)' (\(node.opType))")
    }
    return order
  }

  private func context(for node: Onnx_NodeProto) throws -> NodeContext {
    let domain = node.domain == "ai.onnx" ? "" : node.domain
    let domainName = domain.isEmpty ? "ai.onnx" : domain
    guard let opset = opsets[domain] else {
      throw ModelError.invalidGraph(
        "node '\(node.name)' (\(domainName) \(node.opType)) uses domain '\(domainName)', which the model does not import")
    }
    var attributes: [String: Onnx_AttributeProto] = [:]
    for attribute in node.attribute {
      guard attribute.refAttrName.isEmpty else {
        throw ModelError.unsupported("node '\(node.name)' (\(node.opType)) refers to a function attribute")
      }
      attributes[attribute.name] = attribute
    }
    return NodeContext(
      name: node.name, opType: node.opType, domain: domain, opset: opset, attributes: attributes,
      limits: limits)
  }

  /// Evaluates a node now when all its inputs are constants; returns whether it did.
  private mutating func fold(_ node: Onnx_NodeProto, kernel: any Kernel, label: String) throws -> Bool {
    let inputs = node.input.filter { !$0.isEmpty }
    guard inputs.allSatisfy({ constants[$0] != nil || deferred[$0] != nil }), !(inputs.isEmpty && node.opType != "Constant") else {
      return false
    }
    for name in inputs {
      if let pending = deferred.removeValue(forKey: name) { constants[name] = .tensor(try pending.decodedTensor(limits: limits)) }
    }
    let values: [Value?] = node.input.map { $0.isEmpty ? nil : constants[$0] }
    let outputs: [Value]
    do {
      outputs = try kernel.run(values)
    } catch let error as ModelError {
      throw ModelError.invalidGraph("\(label) fails on its constant inputs: \(error.message)")
    }
    for (name, value) in zip(node.output, outputs) where !name.isEmpty {
      constants[name] = value
    }
    return true
  }

  private func plan(
    feeds: [ValueSpec], steps: [(node: Onnx_NodeProto, kernel: any Kernel, label: String)]
  ) throws -> ExecutionPlan {
    var slots: [String: Int] = [:]
    var initial: [Value?] = []
    func slot(_ name: String) -> Int {
      if let existing = slots[name] { return existing }
      slots[name] = initial.count
      initial.append(nil)
      return initial.count - 1
    }
    let inputSlots = feeds.map { (spec: $0, slot: slot($0.name)) }
    let planned = steps.map { step in
      ExecutionPlan.Step(
        kernel: step.kernel, inputs: step.node.input.map { $0.isEmpty ? -1 : slot($0) },
        outputs: step.node.output.map { $0.isEmpty ? -1 : slot($0) }, label: step.label)
    }
    let outputSlots = graph.output.map { (name: $0.name, slot: slot($0.name)) }
    for (name, index) in slots {
      if let value = constants[name] { initial[index] = value }
    }
    return ExecutionPlan(
      initialSlots: initial, steps: planned, inputSlots: inputSlots,
      inputIndex: Dictionary(inputSlots.enumerated().map { ($0.element.spec.name, $0.offset) }, uniquingKeysWith: { a, _ in a }),
      outputSlots: outputSlots)
  }
}

extension Onnx_ValueInfoProto {
  /// The declared type of a graph input or output.
  func spec(role: String) throws -> ValueSpec {
    guard !name.isEmpty else { throw ModelError.invalidGraph("a graph \(role) has no name") }
    guard hasType, let value = type.value else { return ValueSpec(name: name, kind: .unknown) }
    switch value {
    case .tensorType(let tensor):
      guard let element = elementType(code: tensor.elemType) else {
        throw ModelError.unsupported("graph \(role) '\(name)' has element type \(typeName(tensor.elemType)), which is not supported")
      }
      let shape: [Int?]? =
        tensor.hasShape
        ? tensor.shape.dim.map { if case .dimValue(let v) = $0.value, v >= 0 { return Int(v) } else { return nil } }
        : nil
      return ValueSpec(name: name, kind: .tensor(element, shape: shape))
    case .sequenceType(let sequence):
      if case .mapType(let map) = sequence.elemType.value, let key = elementType(code: map.keyType) {
        return ValueSpec(name: name, kind: .maps(keys: key))
      }
      throw ModelError.unsupported("graph \(role) '\(name)' is a sequence of something other than maps")
    case .mapType:
      throw ModelError.unsupported("graph \(role) '\(name)' is a map, which is not supported")
    }
  }
}
