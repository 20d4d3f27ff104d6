import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Point-in-time joins", .serialized)
struct HistoricalTests {
  typealias H = FeatureHarness

  struct Fixture: Decodable {
    struct EntityRow: Decodable {
      var driver_id: Int64
      var time: Int64
    }
    struct Row: Decodable {
      var driver_id: Int64
      var event: Int64
      var created: Int64
      var conv_rate: Double
      var trips: Int64?
      var label: String
    }
    struct Expected: Decodable {
      var event: Int64
      var conv_rate: Double
      var trips: Int64?
      var label: String
    }
    struct View: Decodable {
      var ttl_us: Int64
      var rows: [Row]
      var expected: [Expected?]
    }
    var entity_rows: [EntityRow]
    var views: [String: View]
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pit_join.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  @Test("every joined row matches pandas (ties, duplicates, late arrivals, missing entities, TTL)", arguments: TestBackend.available)
  func matchesPandas(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      let names = Self.fixture.views.keys.sorted()
      for name in names {
        let view = Self.fixture.views[name]!
        var definition = H.driverView(name)
        definition.ttl = .init(seconds: view.ttl_us / 1_000_000, nanos: Int32(view.ttl_us % 1_000_000 * 1000))
        _ = try await h.client.applyFeatureView(.with { $0.featureView = definition })
        // In two batches, so arrival order (the last tie-breaker) crosses a batch boundary.
        let rows = view.rows.map {
          H.row(driver: $0.driver_id, event: $0.event, created: $0.created, conv: $0.conv_rate, trips: $0.trips, label: $0.label)
        }
        try await h.push(name, Array(rows.prefix(rows.count / 2)), to: .offline)
        try await h.push(name, Array(rows.suffix(from: rows.count / 2)), to: .offline)
      }
      let features = names.flatMap { ["\($0):conv_rate", "\($0):trips", "\($0):label"] }
      let joined = try await h.historical(features, rows: Self.fixture.entity_rows.map { ($0.driver_id, $0.time) })
      #expect(joined.count == Self.fixture.entity_rows.count)
      var compared = 0
      for (index, row) in joined.enumerated() {
        #expect(row.rowIndex == index && row.entityKey["driver_id"]?.int64Value == Self.fixture.entity_rows[index].driver_id)
        for (position, name) in names.enumerated() {
          let values = Array(row.values[(position * 3)..<(position * 3 + 3)])
          compared += 1
          guard let expected = Self.fixture.views[name]!.expected[index] else {
            #expect(values.allSatisfy { $0.status == .notFound }, "row \(index) \(name)")
            continue
          }
          #expect(
            values[0].value.doubleValue == expected.conv_rate && values[0].eventTime.microseconds == expected.event, "row \(index) \(name)")
          #expect(values[2].value.stringValue == expected.label, "row \(index) \(name)")
          if let trips = expected.trips {
            #expect(values[1].status == .present && values[1].value.int64Value == trips, "row \(index) \(name)")
          } else {
            #expect(values[1].status == .nullValue, "row \(index) \(name)")
          }
        }
      }
      #expect(compared == 2 * Self.fixture.entity_rows.count)
    }
  }

  @Test("entity columns in and columns out give the same join as rows", arguments: TestBackend.available)
  func columnar(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers(ttlSeconds: 40)
      let view = Self.fixture.views["driver_stats"]!
      try await h.push(
        view.rows.map {
          H.row(driver: $0.driver_id, event: $0.event, created: $0.created, conv: $0.conv_rate, trips: $0.trips, label: $0.label)
        }, to: .offline)
      let features = ["driver_stats:conv_rate", "driver_stats:trips", "driver_stats:label"]
      let entities = Self.fixture.entity_rows
      let rows = try await h.historical(features, rows: entities.map { ($0.driver_id, $0.time) })
      // The first 100 rows as rows, the rest as columns; answered as columns.
      let request = Mlops_Features_V1_GetHistoricalFeaturesRequest.with {
        $0.features = features
        $0.entityRows = entities.prefix(100).map { e in
          .with {
            $0.entityKey = ["driver_id": .with { $0.int64Value = e.driver_id }]
            $0.eventTime = .init(microseconds: e.time)
          }
        }
        $0.entityColumns.entityKey["driver_id"] = .with { $0.int64Values.values = entities.dropFirst(100).map(\.driver_id) }
        $0.entityColumns.eventTimeMicros = entities.dropFirst(100).map(\.time)
        $0.columnar = true
      }
      let chunks = try await h.client.getHistoricalFeatures(request) { try await $0.messages.reduce(into: []) { $0.append($1) } }
      #expect(chunks[0].featureNames == features)
      var seen = 0
      for chunk in chunks.map(\.columns) {
        for (position, index) in chunk.rowIndex.enumerated() {
          seen += 1
          let expected = rows[Int(index)].values
          for (f, column) in chunk.features.enumerated() {
            #expect(column.status[position] == Int32(expected[f].status.rawValue), "row \(index) feature \(f)")
            #expect(column.eventTimeMicros[position] == (expected[f].hasEventTime ? expected[f].eventTime.microseconds : 0))
            let isNull = column.values.nullRows.contains(Int32(position))
            #expect(isNull == (expected[f].status != .present), "row \(index) feature \(f)")
            if !isNull {
              switch f {
              case 0: #expect(column.values.doubleValues.values[position] == expected[f].value.doubleValue)
              case 1: #expect(column.values.int64Values.values[position] == expected[f].value.int64Value)
              default: #expect(column.values.stringValues.values[position] == expected[f].value.stringValue)
              }
            }
          }
        }
      }
      #expect(seen == entities.count)
    }
  }

  @Test("entity rows are checked before anything streams", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      try await h.defineDrivers()
      await expectStatus(.invalidArgument, naming: "entity_rows[1].event_time") {
        _ = try await h.client.getHistoricalFeatures(
          .with {
            $0.features = ["driver_stats:trips"]
            $0.entityRows = [
              .with {
                $0.entityKey = ["driver_id": .with { $0.int64Value = 1 }]
                $0.eventTime = .init(microseconds: 1)
              },
              .with { $0.entityKey = ["driver_id": .with { $0.int64Value = 1 }] },
            ]
          }
        ) { try await $0.messages.reduce(0) { n, _ in n + 1 } }
      }
      await expectStatus(.invalidArgument, naming: "entity_rows[0].entity_key.driver_id") {
        _ = try await h.client.getHistoricalFeatures(
          .with {
            $0.features = ["driver_stats:trips"]
            $0.entityRows = [.with { $0.eventTime = .init(microseconds: 1) }]
          }
        ) { try await $0.messages.reduce(0) { n, _ in n + 1 } }
      }
      var lists = H.driverView("lists")
      lists.features.append(
        .with {
          $0.name = "history"
          $0.type = .doubleList
        })
      _ = try await h.client.applyFeatureView(.with { $0.featureView = lists })
      await expectStatus(.invalidArgument, naming: "columnar") {
        _ = try await h.client.getHistoricalFeatures(
          .with {
            $0.features = ["lists:history"]
            $0.entityRows = [
              .with {
                $0.entityKey = ["driver_id": .with { $0.int64Value = 1 }]
                $0.eventTime = .init(microseconds: 1)
              }
            ]
            $0.columnar = true
          }
        ) { try await $0.messages.reduce(0) { n, _ in n + 1 } }
      }
      await expectStatus(.invalidArgument, naming: "entity_columns.entity_key.driver_id") {
        _ = try await h.client.getHistoricalFeatures(
          .with {
            $0.features = ["driver_stats:trips"]
            $0.entityColumns.entityKey["driver_id"] = .with { $0.int64Values.values = [1, 2] }
            $0.entityColumns.eventTimeMicros = [1]
          }
        ) { try await $0.messages.reduce(0) { n, _ in n + 1 } }
      }
    }
  }
}
