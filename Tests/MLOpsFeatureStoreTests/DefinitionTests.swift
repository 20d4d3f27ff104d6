import GRPCCore
import MLOpsFeatureStore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Feature definitions", .serialized)
struct DefinitionTests {
  @Test("a view is versioned on change and an identical apply changes nothing", arguments: TestBackend.available)
  func versioning(backend: TestBackend) async throws {
    try await FeatureHarness.with(backend) { h in
      try await h.defineDrivers()
      let first = try await h.client.getFeatureView(.with { $0.name = "driver_stats" }).featureView
      #expect(first.version == 1)
      #expect(first.online && first.offline, "leaving both flags unset keeps both stores")
      let same = try await h.client.applyFeatureView(.with { $0.featureView = FeatureHarness.driverView("driver_stats") })
      #expect(!same.changed && same.featureView.version == 1)

      var grown = FeatureHarness.driverView("driver_stats")
      grown.features.append(
        .with {
          $0.name = "rating"
          $0.type = .floatList
        })
      grown.tags = ["team": "pricing"]
      let changed = try await h.client.applyFeatureView(.with { $0.featureView = grown })
      #expect(changed.changed && changed.featureView.version == 2)
      #expect(changed.featureView.features.map(\.name) == ["conv_rate", "trips", "label", "rating"])
    }
  }

  @Test("replicas sharing a database decide each change on the catalog the other committed last", arguments: TestBackend.available)
  func replicasShareTheCatalog(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: FeatureSchema.migrations) { storage in
      let clock = TestClock(1_000 * FeatureHarness.second)
      try await FeatureHarness.serve(storage, clock: clock) { a in
        try await FeatureHarness.serve(storage, clock: clock) { b in
          // b decodes the catalog (empty) first, so what it knows is out of date below.
          _ = try await b.client.listFeatureViews(.init())
          _ = try await a.client.applyEntity(
            .with {
              $0.entity = .with {
                $0.name = "driver"
                $0.joinKey = "driver_id"
                $0.valueType = .int64
              }
            })
          let view = try await b.client.applyFeatureView(.with { $0.featureView = FeatureHarness.driverView("driver_stats") })
          #expect(view.changed && view.featureView.version == 1, "b saw a's entity at once")
          var grown = FeatureHarness.driverView("driver_stats")
          grown.features.append(
            .with {
              $0.name = "rating"
              $0.type = .double
            })
          #expect(try await a.client.applyFeatureView(.with { $0.featureView = grown }).featureView.version == 2, "a saw b's view")
          await expectStatus(.failedPrecondition, naming: "entity.value_type") {
            _ = try await b.client.applyEntity(
              .with {
                $0.entity = .with {
                  $0.name = "driver"
                  $0.joinKey = "driver_id"
                  $0.valueType = .string
                }
              })
          }
        }
      }
    }
  }

  @Test("a type change is refused unless forced, and a forced one reads old values as null", arguments: TestBackend.available)
  func typeChange(backend: TestBackend) async throws {
    try await FeatureHarness.with(backend) { h in
      try await h.defineDrivers()
      try await h.push([FeatureHarness.row(driver: 1, event: 10, trips: 7, label: "a")])
      var retyped = FeatureHarness.driverView("driver_stats")
      retyped.features[1].type = .double
      await expectStatus(.failedPrecondition, naming: "feature_view.features[1].type") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = retyped })
      }
      #expect(try await h.client.getFeatureView(.with { $0.name = "driver_stats" }).featureView.version == 1)
      let forced = try await h.client.applyFeatureView(
        .with {
          $0.featureView = retyped
          $0.force = true
        })
      #expect(forced.featureView.version == 2)
      let values = try await h.online(["driver_stats:trips", "driver_stats:label"], drivers: [1])[0]
      #expect(values[0].status == .nullValue)
      #expect(values[1].status == .present && values[1].value.stringValue == "a")
    }
  }

  @Test("bad definitions are refused naming the field, and nothing is stored", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await FeatureHarness.with(backend) { h in
      await expectStatus(.invalidArgument, naming: "entity.value_type") {
        _ = try await h.client.applyEntity(
          .with {
            $0.entity = .with {
              $0.name = "d"
              $0.valueType = .double
            }
          })
      }
      await expectStatus(.invalidArgument, naming: "entity.name") {
        _ = try await h.client.applyEntity(
          .with {
            $0.entity = .with {
              $0.name = "a:b"
              $0.valueType = .int64
            }
          })
      }
      await expectStatus(.notFound, naming: "feature_view.entities[0]") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = FeatureHarness.driverView("v") })
      }
      try await h.defineDrivers()
      var bad = FeatureHarness.driverView("v2")
      bad.features.append(
        .with {
          $0.name = "trips"
          $0.type = .int64
        })
      await expectStatus(.invalidArgument, naming: "feature_view.features[3].name") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = bad })
      }
      bad = FeatureHarness.driverView("v2")
      bad.features[0].type = .unspecified
      await expectStatus(.invalidArgument, naming: "feature_view.features[0].type") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = bad })
      }
      // Huge definitions are refused: they once made every later apply and list take seconds.
      bad = FeatureHarness.driverView("v2")
      bad.description_p = String(repeating: "d", count: 70_000)
      await expectStatus(.invalidArgument, naming: "feature_view.description") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = bad })
      }
      bad = FeatureHarness.driverView("v2")
      bad.features = (0..<2001).map { i in
        .with {
          $0.name = "f\(i)"
          $0.type = .double
        }
      }
      await expectStatus(.invalidArgument, naming: "feature_view.features") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = bad })
      }
      bad = FeatureHarness.driverView("v2")
      bad.tags = Dictionary(uniqueKeysWithValues: (0..<101).map { ("k\($0)", "v") })
      await expectStatus(.invalidArgument, naming: "feature_view.tags") {
        _ = try await h.client.applyFeatureView(.with { $0.featureView = bad })
      }
      await expectStatus(.invalidArgument, naming: "entity.description") {
        _ = try await h.client.applyEntity(
          .with {
            $0.entity = .with {
              $0.name = "e2"
              $0.joinKey = "k"
              $0.valueType = .int64
              $0.description_p = String(repeating: "x", count: 5000)
            }
          })
      }
      await expectStatus(.failedPrecondition, naming: "entity.value_type") {
        _ = try await h.client.applyEntity(
          .with {
            $0.entity = .with {
              $0.name = "driver"
              $0.joinKey = "driver_id"
              $0.valueType = .string
            }
          })
      }
      await expectStatus(.notFound, naming: "feature_service.features[1]") {
        _ = try await h.client.applyFeatureService(
          .with {
            $0.featureService = .with {
              $0.name = "s"
              $0.features = ["driver_stats:trips", "driver_stats:nope"]
            }
          })
      }
      await expectStatus(.notFound, naming: "name") { _ = try await h.client.getFeatureView(.with { $0.name = "v2" }) }
      let listed = try await h.client.listFeatureViews(.init()).featureViews.map(\.name)
      #expect(listed == ["driver_stats"])
    }
  }

  @Test("views list by tag and page without skipping, and a view in use by a service cannot be deleted", arguments: TestBackend.available)
  func listAndDelete(backend: TestBackend) async throws {
    try await FeatureHarness.with(backend) { h in
      try await h.defineDrivers()
      for name in ["a", "b", "c"] {
        var view = FeatureHarness.driverView(name)
        view.tags = ["team": name == "b" ? "risk" : "pricing"]
        _ = try await h.client.applyFeatureView(.with { $0.featureView = view })
      }
      let pricing = try await h.client.listFeatureViews(.with { $0.tags = ["team": "pricing"] }).featureViews.map(\.name)
      #expect(pricing == ["a", "c"])
      let page1 = try await h.client.listFeatureViews(.with { $0.page.pageSize = 2 })
      let page2 = try await h.client.listFeatureViews(
        .with {
          $0.page.pageSize = 2
          $0.page.pageToken = page1.nextPageToken
        })
      #expect((page1.featureViews + page2.featureViews).map(\.name) == ["a", "b", "c", "driver_stats"])
      #expect(page2.nextPageToken.isEmpty)

      _ = try await h.client.applyFeatureService(
        .with {
          $0.featureService = .with {
            $0.name = "model"
            $0.features = ["a:trips"]
          }
        })
      await expectStatus(.failedPrecondition, naming: "model") { _ = try await h.client.deleteFeatureView(.with { $0.name = "a" }) }
      try await h.push("b", [FeatureHarness.row(driver: 1, event: 5, trips: 1)])
      _ = try await h.client.deleteFeatureView(.with { $0.name = "b" })
      await expectStatus(.notFound, naming: "features[0]") { _ = try await h.online(["b:trips"], drivers: [1]) }
      _ = try await h.client.applyFeatureView(.with { $0.featureView = FeatureHarness.driverView("b") })
      #expect(try await h.online(["b:trips"], drivers: [1])[0][0].status == .notFound, "a recreated view starts empty")
    }
  }
}
