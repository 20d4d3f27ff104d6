/// Running a loaded model.
extension Model {
  /// Runs the model on named input tensors (a batch of N rows in one call) and returns every
  /// graph output by name. Wrong names, types or shapes are `invalidInput` errors naming the
  /// input; nothing the caller passes can crash the process.
  public func run(_ feeds: [String: Tensor]) throws -> [String: Value] {
    var slots = plan.initialSlots
    try bind(feeds, into: &slots)
    for step in plan.steps {
      var arguments: [Value?] = []
      arguments.reserveCapacity(step.inputs.count)
      for slot in step.inputs { arguments.append(slot < 0 ? nil : slots[slot]) }
      let results: [Value]
      do {
        results = try step.kernel.run(arguments)
      } catch let error as ModelError {
        throw ModelError(error.kind, "\(step.label): \(error.message)")
      }
      for (slot, value) in zip(step.outputs, results) where slot >= 0 {
        slots[slot] = value
      }
    }
    var outputs: [String: Value] = [:]
    for (name, slot) in plan.outputSlots {
      guard let value = slots[slot] else { throw ModelError.execution("output '\(name)' was not computed") }
      outputs[name] = value
    }
    return outputs
  }

  private func bind(_ feeds: [String: Tensor], into slots: inout [Value?]) throws {
    if feeds.count != plan.inputSlots.count || feeds.keys.contains(where: { plan.inputIndex[$0] == nil }),
      let unknown = feeds.keys.sorted().first(where: { plan.inputIndex[$0] == nil })
    {
      throw ModelError.input(
        "the model has no input named '\(unknown)'; its inputs are \(plan.inputSlots.map(\.spec.name).joined(separator: ", "))")
    }
    for (spec, slot) in plan.inputSlots {
      guard let tensor = feeds[spec.name] else { throw ModelError.input("input '\(spec.name)' is missing") }
      try check(tensor, against: spec)
      slots[slot] = .tensor(tensor)
    }
  }

  private func check(_ tensor: Tensor, against spec: ValueSpec) throws {
    guard tensor.shape.allSatisfy({ $0 >= 0 }) else {
      throw ModelError.input("input '\(spec.name)' has a negative dimension in shape \(tensor.shape)")
    }
    let (count, overflow) = tensor.shape.reduce((1, false)) { acc, d in
      let (p, o) = acc.0.multipliedReportingOverflow(by: d)
      return (p, acc.1 || o)
    }
    guard !overflow, count <= limits.maxTensorElements else {
      throw ModelError.limit("input '\(spec.name)' has more than \(limits.maxTensorElements) elements")
    }
    guard count == tensor.data.count else {
      throw ModelError.input("input '\(spec.name)' has shape \(tensor.shape) (\(count) elements) but \(tensor.data.count) values")
    }
    if let type = spec.elementType, type != tensor.elementType {
      throw ModelError.input("input '\(spec.name)' must be \(type), got \(tensor.elementType)")
    }
    if let shape = spec.shape {
      guard shape.count == tensor.rank else {
        throw ModelError.input("input '\(spec.name)' must have rank \(shape.count) (shape \(spec)), got shape \(tensor.shape)")
      }
      for (axis, (want, got)) in zip(shape, tensor.shape).enumerated() {
        if let want, want != got {
          throw ModelError.input("input '\(spec.name)' dimension \(axis) must be \(want), got \(got) (shape \(tensor.shape))")
        }
      }
    }
  }
}
