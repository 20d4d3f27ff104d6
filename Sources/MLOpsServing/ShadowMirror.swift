import Foundation
import MLOpsCore
import MLOpsRuntime
import ServiceLifecycle
import Synchronization

/// Shadow variants (Seldon's mirror): after the primary has answered, a copy of a sampled
/// share of requests runs on each shadow's model in the background; its outputs are compared
/// with the primary's and its figures kept, never returned. The queue is bounded and a full
/// one drops copies (counted), so a shadow never slows or fails the primary.
public final class ShadowMirror: Service, Sendable {
  /// One mirrored request.
  struct Job: Sendable {
    let deployment: String
    let generation: Int64
    let shadow: LiveDeployment.Variant
    let makeFeeds: @Sendable (any Predictor) throws -> [String: Tensor]
    let primaryRows: [[String: Cell]]
  }

  /// A shadow's figures since its deployment's generation began.
  struct Figures: Sendable {
    var generation: Int64 = 0
    var requests: Int64 = 0
    var errors: Int64 = 0
    var rows: Int64 = 0
    var agreeingRows: Int64 = 0
    var dropped: Int64 = 0
    var latencies: [Double] = []
  }

  public static let capacity = 1_000
  private let stream: AsyncStream<Job>
  private let continuation: AsyncStream<Job>.Continuation
  private let figures = Mutex<[String: [String: Figures]]>([:])

  public init() {
    (stream, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(Self.capacity))
  }

  /// Queues a copy, or counts it dropped when the queue is full.
  func offer(_ job: Job) {
    if case .dropped = continuation.yield(job) {
      update(job.deployment, job.shadow.name, generation: job.generation) { $0.dropped += 1 }
    }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      for await job in self.stream { await self.mirror(job) }
    }
  }

  private func mirror(_ job: Job) async {
    let started = ContinuousClock.now
    do {
      let outputs = try await job.shadow.model.predict(try job.makeFeeds(job.shadow.model))
      let rows = PredictionOutputs.rows(outputs, order: job.shadow.model.outputs, count: job.primaryRows.count)
      let agreeing = zip(rows, job.primaryRows).filter { Self.agree($0, $1) }.count
      let milliseconds = (ContinuousClock.now - started).milliseconds
      update(job.deployment, job.shadow.name, generation: job.generation) { figures in
        figures.requests += 1
        figures.rows += Int64(job.primaryRows.count)
        figures.agreeingRows += Int64(agreeing)
        if figures.latencies.count < RolloutStats.maxSamples { figures.latencies.append(milliseconds) }
      }
    } catch {
      update(job.deployment, job.shadow.name, generation: job.generation) { figures in
        figures.requests += 1
        figures.errors += 1
      }
    }
  }

  private func update(_ deployment: String, _ shadow: String, generation: Int64, _ change: (inout Figures) -> Void) {
    figures.withLock { all in
      var current = all[deployment, default: [:]][shadow] ?? Figures(generation: generation)
      if current.generation != generation { current = Figures(generation: generation) }
      change(&current)
      all[deployment, default: [:]][shadow] = current
    }
  }

  /// Each shadow's figures for the deployment's current generation.
  func analysis(_ deployment: String, generation: Int64, shadows: [String]) -> [RolloutState.Analysis] {
    let current = figures.withLock { $0[deployment] ?? [:] }
    return shadows.map { name in
      var figures = current[name] ?? Figures(generation: generation)
      if figures.generation != generation { figures = Figures(generation: generation) }
      let sorted = figures.latencies.sorted()
      var analysis = RolloutState.Analysis(
        variant: name, requests: figures.requests, errors: figures.errors,
        latencyP50Milliseconds: RolloutStats.percentile(sorted, 0.5), latencyP99Milliseconds: RolloutStats.percentile(sorted, 0.99))
      analysis.agreementRate = figures.rows == 0 ? 0 : Double(figures.agreeingRows) / Double(figures.rows)
      analysis.dropped = figures.dropped
      return analysis
    }
  }

  /// Whether a shadow row agrees with the primary's. When both answer labels (integers,
  /// strings, bools) the labels decide, exactly — a classifier's probabilities may differ
  /// while it agrees; otherwise every number both answer must match within 1e-4 relative.
  static func agree(_ shadow: [String: Cell], _ primary: [String: Cell]) -> Bool {
    let common = primary.keys.filter { shadow[$0] != nil }
    let labels = common.filter { isLabel(primary[$0]!) }
    for name in labels.isEmpty ? common : labels where !same(primary[name]!, shadow[name]!) { return false }
    return true
  }

  static func isLabel(_ cell: Cell) -> Bool {
    switch cell {
    case .int, .string, .bool, .ints, .strings, .bools: true
    default: false
    }
  }

  static func same(_ a: Cell, _ b: Cell) -> Bool {
    func close(_ x: Double, _ y: Double) -> Bool { x == y || abs(x - y) <= 1e-4 * max(1, abs(x), abs(y)) }
    switch (a, b) {
    case (.double(let x), .double(let y)): return close(x, y)
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return close(Double(x), y)
    case (.doubles(let x), .doubles(let y)): return x.count == y.count && zip(x, y).allSatisfy(close)
    default: return a == b
    }
  }
}
