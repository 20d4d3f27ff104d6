import GRPCCore
import MLOpsProto
import MLOpsStatistics
import MLOpsTestSupport
import Testing

@Suite("Pushing rows", .serialized)
struct PushTests {
  typealias H = FeatureHarness

  @Test("a bad row rejects the whole batch, naming row and column", arguments: TestBackend.available)
  func validation(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      let good = H.row(driver: 1, event: 10, conv: 0.5)
      var wrongType = H.row(driver: 2, event: 10)
      wrongType.features["trips"] = .with { $0.stringValue = "many" }
      var unknown = H.row(driver: 2, event: 10)
      unknown.features["speed"] = .with { $0.doubleValue = 1 }
      var noKey = H.row(driver: 2, event: 10)
      noKey.entityKey = [:]
      var keyType = H.row(driver: 2, event: 10)
      keyType.entityKey = ["driver_id": .with { $0.stringValue = "2" }]
      var noTime = H.row(driver: 2, event: 10)
      noTime.clearEventTime()
      let cases: [(Mlops_Features_V1_FeatureRow, String)] = [
        (wrongType, "rows[1].features.trips"), (unknown, "rows[1].features.speed"), (noKey, "rows[1].entity_key.driver_id"),
        (keyType, "rows[1].entity_key.driver_id"), (noTime, "rows[1].event_time"),
      ]
      for (bad, field) in cases {
        await expectStatus(.invalidArgument, naming: field) { try await h.push([good, bad]) }
      }
      await expectStatus(.notFound, naming: "feature_view") { try await h.push("nope", [good]) }
      let values = try await h.online(["driver_stats:conv_rate"], drivers: [1])
      #expect(values[0][0].status == .notFound, "a rejected batch writes nothing online")
      let history = try await h.historical(["driver_stats:conv_rate"], rows: [(1, 2_000 * H.second)])
      #expect(history[0].values[0].status == .notFound, "a rejected batch writes nothing offline")
    }
  }

  @Test("an older event never overwrites a newer one online, even inside one batch", arguments: TestBackend.available)
  func outOfOrder(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      let first = try await h.push([H.row(driver: 1, event: 200, conv: 0.2), H.row(driver: 1, event: 100, conv: 0.1)])
      #expect(first.rowsWritten == 2 && first.rowsSuperseded == 1)
      let late = try await h.push([H.row(driver: 1, event: 150, conv: 0.15)])
      #expect(late.rowsSuperseded == 1)
      var value = try await h.online(["driver_stats:conv_rate"], drivers: [1])[0][0]
      #expect(value.value.doubleValue == 0.2 && value.eventTime.microseconds == 200)
      // Same event time, created later: the correction wins.
      try await h.push([H.row(driver: 1, event: 200, created: 5_000 * H.second, conv: 0.25)])
      value = try await h.online(["driver_stats:conv_rate"], drivers: [1])[0][0]
      #expect(value.value.doubleValue == 0.25)
    }
  }

  @Test("targets: online only, offline only, and a stream whose bad message names it", arguments: TestBackend.available)
  func targetsAndStream(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      try await h.push([H.row(driver: 1, event: 10, conv: 0.1)], to: .online)
      try await h.push([H.row(driver: 2, event: 10, conv: 0.2)], to: .offline)
      let online = try await h.online(["driver_stats:conv_rate"], drivers: [1, 2])
      #expect(online.map { $0[0].status } == [.present, .notFound])
      // Created at the server clock (1,000 s), so visible to a join at 2,000 s only.
      let offline = try await h.historical(["driver_stats:conv_rate"], rows: [(1, 2_000 * H.second), (2, 2_000 * H.second), (2, 100)])
      #expect(offline.map { $0.values[0].status } == [.notFound, .present, .notFound])

      await expectStatus(.invalidArgument, naming: "message[1].rows[0].features.conv_rate") {
        _ = try await h.client.pushStream(requestProducer: { writer in
          try await writer.write(
            .with {
              $0.featureView = "driver_stats"
              $0.rows = [H.row(driver: 3, event: 10, conv: 0.3)]
            })
          var bad = H.row(driver: 4, event: 10)
          bad.features["conv_rate"] = .with { $0.stringValue = "x" }
          try await writer.write(
            .with {
              $0.featureView = "driver_stats"
              $0.rows = [bad]
            })
        })
      }
      #expect(try await h.online(["driver_stats:conv_rate"], drivers: [3])[0][0].status == .present, "earlier messages stay written")
      let total = try await h.client.pushStream(requestProducer: { writer in
        for batch in 0..<5 {
          try await writer.write(
            .with {
              $0.featureView = "driver_stats"
              $0.rows = (0..<100).map { H.row(driver: Int64(batch * 100 + $0), event: 10, trips: 1) }
            })
        }
      })
      #expect(total.rowsWritten == 500)
    }
  }

  static func columns(drivers: [Int64], event: Int64) -> Mlops_Features_V1_FeatureColumns {
    .with {
      $0.eventTimeMicros = drivers.map { _ in event }
      $0.entityKey["driver_id"] = .with { $0.int64Values.values = drivers }
      $0.features["conv_rate"] = .with {
        $0.floatValues.values = drivers.map { Float($0) / 4 }
        $0.nullRows = [1]
      }
      $0.features["label"] = .with { $0.stringValues.values = drivers.map { "d\($0)" } }
    }
  }

  @Test(
    "times past protobuf's range are refused naming the field, write nothing, and the server keeps serving",
    arguments: TestBackend.available)
  func timesOutOfRange(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      // In microseconds these would overflow Int64; an overflow traps and would end the process.
      var late = H.row(driver: 1, event: 5, conv: 0.5)
      late.eventTime.seconds = Int64.max
      await expectStatus(.invalidArgument, naming: "rows[1].event_time") { try await h.push([H.row(driver: 1, event: 5), late]) }
      var early = H.row(driver: 1, event: 5, conv: 0.5)
      early.createdTime.seconds = -Int64.max
      await expectStatus(.invalidArgument, naming: "rows[0].created_time") { try await h.push([early]) }
      var columns = Self.columns(drivers: [1, 2], event: 7)
      columns.eventTimeMicros[1] = Int64.min
      await expectStatus(.invalidArgument, naming: "columns.event_time_micros[1]") {
        _ = try await h.client.push(
          .with {
            $0.featureView = "driver_stats"
            $0.columns = columns
          })
      }
      await expectStatus(.invalidArgument, naming: "end_time") {
        _ = try await h.client.materialize(
          .with {
            $0.startTime = .init(microseconds: 0)
            $0.endTime.seconds = Int64.max
          })
      }
      var view = H.driverView("forever")
      view.ttl.seconds = Int64.max
      await expectStatus(.invalidArgument, naming: "feature_view.ttl") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = view })
      }
      await expectStatus(.invalidArgument, naming: "entity_rows[0].event_time") {
        _ = try await h.historical(["driver_stats:trips"], rows: [(1, Int64.max)])
      }
      await expectStatus(.invalidArgument, naming: "entity_columns.event_time_micros[0]") {
        _ = try await h.client.getHistoricalFeatures(
          .with {
            $0.features = ["driver_stats:trips"]
            $0.entityColumns.entityKey["driver_id"] = .with { $0.int64Values.values = [1] }
            $0.entityColumns.eventTimeMicros = [Int64.min]
          }
        ) { response in for try await _ in response.messages {} }
      }
      #expect(
        try await h.online(["driver_stats:conv_rate"], drivers: [1, 2]).allSatisfy { $0[0].status == .notFound }, "nothing was written")
      try await h.push([H.row(driver: 1, event: 5, conv: 0.5)])
      #expect(try await h.online(["driver_stats:conv_rate"], drivers: [1])[0][0].value.doubleValue == 0.5)
    }
  }

  @Test("columns push like rows: typed once per column, nulls by row, validated with the rows", arguments: TestBackend.available)
  func columns(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      let response = try await h.client.push(
        .with {
          $0.featureView = "driver_stats"
          $0.rows = [H.row(driver: 9, event: 5, trips: 90)]
          $0.columns = Self.columns(drivers: [10, 11, 12], event: 7)
        })
      #expect(response.rowsWritten == 4)
      let values = try await h.online(["driver_stats:conv_rate", "driver_stats:label", "driver_stats:trips"], drivers: [9, 10, 11])
      #expect(values[0][2].value.int64Value == 90)
      #expect(values[1].map(\.status) == [.present, .present, .nullValue])
      #expect(values[1][0].value.doubleValue == 2.5 && values[1][1].value.stringValue == "d10" && values[1][0].eventTime.microseconds == 7)
      #expect(values[2][0].status == .nullValue, "row 1 of conv_rate is null")

      var bad = Self.columns(drivers: [20, 21], event: 7)
      bad.features["label"] = .with { $0.int64Values.values = [1, 2] }
      var short = Self.columns(drivers: [20, 21], event: 7)
      short.eventTimeMicros = [7]
      var unknown = Self.columns(drivers: [20, 21], event: 7)
      unknown.features["speed"] = .with { $0.doubleValues.values = [1, 2] }
      var outside = Self.columns(drivers: [20, 21], event: 7)
      outside.features["conv_rate"]!.nullRows = [5]
      var noKey = Self.columns(drivers: [20, 21], event: 7)
      noKey.entityKey = [:]
      for (columns, field) in [
        (bad, "columns.features.label"), (short, "columns.entity_key.driver_id"), (unknown, "columns.features.speed"),
        (outside, "columns.features.conv_rate.null_rows"), (noKey, "columns.entity_key.driver_id"),
      ] {
        await expectStatus(.invalidArgument, naming: field) {
          _ = try await h.client.push(
            .with {
              $0.featureView = "driver_stats"
              $0.rows = [H.row(driver: 20, event: 1)]
              $0.columns = columns
            })
        }
      }
      #expect(try await h.online(["driver_stats:label"], drivers: [20])[0][0].status == .notFound, "a rejected request writes nothing")
    }
  }

  @Test("online value equals the last offline value of every entity after random interleavings", arguments: TestBackend.available)
  func property(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      var generator = SeededRandom(seed: 42)
      var pushed = 0
      for round in 0..<25 {
        let rows = (0..<Int(generator.next() % 40 + 1)).map { _ in
          H.row(
            driver: Int64(generator.next() % 12), event: Int64(generator.next() % 20) * H.second,
            created: Int64(generator.next() % 3) * H.second, conv: Double(round), trips: Int64(generator.next() % 1000))
        }
        pushed += rows.count
        try await h.push(rows)
      }
      let drivers = Array(Int64(0)..<12)
      let online = try await h.online(["driver_stats:trips", "driver_stats:conv_rate"], drivers: drivers)
      let offline = try await h.historical(["driver_stats:trips", "driver_stats:conv_rate"], rows: drivers.map { ($0, 1_000 * H.second) })
      for (index, driver) in drivers.enumerated() {
        #expect(online[index] == offline[index].values, "driver \(driver)")
      }
      let check = try await h.client.checkConsistency(.init())
      #expect(check.mismatches.isEmpty && check.valuesChecked == 12 * 3)
      #expect(pushed > 100)
    }
  }
}
