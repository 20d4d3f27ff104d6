import GRPCCore
import MLOpsFeatureStore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Online reads", .serialized)
struct OnlineTests {
  typealias H = FeatureHarness

  @Test("each value has its status: present, null, not found, outside max age", arguments: TestBackend.available)
  func statuses(backend: TestBackend) async throws {
    try await H.with(backend, clock: 1_000 * H.second) { h in
      try await h.defineDrivers(ttlSeconds: 60)
      try await h.push([
        H.row(driver: 1, event: 990 * H.second, conv: 0.5, trips: 3),
        H.row(driver: 2, event: 900 * H.second, conv: 0.9),
      ])
      let values = try await h.online(["driver_stats:conv_rate", "driver_stats:trips"], drivers: [1, 2, 3])
      #expect(values[0].map(\.status) == [.present, .present])
      #expect(values[0][0].value.doubleValue == 0.5 && values[0][1].value.int64Value == 3)
      #expect(values[0][0].eventTime.microseconds == 990 * H.second)
      #expect(values[1].map(\.status) == [.outsideMaxAge, .outsideMaxAge], "100 s old with a 60 s TTL")
      #expect(values[1][0].eventTime.microseconds == 900 * H.second)
      #expect(values[2].map(\.status) == [.notFound, .notFound])
      h.clock.set(1_040 * H.second)
      let later = try await h.online(["driver_stats:trips", "driver_stats:label"], drivers: [1])
      #expect(later[0].map(\.status) == [.present, .nullValue])
      h.clock.set(1_051 * H.second)
      #expect(try await h.online(["driver_stats:trips"], drivers: [1])[0][0].status == .outsideMaxAge)
    }
  }

  @Test("a feature service names its features, across views", arguments: TestBackend.available)
  func featureService(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      _ = try await h.client.applyFeatureView(.with { $0.featureView = H.driverView("driver_profile") })
      try await h.push([H.row(driver: 7, event: 1, trips: 70)])
      try await h.push("driver_profile", [H.row(driver: 7, event: 1, label: "gold")])
      _ = try await h.client.applyFeatureService(
        .with {
          $0.featureService = .with {
            $0.name = "eta_model"
            $0.features = ["driver_stats:trips", "driver_profile:label"]
          }
        })
      let response = try await h.client.getOnlineFeatures(
        .with {
          $0.featureService = "eta_model"
          $0.entityRows = [.with { $0.values = ["driver_id": .with { $0.int64Value = 7 }] }]
        })
      #expect(response.featureNames == ["driver_stats:trips", "driver_profile:label"])
      #expect(response.results[0].values.map(\.value) == [.with { $0.int64Value = 70 }, .with { $0.stringValue = "gold" }])
      await expectStatus(.notFound, naming: "feature_service") {
        _ = try await h.client.getOnlineFeatures(
          .with {
            $0.featureService = "nope"
            $0.entityRows = [.init()]
          })
      }
      await expectStatus(.invalidArgument, naming: "entity_rows[0].driver_id") {
        _ = try await h.client.getOnlineFeatures(
          .with {
            $0.featureService = "eta_model"
            $0.entityRows = [.init()]
          })
      }
      await expectStatus(.invalidArgument, naming: "features[0]") { _ = try await h.online(["no-colon"], drivers: [7]) }
      await expectStatus(.notFound, naming: "features[1]") {
        _ = try await h.online(["driver_stats:trips", "driver_stats:x"], drivers: [7])
      }
    }
  }

  @Test("a restarted server keeps every online value", arguments: TestBackend.available)
  func restart(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: MLOpsFeatureStore.FeatureSchema.migrations) { storage in
      let clock = TestClock(1_000 * H.second)
      try await H.serve(storage, clock: clock) { h in
        try await h.defineDrivers()
        try await h.push((0..<50).map { H.row(driver: $0, event: 10, conv: Double($0)) }, to: .online)
        try await h.push([H.row(driver: 1, event: 5, conv: -1)], to: .online)
      }
      try await H.serve(storage, clock: clock) { h in
        let values = try await h.online(["driver_stats:conv_rate"], drivers: Array(0..<51))
        #expect(values.prefix(50).enumerated().allSatisfy { $0.element[0].value.doubleValue == Double($0.offset) })
        #expect(values[50][0].status == .notFound)
      }
    }
  }

  @Test("replicas on one database serve each other's writes", arguments: TestBackend.available)
  func replicas(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: MLOpsFeatureStore.FeatureSchema.migrations) { storage in
      let clock = TestClock(1_000 * H.second)
      try await H.serve(storage, clock: clock) { a in
        try await a.defineDrivers()
        try await H.serve(storage, clock: clock) { b in
          try await a.push([H.row(driver: 1, event: 10, conv: 0.1)])
          #expect(try await Self.eventually { try await b.online(["driver_stats:conv_rate"], drivers: [1])[0][0].value.doubleValue == 0.1 })
          try await b.push([H.row(driver: 1, event: 20, conv: 0.2)])
          #expect(try await Self.eventually { try await a.online(["driver_stats:conv_rate"], drivers: [1])[0][0].value.doubleValue == 0.2 })
          // A view applied and materialized through one replica is served by the other.
          _ = try await a.client.applyFeatureView(.with { $0.featureView = H.driverView("late") })
          try await a.push("late", [H.row(driver: 2, event: 5, created: 5, trips: 22)], to: .offline)
          _ = try await a.client.materialize(
            .with {
              $0.featureViews = ["late"]
              $0.endTime = .init(microseconds: 100)
            })
          #expect(try await Self.eventually { try await b.online(["late:trips"], drivers: [2])[0][0].value.int64Value == 22 })
          // An older event pushed through the other replica does not move the value back.
          try await a.push([H.row(driver: 1, event: 15, conv: 0.15)])
          try await Task.sleep(for: .milliseconds(200))
          #expect(try await b.online(["driver_stats:conv_rate"], drivers: [1])[0][0].value.doubleValue == 0.2)
          // A view deleted through one replica is gone from the other.
          _ = try await a.client.deleteFeatureView(.with { $0.name = "late" })
          #expect(try await Self.eventually { (try? await b.online(["late:trips"], drivers: [2])) == nil })
        }
      }
    }
  }

  /// Polls `condition` for up to 30 s (a loaded CI machine is slow; a passing check returns at once).
  static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<1500 {
      if try await condition() { return true }
      try await Task.sleep(for: .milliseconds(20))
    }
    return false
  }
}
