import Foundation
import MLOpsProto
import Testing

@testable import MLOpsServing

@Suite("Sampled predictions in the monitor's column form")
struct MonitorSinkTests {
  static func sampled(_ id: String, variant: String = "main", version: Int64 = 1, _ features: [String: Cell]) -> SampledPrediction {
    SampledPrediction(
      requestID: id, deployment: "d", variant: variant, modelName: "m", modelVersion: version, time: 1_000, latencyMilliseconds: 2.5,
      features: features, outputs: ["label": .int(1)])
  }

  @Test("the largest group of one variant goes as columns, missing numbers as NaN and texts as empty; other groups as records")
  func grouped() throws {
    let batch = [
      Self.sampled("a", ["x": .double(0.5), "country": .string("fr")]),
      Self.sampled("b", variant: "next", version: 2, ["x": .double(9)]),
      Self.sampled("c", ["x": .int(3), "country": .null]),
      Self.sampled("d", ["country": .string("de"), "v": .doubles([4, 5])]),
    ]
    let request = MonitorPredictionSink.request(batch)
    let columns = request.columns
    #expect(columns.requestIds == ["a", "c", "d"] && columns.variant == "main" && columns.modelVersion == 1 && columns.deployment == "d")
    #expect(columns.timeUnixMs == [1_000, 1_000, 1_000] && columns.latencyMs == [2.5, 2.5, 2.5])
    let x = try #require(columns.values["x"]?.numbers.values)
    #expect(x[0] == 0.5 && x[1] == 3 && x[2].isNaN)
    #expect(columns.values["country"]?.texts.values == ["fr", "", "de"])
    #expect(columns.values["v_1"]?.numbers.values.last == 5 && columns.values["v_0"]?.numbers.values.first?.isNaN == true)
    #expect(columns.values["label"]?.numbers.values == [1, 1, 1])
    #expect(request.records.map(\.requestID) == ["b"] && request.records[0].features["x"]?.doubleValue == 9)
  }

  @Test("a group holding bools or a column of mixed kinds goes as records")
  func fallsBack() {
    let bools = MonitorPredictionSink.request([Self.sampled("a", ["flag": .bool(true), "v": .ints([7, 8])])])
    #expect(!bools.hasColumns && bools.records.count == 1 && bools.records[0].features["flag"]?.boolValue == true)
    #expect(bools.records[0].features["v_1"]?.int64Value == 8, "records carry lists one column per element")
    let mixed = MonitorPredictionSink.request([Self.sampled("a", ["x": .double(1)]), Self.sampled("b", ["x": .string("one")])])
    #expect(!mixed.hasColumns && mixed.records.map(\.requestID) == ["a", "b"])
  }
}

/// A sink that records each batch's size, and can offer more records while a call is in flight.
final class RecordingSink: PredictionSink, @unchecked Sendable {
  private let lock = NSLock()
  private var recorded: [Int] = []
  var duringCall: (@Sendable () -> Void)?

  var batches: [Int] { lock.withLock { recorded } }

  func log(_ batch: [SampledPrediction]) async throws {
    lock.withLock { recorded.append(batch.count) }
    let hook = lock.withLock { () -> (@Sendable () -> Void)? in
      defer { duringCall = nil }
      return duringCall
    }
    hook?()
  }
}

@Suite("The sampler's batches")
struct SamplerBatchTests {
  static func records(_ n: Int) -> [SampledPrediction] {
    (0..<n).map { MonitorSinkTests.sampled("r\($0)", ["x": .double(Double($0))]) }
  }

  @Test("full batches go back to back; records that arrive during a call wait for the next tick instead of a call of their own")
  func batching() async {
    let sink = RecordingSink()
    let sampler = PredictionSampler(sink: sink, metrics: RouterMetrics(registry: nil), logger: RouterHarness.logger)
    sampler.offer(Self.records(2_500))
    await sampler.flush()
    #expect(sink.batches == [1_000, 1_000], "the 500 left wait for the next tick")
    sink.duringCall = { sampler.offer(Self.records(50)) }
    await sampler.flush()
    #expect(sink.batches == [1_000, 1_000, 500], "the 50 that arrived meanwhile did not get a call of their own")
    await sampler.flush(draining: true)
    #expect(sink.batches == [1_000, 1_000, 500, 50])
  }
}
