import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// Steps 4–5: the feature store and the monitor, then the deployment and its first traffic.
extension DemoStory {
  /// The feature view the deployment reads each customer's vector from.
  var view: String { "demo_customers" }

  /// Defines the customer entity and view, pushes every customer's vector, and creates this
  /// run's monitor with 1,000 training-distribution rows as its reference.
  func prepareFeaturesAndMonitor() async throws {
    _ = try await features.applyEntity(
      .with {
        $0.entity = .with {
          $0.name = "customer"
          $0.joinKey = "customer_id"
          $0.valueType = .int64
        }
      })
    _ = try await features.applyFeatureView(
      .with {
        $0.featureView = .with {
          $0.name = view
          $0.entities = ["customer"]
          $0.features = [
            .with {
              $0.name = "X"
              $0.type = .doubleList
            }
          ]
          $0.ttl = .init(seconds: 86_400)
          $0.online = true
          $0.offline = true
        }
      })
    var data = DemoData(seed: 1)
    let written = try await push(data.vectors(customers))
    print("  \(written) customers' feature vectors pushed to \(view):X")
    try await createMonitor(reference: data.vectors(1000))
  }

  /// Pushes one vector per customer id (0..<customers); returns the rows written.
  func push(_ vectors: [[Double]]) async throws -> Int64 {
    let now = Date()
    return try await features.push(
      .with {
        $0.featureView = view
        $0.rows = vectors.enumerated().map { id, vector in
          .with {
            $0.entityKey = ["customer_id": .with { $0.int64Value = Int64(id) }]
            $0.eventTime = .init(date: now)
            $0.features = ["X": .with { $0.doubleList.values = vector }]
          }
        }
      }
    ).rowsWritten
  }

  private func createMonitor(reference: [[Double]]) async throws {
    _ = try await monitors.createMonitor(
      .with {
        $0.monitor = .with {
          $0.name = monitor
          $0.deployment = name
          $0.task = .classification
          $0.window = .with { $0.size = 100 }
          $0.driftShareThreshold = 0.5
          $0.columns = (0..<8).map { i in
            .with {
              $0.name = "X_\(i)"
              $0.kind = .numerical
            }
          }
        }
      })
    let profiled = try await monitors.setReference(requestProducer: { writer in
      try await writer.write(.with { $0.header.monitor = monitor })
      try await writer.write(
        .with {
          $0.rows.rows = reference.map { vector in
            .with { row in
              for (i, x) in vector.enumerated() { row.values["X_\(i)"] = .with { $0.doubleValue = x } }
            }
          }
        })
    }).rowsProfiled
    print("  monitor \(monitor) watches \(name): reference of \(profiled) rows, windows of 100 predictions")
  }

  /// Replaces any earlier demo deployment with one serving the champion, enriched with each
  /// customer's vector and sampled to the monitor; then sends 100 predictions.
  func deploy() async throws {
    do {
      _ = try await router.deleteDeployment(.with { $0.name = name })
    } catch let error as RPCError where error.code == .notFound {}
    let created = try await router.createDeployment(
      .with {
        $0.deployment = .with {
          $0.name = name
          $0.strategy = .single
          $0.variants = [
            .with {
              $0.name = "main"
              $0.role = .primary
              $0.model = .with {
                $0.modelName = name
                $0.alias = "champion"
              }
            }
          ]
          $0.enrichment = .with { $0.features = ["\(view):X"] }
          $0.monitorSampleRate = 1
        }
      }
    ).deployment
    print(
      "  deployment \(name) (generation \(created.generation)) serves \(name)@champion = version \(created.variants[0].resolvedVersion)")
    let traffic = try await send(100)
    print("  100 requests by customer id: \(traffic.summary)")
    guard traffic.failed == 0 else { throw StartupError("the champion failed \(traffic.failed) of 100 requests") }
  }
}
