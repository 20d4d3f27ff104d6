import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@testable import MLOpsMonitor

@Suite("Prediction storage")
struct PredictionStorageTests {
  typealias H = MonitorHarness

  @Test("eight clients logging at once fill every window exactly, nothing lost or counted twice", arguments: TestBackend.available)
  func concurrentClients(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 100) })
      _ = try await h.setReference("m")
      let accepted = try await withThrowingTaskGroup(of: Int64.self) { group in
        for client in 0..<8 {
          group.addTask {
            var sum: Int64 = 0
            for call in 0..<5 { sum += try await h.log("m", count: 25, shift: 0, prefix: "c\(client)-\(call)") }
            return sum
          }
        }
        return try await group.reduce(0, +)
      }
      #expect(accepted == 1000)
      let reports = try await h.reports("m") { $0.count == 10 }
      #expect(reports.count == 10 && reports.allSatisfy { $0.rows == 100 })
      #expect(Set(reports.map(\.windowID)) == Set((1...10).map { "m:\($0)" }))
    }
  }

  @Test(
    "predictions stored as rows by the first schema are windowed and labelled beside new ones after the upgrade",
    arguments: TestBackend.available)
  func upgradeKeepsRows(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: Array(MonitorSchema.migrations.prefix(1))) { storage in
      try await H.with(storage: storage) { h in
        _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 100) })
        _ = try await h.setReference("m")
      }
      try await Self.storeRows(storage.executor)
      switch storage {
      case .sqlite(let database): _ = try await database.migrate(MonitorSchema.migrations)
      case .postgres(let database): _ = try await database.migrate(MonitorSchema.migrations)
      }
      try await H.with(storage: storage) { h in
        let first = try #require(try await h.reports("m") { !$0.isEmpty }.first)
        #expect(first.windowID == "m:1" && first.rows == 100 && first.datasetDrift, "the stored rows' x was shifted by 400")
        let labels: [Mlops_Monitor_V1_LabelRecord] = (0..<10).map { i in
          .with {
            $0.requestID = i < 8 ? "old-\(100 + i)" : "new-\(i - 8)"
            $0.label.int64Value = i < 6 ? 1 : 0
          }
        }
        let answer = try await h.client.logLabels(
          .with {
            $0.monitor = "m"
            $0.labels = labels
          })
        #expect(answer.labelsMatched == 8 && answer.labelsUnmatched == 2, "old rows are found by request id; new ones are not logged yet")
        #expect(try await h.log("m", count: 50, shift: 0, prefix: "new", score: 0.8) == 50)
        let second = try #require(try await h.reports("m") { $0.count == 2 }.first)
        #expect(second.windowID == "m:2" && second.rows == 100, "50 stored rows and 50 new ones")
        // Scores are 0.8 (class 1): 6 of the 8 old rows' labels are 1, neither new one's is.
        #expect(second.performance["accuracy"] == 6.0 / 10.0)
      }
    }
  }

  /// 150 predictions of monitor m as the first schema stored them, interleaved with another
  /// monitor's (so m's sequences have gaps), the first 100 closed as window m:1.
  static func storeRows(_ sql: any SQLExecutor) async throws {
    var seqs: [Int64] = []
    for i in 0..<150 {
      let values: [String: FieldValue] = [
        "x": .number(Double(i * 10 % 1000) + 400), "color": .text(i % 2 == 0 ? "red" : "blue"), "score": .number(0.8),
      ]
      let rows: [(String, String, Data)] = [
        ("m", "old-\(i)", ValueCodec.encode(values)), ("other", "o-\(i)", ValueCodec.encode(["x": .number(1)])),
      ]
      for (monitor, id, payload) in rows.prefix(i % 3 == 0 ? 2 : 1) {
        try await sql.transaction { c in
          try await c.execute(
            "INSERT INTO predictions (monitor, request_id, time, latency_ms, variant, model_version, payload) VALUES (?, ?, ?, 2, '', 0, ?)",
            [.text(monitor), .text(id), .int(1_000 + Int64(i)), .blob(payload)])
        }
      }
      seqs.append(try await sql.read { c in try await c.first("SELECT MAX(seq) FROM predictions WHERE monitor = 'm'", []) }?[0].int ?? 0)
    }
    let last = seqs[99]
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO windows (window_id, monitor, number, first_seq, last_seq, rows, start_time, end_time) VALUES ('m:1', 'm', 1, 1, ?, 100, 1000, 1099)",
        [.int(last)])
    }
  }
}
