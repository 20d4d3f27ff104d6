/// TreeEnsemble (ai.onnx.ml opset 5): internal nodes and leaves in separate arrays, split
/// modes as a uint8 tensor, set-membership splits.
extension TreeEnsembleFactory {
  static func version5<T: ForestScalar>(_ c: NodeContext, _: T.Type) throws -> any Kernel {
    func ints(_ name: String) throws -> [Int64] {
      guard let v = try c.ints(name) else { throw c.invalid(name, "is required") }
      return v
    }
    func tensor(_ name: String) throws -> [T] {
      guard let t = try c.tensor(name), let v = T.values(of: t.data) else { throw c.invalid(name, "is required and must be numeric") }
      return v
    }
    guard let modeTensor = try c.tensor("nodes_modes"), case .int64(let modeCodes) = modeTensor.data else {
      throw c.invalid("nodes_modes", "is required (a uint8 tensor)")
    }
    let features = try ints("nodes_featureids")
    let splits = try tensor("nodes_splits")
    let trues = try ints("nodes_truenodeids")
    let falses = try ints("nodes_falsenodeids")
    let trueLeaf = try ints("nodes_trueleafs")
    let falseLeaf = try ints("nodes_falseleafs")
    let leafTargets = try ints("leaf_targetids")
    let leafWeights = try tensor("leaf_weights")
    let roots = try ints("tree_roots")
    let missing = try c.ints("nodes_missing_value_tracks_true") ?? []
    let n = modeCodes.count
    let leaves = leafTargets.count
    for (name, count) in [
      ("nodes_featureids", features.count), ("nodes_splits", splits.count), ("nodes_truenodeids", trues.count),
      ("nodes_falsenodeids", falses.count), ("nodes_trueleafs", trueLeaf.count), ("nodes_falseleafs", falseLeaf.count),
    ]
    where count != n {
      throw c.invalid(name, "has \(count) entries but nodes_modes has \(n)")
    }
    guard leafWeights.count == leaves else {
      throw c.invalid("leaf_weights", "has \(leafWeights.count) entries for \(leaves) leaf_targetids")
    }
    guard missing.isEmpty || missing.count == n else {
      throw c.invalid("nodes_missing_value_tracks_true", "has \(missing.count) entries for \(n) nodes")
    }
    var members = try c.tensor("membership_values").flatMap { T.values(of: $0.data) } ?? []
    var d = ForestDescription<T>()
    for i in 0..<n {
      guard let mode = SplitMode(rawValue: UInt8(clamping: modeCodes[i])), mode != .leaf, modeCodes[i] >= 0 else {
        throw c.invalid("nodes_modes", "has unknown mode \(modeCodes[i])")
      }
      func child(_ id: Int64, leaf: Int64, _ attribute: String) throws -> Int {
        let limit = leaf != 0 ? leaves : n
        guard id >= 0, id < Int64(limit) else { throw c.invalid(attribute, "of node \(i) points to \(id), out of range") }
        return leaf != 0 ? n + Int(id) : Int(id)
      }
      guard features[i] >= 0, features[i] < Int64(Int32.max) else { throw c.invalid("nodes_featureids", "holds \(features[i])") }
      d.modes.append(mode)
      d.features.append(Int(features[i]))
      d.thresholds.append(splits[i])
      d.trueChildren.append(try child(trues[i], leaf: trueLeaf[i], "nodes_truenodeids"))
      d.falseChildren.append(try child(falses[i], leaf: falseLeaf[i], "nodes_falsenodeids"))
      d.missingTracksTrue.append(missing.isEmpty ? false : missing[i] != 0)
      if mode == .member {
        let end = members.firstIndex(where: { $0.isNaN }) ?? members.count
        guard end > 0 else { throw c.invalid("membership_values", "has no set for member node \(i)") }
        d.memberSets[i] = Set(members[..<end])
        members.removeFirst(min(end + 1, members.count))
      }
    }
    for l in 0..<leaves {
      guard leafTargets[l] >= 0, leafTargets[l] < Int64(Int32.max) else { throw c.invalid("leaf_targetids", "holds \(leafTargets[l])") }
      d.modes.append(.leaf)
      d.features.append(0)
      d.thresholds.append(0)
      d.trueChildren.append(0)
      d.falseChildren.append(0)
      d.missingTracksTrue.append(false)
      d.weights.append((n + l, Int(leafTargets[l]), leafWeights[l]))
    }
    d.roots = try roots.map {
      guard $0 >= 0, $0 < Int64(n) else { throw c.invalid("tree_roots", "holds \($0), out of range") }
      return Int($0)
    }
    let targets = try c.int("n_targets", default: 1)
    let forest = try Forest(d, context: c)
    guard targets >= 1, forest.targetCount <= targets else {
      throw c.invalid("n_targets", "is \(targets) but leaf_targetids go to \(forest.targetCount)")
    }
    let aggregates: [TreeAggregate] = [.average, .sum, .minimum, .maximum]
    let code = try c.int("aggregate_function", default: 1)
    guard aggregates.indices.contains(code) else { throw c.invalid("aggregate_function", "has unknown value \(code)") }
    return TreeEnsembleKernel(
      forest: forest, head: .regressor(targets: targets, aggregate: aggregates[code], typedOutput: true), base: [],
      transform: try PostTransform(code: try c.int("post_transform", default: 0), context: c))
  }
}
