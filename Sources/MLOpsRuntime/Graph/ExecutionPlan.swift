/// A graph compiled for execution: values numbered into slots, constants (initializers and
/// folded nodes) stored once, and the remaining nodes in a valid topological order.
struct ExecutionPlan: Sendable {
  /// One node to run: its kernel and the slots it reads and writes (-1: absent/unused).
  struct Step: Sendable {
    let kernel: any Kernel
    let inputs: [Int]
    let outputs: [Int]
    /// "node 'X' (ai.onnx Add, opset 17)", prefixed to run-time errors.
    let label: String
  }

  /// Slot contents before a call: constants filled, everything else nil.
  let initialSlots: [Value?]
  let steps: [Step]
  /// Graph inputs the caller feeds, with their slots.
  let inputSlots: [(spec: ValueSpec, slot: Int)]
  /// Position in `inputSlots` by name, so a call checks its feeds without allocating.
  let inputIndex: [String: Int]
  /// Graph outputs, in declaration order, with their slots.
  let outputSlots: [(name: String, slot: Int)]
}
