import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Materialization and consistency", .serialized)
struct MaterializeTests {
  typealias H = FeatureHarness

  @Test("materialize copies the latest offline row per entity in range, once", arguments: TestBackend.available)
  func materialize(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      try await h.push(
        [
          H.row(driver: 1, event: 10, conv: 0.1), H.row(driver: 1, event: 20, conv: 0.2), H.row(driver: 2, event: 15, conv: 2),
          H.row(driver: 3, event: 40, conv: 3),
        ], to: .offline)
      let first = try await h.client.materialize(
        .with {
          $0.startTime = .init(microseconds: 0)
          $0.endTime = .init(microseconds: 30)
        })
      #expect(first.results.map(\.rowsWritten) == [2] && first.results[0].featureView == "driver_stats")
      #expect(first.results[0].watermark.microseconds == 30)
      let online = try await h.online(["driver_stats:conv_rate"], drivers: [1, 2, 3])
      #expect(online.map { $0[0].value.doubleValue } == [0.2, 2, 0])
      #expect(online[2][0].status == .notFound, "event 40 is outside [0, 30)")
      let again = try await h.client.materialize(
        .with {
          $0.startTime = .init(microseconds: 0)
          $0.endTime = .init(microseconds: 30)
        })
      #expect(again.results[0].rowsWritten == 0, "idempotent")

      let incremental = try await h.client.materializeIncremental(.with { $0.endTime = .init(microseconds: 100) })
      #expect(incremental.results[0].rowsWritten == 1 && incremental.results[0].watermark.microseconds == 100)
      #expect(try await h.online(["driver_stats:conv_rate"], drivers: [3])[0][0].value.doubleValue == 3)
      // A newer online value is not moved back by materializing an older offline one.
      try await h.push([H.row(driver: 1, event: 50, conv: 0.5)], to: .online)
      try await h.push([H.row(driver: 1, event: 45, conv: 0.45)], to: .offline)
      let resumed = try await h.client.materializeIncremental(.with { $0.endTime = .init(microseconds: 200) })
      #expect(resumed.results[0].rowsWritten == 0)
      #expect(try await h.online(["driver_stats:conv_rate"], drivers: [1])[0][0].value.doubleValue == 0.5)
    }
  }

  @Test("bad materialize requests are refused", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      var offlineOnly = H.driverView("archive")
      offlineOnly.offline = true
      _ = try await h.client.applyFeatureView(.with { $0.featureView = offlineOnly })
      await expectStatus(.invalidArgument, naming: "end_time") { _ = try await h.client.materialize(.init()) }
      await expectStatus(.invalidArgument, naming: "end_time") {
        _ = try await h.client.materialize(
          .with {
            $0.startTime = .init(microseconds: 10)
            $0.endTime = .init(microseconds: 10)
          })
      }
      await expectStatus(.notFound, naming: "feature_views[0]") {
        _ = try await h.client.materializeIncremental(
          .with {
            $0.featureViews = ["nope"]
            $0.endTime = .init(microseconds: 1)
          })
      }
      await expectStatus(.failedPrecondition, naming: "feature_views[0]") {
        _ = try await h.client.materializeIncremental(
          .with {
            $0.featureViews = ["archive"]
            $0.endTime = .init(microseconds: 1)
          })
      }
      await expectStatus(.failedPrecondition, naming: "to") { try await h.push("archive", [H.row(driver: 1, event: 1)], to: .online) }
    }
  }

  @Test("consistency check reports every online value the offline log does not reproduce", arguments: TestBackend.available)
  func consistency(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      try await h.push((1...20).map { H.row(driver: $0, event: 100, created: 100, conv: Double($0), trips: $0, label: "x") })
      var check = try await h.client.checkConsistency(.init())
      #expect(check.valuesChecked == 60 && check.mismatches.isEmpty)
      // Online-only writes: one changed value, one entity the log never saw.
      try await h.push([H.row(driver: 5, event: 200, created: 200, conv: 5, trips: 99, label: "x")], to: .online)
      try await h.push([H.row(driver: 77, event: 200, created: 200, conv: 1)], to: .online)
      check = try await h.client.checkConsistency(.init())
      let found = Set(check.mismatches.map { "\($0.entityKey["driver_id"]!.int64Value):\($0.feature)" })
      #expect(found == ["5:conv_rate", "5:trips", "5:label", "77:conv_rate", "77:trips", "77:label"])
      let trips = check.mismatches.first { $0.entityKey["driver_id"]?.int64Value == 5 && $0.feature == "trips" }!
      #expect(trips.online.value.int64Value == 99 && trips.offline.value.int64Value == 5 && trips.offline.eventTime.microseconds == 100)
      #expect(check.mismatches.first { $0.entityKey["driver_id"]?.int64Value == 77 }!.offline.status == .notFound)
      let sampled = try await h.client.checkConsistency(.with { $0.sampleSize = 4 })
      #expect(sampled.valuesChecked == 12)
      await expectStatus(.invalidArgument, naming: "sample_size") { _ = try await h.client.checkConsistency(.with { $0.sampleSize = -1 }) }
    }
  }
}
