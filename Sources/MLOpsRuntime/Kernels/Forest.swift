/// Split rules of tree nodes, numbered as TreeEnsemble (ai.onnx.ml opset 5) numbers them.
enum SplitMode: UInt8, Sendable {
  case lessOrEqual = 0, less, greaterOrEqual, greater, equal, notEqual, member, leaf

  init?(name: String) {
    switch name {
    case "BRANCH_LEQ": self = .lessOrEqual
    case "BRANCH_LT": self = .less
    case "BRANCH_GTE": self = .greaterOrEqual
    case "BRANCH_GT": self = .greater
    case "BRANCH_EQ": self = .equal
    case "BRANCH_NEQ": self = .notEqual
    case "LEAF": self = .leaf
    default: return nil
    }
  }
}

/// Trees as the exporters describe them, after attribute parsing and before validation.
struct ForestDescription<T: BinaryFloatingPoint & Sendable> {
  var modes: [SplitMode] = []
  var features: [Int] = []
  var thresholds: [T] = []
  var trueChildren: [Int] = []
  var falseChildren: [Int] = []
  var missingTracksTrue: [Bool] = []
  /// Set-membership values of `member` nodes, by node index.
  var memberSets: [Int: Set<T>] = [:]
  var roots: [Int] = []
  /// Leaf contributions: node index, target/class, weight — in attribute order.
  var weights: [(node: Int, target: Int, value: T)] = []
}

/// Trees compiled into one flat array of 20-byte nodes, so a prediction is a tight loop of
/// loads and compares with no pointer chasing through objects.
struct Forest<T: BinaryFloatingPoint & Sendable>: Sendable {
  struct Node: Sendable {
    var threshold: T
    var feature: Int32
    /// Branches: child indices. Leaves: first weight and weight count.
    var first: Int32
    var second: Int32
    var mode: SplitMode
    var missingTrue: Bool
  }

  let nodes: [Node]
  let roots: [Int32]
  let weightTargets: [Int32]
  let weightValues: [T]
  let memberSets: [Int32: Set<T>]
  /// Every branch is BRANCH_LEQ: the fast loop applies.
  let allLessOrEqual: Bool
  /// Columns the input must have (largest feature index + 1).
  let featureCount: Int
  /// Largest target/class index + 1.
  let targetCount: Int

  /// Validates and compiles: children must exist and each tree must be a tree (no cycles, no
  /// shared nodes) within the depth limit.
  init(_ d: ForestDescription<T>, context: NodeContext) throws {
    let limits = context.limits
    guard d.roots.count <= limits.maxTrees else {
      throw ModelError.limit("\(context.label) has \(d.roots.count) trees; the limit is \(limits.maxTrees)")
    }
    guard d.modes.count <= limits.maxTreeNodes else {
      throw ModelError.limit("\(context.label) has \(d.modes.count) tree nodes; the limit is \(limits.maxTreeNodes)")
    }
    let order = d.weights.indices.sorted { (d.weights[$0].node, $0) < (d.weights[$1].node, $1) }
    var firstWeight = [Int](repeating: 0, count: d.modes.count + 1)
    for w in d.weights { firstWeight[w.node + 1] += 1 }
    for i in 0..<d.modes.count { firstWeight[i + 1] += firstWeight[i] }
    var nodes: [Node] = []
    nodes.reserveCapacity(d.modes.count)
    for i in d.modes.indices {
      let isLeaf = d.modes[i] == .leaf
      nodes.append(
        Node(
          threshold: d.thresholds[i], feature: Int32(isLeaf ? 0 : d.features[i]),
          first: Int32(isLeaf ? firstWeight[i] : d.trueChildren[i]),
          second: Int32(isLeaf ? firstWeight[i + 1] - firstWeight[i] : d.falseChildren[i]),
          mode: d.modes[i], missingTrue: d.missingTracksTrue[i]))
    }
    try Forest.checkShape(nodes, roots: d.roots, context: context)
    self.nodes = nodes
    self.roots = d.roots.map(Int32.init)
    self.weightTargets = order.map { Int32(d.weights[$0].target) }
    self.weightValues = order.map { d.weights[$0].value }
    self.memberSets = Dictionary(uniqueKeysWithValues: d.memberSets.map { (Int32($0.key), $0.value) })
    self.allLessOrEqual = d.modes.allSatisfy { $0 == .lessOrEqual || $0 == .leaf }
    self.featureCount = (zip(d.modes, d.features).filter { $0.0 != .leaf }.map(\.1).max() ?? -1) + 1
    self.targetCount = (d.weights.map(\.target).max() ?? -1) + 1
  }

  private static func checkShape(_ nodes: [Node], roots: [Int], context: NodeContext) throws {
    var visited = [Bool](repeating: false, count: nodes.count)
    for root in roots {
      guard nodes.indices.contains(root) else { throw ModelError.invalidGraph("\(context.label): tree root \(root) does not exist") }
      var stack = [(root, 1)]
      while let (index, depth) = stack.popLast() {
        guard !visited[index] else {
          throw ModelError.invalidGraph(
            "\(context.label): node \(index) is reached twice; the trees are not trees (a cycle or a shared node)")
        }
        guard depth <= context.limits.maxTreeDepth else {
          throw ModelError.limit("\(context.label): a tree is deeper than \(context.limits.maxTreeDepth)")
        }
        visited[index] = true
        let node = nodes[index]
        if node.mode == .leaf { continue }
        guard node.feature >= 0 else { throw ModelError.invalidGraph("\(context.label): node \(index) splits on a negative feature") }
        for child in [Int(node.first), Int(node.second)] {
          guard nodes.indices.contains(child) else {
            throw ModelError.invalidGraph("\(context.label): node \(index) points to child \(child), which does not exist")
          }
          stack.append((child, depth + 1))
        }
      }
    }
  }
}

extension Forest {
  /// The leaf one tree sends `row` to.
  @inline(__always)
  func leaf(from root: Int32, row: UnsafePointer<T>, nodes: UnsafeBufferPointer<Node>) -> Node {
    var node = nodes[Int(root)]
    if allLessOrEqual {
      while node.mode != .leaf {
        let x = row[Int(node.feature)]
        node = nodes[Int(x <= node.threshold || (node.missingTrue && x.isNaN) ? node.first : node.second)]
      }
      return node
    }
    var index = Int(root)
    while node.mode != .leaf {
      let x = row[Int(node.feature)]
      let goTrue: Bool
      if x.isNaN && node.missingTrue {
        goTrue = true
      } else {
        switch node.mode {
        case .lessOrEqual: goTrue = x <= node.threshold
        case .less: goTrue = x < node.threshold
        case .greaterOrEqual: goTrue = x >= node.threshold
        case .greater: goTrue = x > node.threshold
        case .equal: goTrue = x == node.threshold
        case .notEqual: goTrue = x != node.threshold
        case .member: goTrue = memberSets[Int32(index)]?.contains(x) ?? false
        case .leaf: goTrue = true
        }
      }
      index = Int(goTrue ? node.first : node.second)
      node = nodes[index]
    }
    return node
  }
}
