import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsGateway
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

@Suite("The gateway forwards calls to the owning process")
struct ForwardingServiceTests {
  /// Runs a tracker (plus the echo service) upstream and a gateway in front of it.
  func withGateway(
    upstreamPort: Int? = nil, defaultDeadline: Duration? = nil, echo: EchoService = EchoService(), relayed: Bool = true,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>, GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Void
  ) async throws {
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { storage in
      let tracker = try await TrackerRuntime.definition.makeServices(
        storage, try ProcessOptions.parse([]), RPCMetrics().registry, .init(label: "t"))
      try await RunningServer.with(services: tracker.rpc + [echo]) { upstream, direct in
        let address = PeerAddress(host: "127.0.0.1", port: upstreamPort ?? upstream.grpcPort)
        let client = try GRPCClientService(name: "tracker", address: address)
        let forwarding = ForwardingService(
          methods: Mlops_Tracker_V1_TrackerService.Method.descriptors + [EchoService.chat, EchoService.stall, EchoService.idle],
          upstream: client,
          defaultDeadline: defaultDeadline)
        let relay = NGHTTP2Relay(address: address, maxMessageBytes: GRPCServerService.maxPayloadBytes)
        try await RunningServer.with(
          services: [forwarding], background: [client, relay],
          // Echo's Chat streams, which only `proto/`'s streaming methods tell the gateway.
          fastRoutes: forwarding.fastRoutes(relay: relay, authorizer: nil, logger: .init(label: "t")).filter {
            relayed && $0.method != EchoService.chat && $0.method != EchoService.idle
          }
        ) { _, gateway in
          if upstreamPort == nil, relayed { try await Self.warm(relay, gateway) }
          try await body(gateway, direct)
        }
      }
    }
  }

  /// On the nghttp2 transport, makes the calls that follow take the relay: the first unary
  /// call on a connection opens the relay's own connection on its event loop (and goes the
  /// ordinary way); once that is open, unary calls are relayed on the loop.
  static func warm(_ relay: NGHTTP2Relay, _ gateway: GRPCClient<HTTP2ClientTransport.Posix>) async throws {
    guard WireTransport.fromEnvironment(ProcessInfo.processInfo.environment) == .nghttp2 else { return }
    // Its own deadline: a gateway's short default deadline (a test of it) must not cut the
    // warm-up on a loaded machine.
    var options = CallOptions.defaults
    options.timeout = .seconds(30)
    _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway).searchExperiments(.init(), options: options)
    let limit = ContinuousClock.now + .seconds(30)
    while relay.openConnections == 0, ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
    #expect(relay.openConnections > 0, "the relay opened a connection to the peer")
  }

  @Test("a unary call through the gateway reaches the tracker and its answer comes back")
  func unary() async throws {
    try await withGateway { gateway, direct in
      let viaGateway = Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway)
      let created = try await viaGateway.createExperiment(.with { $0.name = "via-gateway" }).experiment
      let stored = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: direct)
        .getExperimentByName(.with { $0.name = "via-gateway" }).experiment
      #expect(stored == created)
    }
  }

  @Test("upstream errors keep their code, message and error details")
  func errorsPassThrough() async throws {
    try await withGateway { gateway, _ in
      let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway)
      _ = try await tracker.createExperiment(.with { $0.name = "dup" })
      await #expect {
        _ = try await tracker.createExperiment(.with { $0.name = "dup" })
      } throws: { error in
        guard let error = error as? RPCError else { return false }
        let details = Mlops_Common_V1_ErrorDetails(from: error.metadata)
        return error.code == .alreadyExists && error.message.contains("'dup' already exists")
          && details?.reason == "EXPERIMENT_NAME_TAKEN"
      }
      await #expect {
        _ = try await tracker.createRun(.init())
      } throws: { error in
        guard let error = error as? RPCError else { return false }
        return error.code == .invalidArgument
          && Mlops_Common_V1_ErrorDetails(from: error.metadata)?.violations.first?.field == "experiment_id"
      }
      await #expect {
        _ = try await tracker.listArtifacts(.with { $0.runID = "r" })
      } throws: { ($0 as? RPCError)?.code == .notFound && ($0 as? RPCError)?.message == "run_id: run 'r' does not exist" }
    }
  }

  @Test("streams flow both ways with metadata and trailers")
  func bidirectional() async throws {
    try await withGateway { gateway, _ in
      let request = StreamingClientRequest(of: [UInt8].self, metadata: ["x-test": "hello"]) { writer in
        try await writer.write([1, 2])
        try await writer.write([3, 4, 5])
      }
      let (messages, trailers) = try await gateway.bidirectionalStreaming(
        request: request, descriptor: EchoService.chat, serializer: RawBytesCodec(),
        deserializer: RawBytesCodec(), options: .defaults
      ) { response in
        var messages: [[UInt8]] = []
        var trailers = Metadata()
        for try await part in try response.accepted.get().bodyParts {
          switch part {
          case .message(let message): messages.append(message)
          case .trailingMetadata(let metadata): trailers = metadata
          }
        }
        return (messages, trailers)
      }
      #expect(messages == [Array("hello".utf8), [2, 1], [5, 4, 3]])
      #expect(Array(trailers[stringValues: "x-upstream"]) == ["echo"])
    }
  }

  @Test("a peer that is down is UNAVAILABLE naming it")
  func peerDown() async throws {
    let closedPort = 1
    try await withGateway(upstreamPort: closedPort) { gateway, _ in
      // The deadline only bounds a hang: the peer's refusal must come back as UNAVAILABLE
      // well before it. Five seconds was too short on two cores running the whole suite in
      // parallel, where a refused connect, its backoff and the tasks relaying it queue up.
      var options = CallOptions.defaults
      options.timeout = .seconds(30)
      await #expect {
        _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway)
          .getExperiment(.with { $0.experimentID = "1" }, options: options)
      } throws: { error in
        let error = error as? RPCError
        return error?.code == .unavailable && error?.message.contains("tracker at 127.0.0.1:1") == true
      }
    }
  }
}

@Suite("The gateway's deadline from the caller")
struct ForwardedTimeoutTests {
  @Test("the longest well-formed grpc-timeout forwards; a 19-digit one is INVALID_ARGUMENT and the gateway keeps serving")
  func hugeTimeouts() async throws {
    try await ForwardingServiceTests().withGateway { gateway, _ in
      let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway)
      _ = try await tracker.createExperiment(.with { $0.name = "longest" }, metadata: ["grpc-timeout": "99999999H"])
      await #expect {
        _ = try await tracker.createExperiment(.with { $0.name = "huge" }, metadata: ["grpc-timeout": "9223372036854775807H"])
      } throws: { error in
        (error as? RPCError)?.code == .invalidArgument && (error as? RPCError)?.message.contains("grpc-timeout") == true
      }
      let found = try await tracker.getExperimentByName(.with { $0.name = "longest" }).experiment.name
      #expect(found == "longest")
    }
  }
}

@Suite("Errors that echo a client's value stay deliverable")
struct BoundedErrorTests {
  @Test("a 64 KiB name gets its real status, directly and through the gateway, with a short message")
  func longNames() async throws {
    try await ForwardingServiceTests().withGateway { gateway, direct in
      let name = String(repeating: "n", count: 65_536)
      for client in [direct, gateway] {
        let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: client)
        await #expect {
          _ = try await tracker.getExperimentByName(.with { $0.name = name })
        } throws: { error in
          guard let error = error as? RPCError else { return false }
          return [.notFound, .invalidArgument].contains(error.code) && error.message.utf8.count <= RPCError.messageLimit
            && error.message.contains("…")
        }
        await #expect {
          _ = try await tracker.getRun(.with { $0.runID = String(repeating: "x", count: 20_000) })
        } throws: { error in
          guard let error = error as? RPCError else { return false }
          return error.code == .invalidArgument && error.message.contains("run_id")
        }
      }
      // The gateway's connection to the tracker survived: a normal call still passes.
      let created = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway).createExperiment(.with { $0.name = "after" })
      #expect(created.experiment.name == "after")
    }
  }

  @Test("quoted values are shortened to 64 characters and the whole message to 2 KiB")
  func shortening() {
    let long = String(repeating: "é", count: 5000)
    let error = RPCError(code: .notFound, message: "experiment '\(long)' does not exist").bounded
    #expect(error.message == "experiment '\(String(repeating: "é", count: 64))…' does not exist")
    let unquoted = RPCError(code: .invalidArgument, message: "filter: " + long).bounded
    #expect(unquoted.message.utf8.count <= RPCError.messageLimit && unquoted.message.hasSuffix("…"))
    let details = Mlops_Common_V1_ErrorDetails(reason: "R", field: "name", description: "'\(long)' is taken")
    let withDetails = RPCError(code: .alreadyExists, message: "m", metadata: details.metadata).bounded
    let carried = Mlops_Common_V1_ErrorDetails(from: withDetails.metadata)
    #expect(carried?.violations.first?.description_p == "'\(String(repeating: "é", count: 64))…' is taken")
  }
}

@Suite("The gateway's message limits")
struct GatewayLimitTests {
  @Test("a 5 MB SearchRuns answer passes through the gateway as it does directly")
  func largeAnswers() async throws {
    try await ForwardingServiceTests().withGateway { gateway, direct in
      let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: direct)
      let experiment = try await tracker.createExperiment(.with { $0.name = "big" }).experiment.experimentID
      let value = String(repeating: "v", count: 5000)
      for _ in 0..<10 {
        let run = try await tracker.createRun(.with { $0.experimentID = experiment }).run.info.runID
        _ = try await tracker.logBatch(
          .with {
            $0.runID = run
            $0.tags = (0..<100).map { i in
              .with {
                $0.key = "tag\(i)"
                $0.value = value
              }
            }
          })
      }
      // The test's own client accepts large answers (this transport sizes its answer decoder
      // from maxRequestMessageBytes).
      var options = CallOptions.defaults
      options.maxResponseMessageBytes = 64 << 20
      options.maxRequestMessageBytes = 64 << 20
      let viaDirect = try await tracker.searchRuns(.with { $0.experimentIds = [experiment] }, options: options).runs.count
      let viaGateway = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: gateway).searchRuns(
        .with { $0.experimentIds = [experiment] }, options: options)
      #expect(viaDirect == 10 && viaGateway.runs.count == 10)
      #expect(viaGateway.runs.allSatisfy { $0.data.tags.count >= 100 })
    }
  }
}

@Suite("The gateway's default deadline")
struct DefaultDeadlineTests {
  func stall(_ client: GRPCClient<HTTP2ClientTransport.Posix>, milliseconds: Int, timeout: Duration? = nil) async throws {
    var options = CallOptions.defaults
    options.timeout = timeout
    let request = ClientRequest(message: [UInt8](), metadata: ["x-stall-ms": "\(milliseconds)"])
    _ = try await client.unary(
      request: request, descriptor: EchoService.stall, serializer: RawBytesCodec(), deserializer: RawBytesCodec(), options: options
    ) { try $0.message }
  }

  @Test("a unary call without a deadline is cut at the gateway's default, naming it; the caller's own deadline wins")
  func unaryDefault() async throws {
    try await ForwardingServiceTests().withGateway(defaultDeadline: .milliseconds(500)) { gateway, _ in
      await expectStatus(.deadlineExceeded, naming: "default deadline") { try await stall(gateway, milliseconds: 3000) }
      try await stall(gateway, milliseconds: 1000, timeout: .seconds(60))
    }
  }

  @Test("streaming RPCs never get the default deadline, and the list of them matches proto/")
  func streamsExempt() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let files = FileManager.default.enumerator(atPath: root.appendingPathComponent("proto").path)?.compactMap { $0 as? String } ?? []
    var streaming: Set<String> = []
    let rpc = /rpc\s+(\w+)\s*\(\s*(stream\s+)?[\w.]+\s*\)\s*returns\s*\(\s*(stream\s+)?/
    for file in files where file.hasSuffix(".proto") {
      let text = try String(contentsOf: root.appendingPathComponent("proto/\(file)"), encoding: .utf8)
      guard let package = text.firstMatch(of: /package\s+([\w.]+)\s*;/)?.1 else { continue }
      var blocks: [(service: String, body: String)] = []
      for line in text.split(separator: "\n") {
        if line.hasPrefix("service "), let name = line.dropFirst(8).split(whereSeparator: { $0 == " " || $0 == "{" }).first {
          blocks.append((String(name), ""))
        } else if !blocks.isEmpty {
          blocks[blocks.count - 1].body += line + "\n"
        }
      }
      for (service, body) in blocks {
        for match in body.matches(of: rpc) where match.2 != nil || match.3 != nil {
          streaming.insert("\(package).\(service)/\(match.1)")
        }
      }
    }
    #expect(streaming.count >= 13)
    #expect(streaming == StreamingMethods.names)
    let watch = MethodDescriptor(fullyQualifiedService: "mlops.tracker.v1.TrackerService", method: "WatchRunMetrics")
    let get = MethodDescriptor(fullyQualifiedService: "mlops.tracker.v1.TrackerService", method: "GetRun")
    #expect(ForwardingService.deadline(for: watch, metadata: [:], default: .seconds(1)).timeout == nil)
    #expect(ForwardingService.deadline(for: get, metadata: [:], default: .seconds(1)).timeout == .seconds(1))
    #expect(ForwardingService.deadline(for: get, metadata: ["grpc-timeout": "5S"], default: .seconds(1)).timeout == .seconds(5))
  }
}
