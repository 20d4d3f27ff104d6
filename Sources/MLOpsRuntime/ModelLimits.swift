/// Bounds that keep a hostile or broken model from exhausting memory or time: a model that
/// exceeds one is refused at load (or its call refused at run) with `limitExceeded`.
public struct ModelLimits: Sendable, Equatable {
  /// Largest accepted model file.
  public var maxModelBytes: Int
  /// Largest tensor (initializer, input or intermediate), in elements.
  public var maxTensorElements: Int
  /// Most trees in one tree-ensemble node.
  public var maxTrees: Int
  /// Most nodes over all trees of one tree-ensemble node.
  public var maxTreeNodes: Int
  /// Deepest path from a tree root to a leaf.
  public var maxTreeDepth: Int
  /// Most nodes in the graph.
  public var maxGraphNodes: Int

  public init(
    maxModelBytes: Int = 512 << 20, maxTensorElements: Int = 64 << 20, maxTrees: Int = 100_000,
    maxTreeNodes: Int = 20_000_000, maxTreeDepth: Int = 1_000, maxGraphNodes: Int = 100_000
  ) {
    self.maxModelBytes = maxModelBytes
    self.maxTensorElements = maxTensorElements
    self.maxTrees = maxTrees
    self.maxTreeNodes = maxTreeNodes
    self.maxTreeDepth = maxTreeDepth
    self.maxGraphNodes = maxGraphNodes
  }

  /// The defaults: generous for real exports, far below what would hurt a 24 GiB machine.
  public static let standard = ModelLimits()
}
