/// A graph input or output as declared by the model: what `mlops model check` prints and what
/// `run` checks caller tensors against.
public struct ValueSpec: Sendable, Equatable, CustomStringConvertible {
  /// The declared type of the value.
  public enum Kind: Sendable, Equatable {
    /// A tensor; each dimension is fixed (a number) or nil (symbolic, such as the batch size).
    case tensor(ElementType, shape: [Int?]?)
    /// A sequence of class → probability maps (ZipMap's output).
    case maps(keys: ElementType)
    /// A type the exporter left undeclared; the runtime infers it when it runs.
    case unknown
  }

  public var name: String
  public var kind: Kind

  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  /// Element type for tensors.
  public var elementType: ElementType? {
    if case .tensor(let type, _) = kind { return type }
    return nil
  }

  /// Declared shape for tensors; nil when no shape was declared.
  public var shape: [Int?]? {
    if case .tensor(_, let shape) = kind { return shape }
    return nil
  }

  public var description: String {
    switch kind {
    case .tensor(let type, let shape):
      let dims = shape.map { "[" + $0.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]" } ?? "[…]"
      return "\(name): \(type)\(dims)"
    case .maps(let keys):
      return "\(name): sequence<map<\(keys), float>>"
    case .unknown:
      return "\(name): (undeclared)"
    }
  }
}
