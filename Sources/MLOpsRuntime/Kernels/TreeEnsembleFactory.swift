/// Reads the tree-ensemble attributes the exporters write (the opset 1–3 node/target lists and
/// opset 5's TreeEnsemble arrays) into a validated `TreeEnsembleKernel`.
enum TreeEnsembleFactory {
  static func classifier(_ c: NodeContext) throws -> any Kernel {
    try usesDouble(c, "nodes_values_as_tensor") ? legacy(c, Double.self, classifier: true) : legacy(c, Float.self, classifier: true)
  }

  static func regressor(_ c: NodeContext) throws -> any Kernel {
    try usesDouble(c, "nodes_values_as_tensor") ? legacy(c, Double.self, classifier: false) : legacy(c, Float.self, classifier: false)
  }

  static func ensemble(_ c: NodeContext) throws -> any Kernel {
    try usesDouble(c, "nodes_splits") ? version5(c, Double.self) : version5(c, Float.self)
  }

  private static func usesDouble(_ c: NodeContext, _ name: String) throws -> Bool {
    try c.tensor(name)?.elementType == .double
  }

  /// A float list from either `name` or `name_as_tensor`.
  private static func scalars<T: ForestScalar>(_ c: NodeContext, _ name: String, _: T.Type) throws -> [T]? {
    if let t = try c.tensor(name + "_as_tensor") {
      guard let v = T.values(of: t.data) else { throw c.invalid(name + "_as_tensor", "must be float or double") }
      return v
    }
    return try c.floats(name).map { $0.map { T($0) } }
  }

  private static func required(_ c: NodeContext, _ name: String) throws -> [Int64] {
    guard let v = try c.ints(name) else { throw c.invalid(name, "is required") }
    return v
  }

  private static func legacy<T: ForestScalar>(_ c: NodeContext, _: T.Type, classifier: Bool) throws -> any Kernel {
    let prefix = classifier ? "class" : "target"
    var d = try legacyNodes(c, T.self)
    let ids = (try required(c, prefix + "_treeids"), try required(c, prefix + "_nodeids"), try required(c, prefix + "_ids"))
    let weights = try scalars(c, prefix + "_weights", T.self) ?? []
    guard ids.0.count == ids.1.count, ids.1.count == ids.2.count, ids.2.count == weights.count else {
      throw c.invalid(prefix + "_weights", "and the \(prefix)_* id lists must have one length")
    }
    let index = try legacyIndex(c)
    for i in weights.indices {
      guard let node = index[Key(tree: ids.0[i], node: ids.1[i])] else {
        throw c.invalid(prefix + "_nodeids", "names node \(ids.1[i]) of tree \(ids.0[i]), which does not exist")
      }
      guard ids.2[i] >= 0, ids.2[i] < Int64(Int32.max) else { throw c.invalid(prefix + "_ids", "holds \(ids.2[i])") }
      d.weights.append((node, Int(ids.2[i]), weights[i]))
    }
    let base = try scalars(c, "base_values", T.self) ?? []
    let transform = try PostTransform(name: try c.string("post_transform"), context: c)
    let forest = try Forest(d, context: c)
    if classifier {
      let labels = try ClassLabels(context: c, ints: "classlabels_int64s", strings: "classlabels_strings")
      guard labels.count >= 2, forest.targetCount <= labels.count else {
        throw c.invalid("class_ids", "refer to \(forest.targetCount) classes but \(labels.count) labels are listed")
      }
      let head = TreeEnsembleCore<T>.Head.classifier(
        labels: labels, binaryCase: labels.count == 2 && Set(ids.2).count == 1, allPositive: weights.allSatisfy { $0 >= 0 })
      return TreeEnsembleKernel(forest: forest, head: head, base: base, transform: transform)
    }
    let targets = try c.int("n_targets", default: 1)
    guard targets >= 1, forest.targetCount <= targets else {
      throw c.invalid("n_targets", "is \(targets) but target_ids go to \(forest.targetCount)")
    }
    let aggregate = try legacyAggregate(c)
    return TreeEnsembleKernel(
      forest: forest, head: .regressor(targets: targets, aggregate: aggregate, typedOutput: false), base: base, transform: transform)
  }

  struct Key: Hashable {
    let tree: Int64
    let node: Int64
  }

  private static func legacyIndex(_ c: NodeContext) throws -> [Key: Int] {
    let trees = try required(c, "nodes_treeids")
    let nodes = try required(c, "nodes_nodeids")
    var index: [Key: Int] = [:]
    for i in trees.indices {
      guard index.updateValue(i, forKey: Key(tree: trees[i], node: nodes[i])) == nil else {
        throw c.invalid("nodes_nodeids", "lists node \(nodes[i]) of tree \(trees[i]) twice")
      }
    }
    return index
  }

  private static func legacyNodes<T: ForestScalar>(_ c: NodeContext, _: T.Type) throws -> ForestDescription<T> {
    let trees = try required(c, "nodes_treeids")
    let nodes = try required(c, "nodes_nodeids")
    let features = try required(c, "nodes_featureids")
    let trues = try required(c, "nodes_truenodeids")
    let falses = try required(c, "nodes_falsenodeids")
    guard let modeNames = try c.strings("nodes_modes") else { throw c.invalid("nodes_modes", "is required") }
    let thresholds = try scalars(c, "nodes_values", T.self) ?? []
    let missing = try c.ints("nodes_missing_value_tracks_true") ?? []
    let n = trees.count
    for (name, count) in [
      ("nodes_nodeids", nodes.count), ("nodes_featureids", features.count), ("nodes_truenodeids", trues.count),
      ("nodes_falsenodeids", falses.count), ("nodes_modes", modeNames.count), ("nodes_values", thresholds.count),
    ]
    where count != n {
      throw c.invalid(name, "has \(count) entries but nodes_treeids has \(n)")
    }
    guard missing.isEmpty || missing.count == n else {
      throw c.invalid("nodes_missing_value_tracks_true", "has \(missing.count) entries for \(n) nodes")
    }
    let index = try legacyIndex(c)
    var d = ForestDescription<T>()
    var seenTrees = Set<Int64>()
    for i in 0..<n {
      guard let mode = SplitMode(name: modeNames[i]) else { throw c.invalid("nodes_modes", "has unknown mode '\(modeNames[i])'") }
      if seenTrees.insert(trees[i]).inserted { d.roots.append(i) }
      func child(_ id: Int64, _ attribute: String) throws -> Int {
        if mode == .leaf { return 0 }
        guard let found = index[Key(tree: trees[i], node: id)], found != i else {
          throw c.invalid(attribute, "of node \(nodes[i]) in tree \(trees[i]) points to node \(id), which is not in that tree")
        }
        return found
      }
      guard mode == .leaf || (features[i] >= 0 && features[i] < Int64(Int32.max)) else {
        throw c.invalid("nodes_featureids", "holds \(features[i])")
      }
      d.modes.append(mode)
      d.features.append(Int(features[i]))
      d.thresholds.append(thresholds[i])
      d.trueChildren.append(try child(trues[i], "nodes_truenodeids"))
      d.falseChildren.append(try child(falses[i], "nodes_falsenodeids"))
      d.missingTracksTrue.append(missing.isEmpty ? false : missing[i] != 0)
    }
    return d
  }

  private static func legacyAggregate(_ c: NodeContext) throws -> TreeAggregate {
    switch try c.string("aggregate_function") ?? "SUM" {
    case "SUM": .sum
    case "AVERAGE": .average
    case "MIN": .minimum
    case "MAX": .maximum
    case let other: throw c.invalid("aggregate_function", "has unknown value '\(other)'")
    }
  }
}
