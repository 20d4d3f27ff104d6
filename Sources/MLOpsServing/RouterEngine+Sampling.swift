import Foundation
import MLOpsCore
import MLOpsRuntime

/// Sampling predictions to the monitor: a share of requests (`monitor_sample_rate`), each row
/// one record, queued without waiting.
extension RouterEngine {
  /// Queues the rows of a sampled request for the monitor; `rows` is only evaluated when the
  /// request is sampled. A request of several rows gives them ids `<request id>/<row>`.
  func sample(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, requestID: String, started: ContinuousClock.Instant,
    _ rows: () -> (inputs: [[String: Cell]], outputs: [[String: Cell]])
  ) {
    let rate = deployment.definition.monitorSampleRate
    guard let sampler, rate > 0, rate >= 1 || Double.random(in: 0..<1) < rate else { return }
    let (inputs, outputs) = rows()
    let milliseconds = (ContinuousClock.now - started).milliseconds
    let time = clock()
    let records = zip(inputs, outputs).enumerated().map { index, row in
      SampledPrediction(
        requestID: inputs.count == 1 ? requestID : "\(requestID)/\(index)", deployment: deployment.definition.name,
        variant: variant.name, modelName: variant.resolved.name, modelVersion: variant.resolved.version, time: time,
        latencyMilliseconds: milliseconds, features: row.0, outputs: row.1)
    }
    sampler.offer(records)
  }

  /// Queues a copy of the request for each shadow that samples it (after the answer exists).
  func mirror(
    _ deployment: LiveDeployment, primaryRows: [[String: Cell]], _ makeFeeds: @escaping @Sendable (any Predictor) throws -> [String: Tensor]
  ) {
    guard let shadowMirror, !deployment.shadows.isEmpty else { return }
    for shadow in deployment.shadows {
      let fraction = deployment.definition.variants.first { $0.name == shadow.name }?.mirrorFraction ?? 1
      guard fraction == 0 || fraction >= 1 || Double.random(in: 0..<1) < fraction else { continue }
      shadowMirror.offer(
        .init(
          deployment: deployment.definition.name, generation: deployment.definition.generation, shadow: shadow,
          makeFeeds: makeFeeds, primaryRows: primaryRows))
    }
  }

  /// Lists as one column per element (`X_0`, `X_1`…), which the monitor can test.
  static func flattened(_ row: [String: Cell]) -> [String: Cell] {
    var flat: [String: Cell] = [:]
    for (name, cell) in row {
      switch cell {
      case .ints(let v): for (i, x) in v.enumerated() { flat["\(name)_\(i)"] = .int(x) }
      case .doubles(let v): for (i, x) in v.enumerated() { flat["\(name)_\(i)"] = .double(x) }
      case .strings(let v): for (i, x) in v.enumerated() { flat["\(name)_\(i)"] = .string(x) }
      case .bools(let v): for (i, x) in v.enumerated() { flat["\(name)_\(i)"] = .bool(x) }
      default: flat[name] = cell
      }
    }
    return flat
  }
}
