import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("The shared process runtime")
struct PlatformServerTests {
  static let names = ["test.v1.Probe"]

  @Test("health reports SERVING for the process and each service, NOT_FOUND for others")
  func health() async throws {
    try await RunningServer.with(services: [ProbeService(gate: Gate())], serviceNames: Self.names) { _, client in
      let health = Grpc_Health_V1_Health.Client(wrapping: client)
      let observed1 = try await health.check(.init()).status
      #expect(observed1 == .serving)
      let observed2 = try await health.check(.with { $0.service = "test.v1.Probe" }).status
      #expect(observed2 == .serving)
      await #expect {
        _ = try await health.check(.with { $0.service = "no.such.Service" })
      } throws: { error in
        (error as? RPCError)?.code == .notFound && (error as? RPCError)?.message.contains("no.such.Service") == true
      }
    }
  }

  @Test("/healthz answers 200 while serving and /metrics counts calls and errors by code, with the process gauges")
  func metrics() async throws {
    try await RunningServer.with(services: [ProbeService(gate: Gate())], serviceNames: Self.names) { running, client in
      let health = Grpc_Health_V1_Health.Client(wrapping: client)
      _ = try await health.check(.init())
      _ = try await health.check(.init())
      _ = try? await health.check(.with { $0.service = "missing" })
      let healthz = try await running.httpGet("/healthz")
      #expect(healthz.status == 200)
      let scrape = try await running.httpGet("/metrics")
      #expect(scrape.status == 200)
      let labels = #"grpc_service="grpc.health.v1.Health",grpc_method="Check""#
      #expect(scrape.body.contains("grpc_server_started_total{\(labels)} 3"))
      #expect(scrape.body.contains("grpc_server_handled_total{\(labels),grpc_code=\"OK\"} 2"))
      #expect(scrape.body.contains("grpc_server_handled_total{\(labels),grpc_code=\"NotFound\"} 1"))
      #expect(scrape.body.contains("grpc_server_handling_seconds_count{\(labels)} 3"))
      #expect(scrape.body.contains("\nprocess_start_time_seconds "))
      #expect(scrape.body.contains(#"mlops_service_info{grpc_service="test.v1.Probe"} 1"#))
      let observed3 = try await running.httpGet("/nope").status
      #expect(observed3 == 404)
    }
  }

  @Test("errors reach the client as deliberate statuses, never UNKNOWN")
  func errorMapping() async throws {
    try await RunningServer.with(services: [ProbeService(gate: Gate())]) { _, client in
      await #expect {
        _ = try await client.rawUnary(ProbeService.crash, [])
      } throws: { error in
        (error as? RPCError)?.code == .internalError
      }
      await #expect {
        _ = try await client.rawUnary(ProbeService.domain, [])
      } throws: { error in
        (error as? RPCError)?.code == .resourceExhausted && (error as? RPCError)?.message == "batch: quota spent"
      }
    }
  }

  @Test("registered but unbuilt methods answer UNIMPLEMENTED naming the capability")
  func unimplemented() async throws {
    let service = UnimplementedService(
      methods: Mlops_Registry_V1_RegistryService.Method.descriptors, capability: "the registry arrives with issue #5")
    try await RunningServer.with(services: [service]) { running, client in
      let registry = Mlops_Registry_V1_RegistryService.Client(wrapping: client)
      await #expect {
        _ = try await registry.getRegisteredModel(.with { $0.name = "m" })
      } throws: { error in
        guard let error = error as? RPCError else { return false }
        return error.code == .unimplemented && error.message.contains("issue #5")
          && error.message.contains("GetRegisteredModel")
      }
      let scrape = try await running.httpGet("/metrics")
      #expect(scrape.body.contains(#"grpc_method="GetRegisteredModel",grpc_code="Unimplemented"} 1"#))
    }
  }

  @Test("graceful shutdown lets an in-flight call finish and stops the server")
  func gracefulShutdown() async throws {
    let gate = Gate()
    try await RunningServer.with(services: [ProbeService(gate: gate)], serviceNames: Self.names) { running, client in
      let call = Task { try await client.rawUnary(ProbeService.wait, [1, 2, 3]) }
      try await gate.waitUntilEntered()
      await running.server.shutdown()
      try await Task.sleep(for: .milliseconds(100))
      #expect(running.server.health.status(of: "") == .notServing)
      let observed4 = try await running.httpGet("/healthz").status
      #expect(observed4 == 503)
      gate.open()
      let observed5 = try await call.value
      #expect(observed5 == [3, 2, 1])
    }
  }

  @Test("a Watch stream sees SERVING, then NOT_SERVING when shutdown starts")
  func watch() async throws {
    try await RunningServer.with(services: [], serviceNames: []) { running, client in
      let health = Grpc_Health_V1_Health.Client(wrapping: client)
      let seen = Task {
        try await health.watch(.init()) { response in
          var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
          for try await message in response.messages {
            statuses.append(message.status)
            if statuses.count == 1 { await running.server.shutdown() }
          }
          return statuses
        }
      }
      let observed6 = try await seen.value
      #expect(observed6 == [.serving, .notServing])
    }
  }
}
