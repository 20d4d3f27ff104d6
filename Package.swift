// swift-tools-version:6.1
import PackageDescription

/// The platform: one library per concern, one thin executable per process.
/// Generated protobuf/gRPC code is committed under Sources/MLOpsProto (see `make proto`);
/// the GRPCProtobufGenerator build plugin is deliberately not used.
let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let grpc: [Target.Dependency] = [
  .product(name: "GRPCCore", package: "grpc-swift-2"),
  .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
  .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
]

/// Each service library builds on the proto API and the shared runtime.
func serviceLibrary(_ name: String, extra: [Target.Dependency] = []) -> Target {
  .target(
    name: name,
    dependencies: ["MLOpsCore", "MLOpsProto"] + extra + grpc + [
      .product(name: "Logging", package: "swift-log"),
      .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      .product(name: "GRDB", package: "GRDB.swift"),
      .product(name: "PostgresNIO", package: "postgres-nio"),
    ],
    swiftSettings: swiftSettings
  )
}

/// A process entry point: parse config, build the service, run it.
func process(_ product: String, target: String, library: String) -> Target {
  .executableTarget(
    name: target,
    dependencies: [
      "MLOpsCore", .target(name: library),
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "services/\(product)",
    swiftSettings: swiftSettings
  )
}

let processes: [(product: String, target: String, library: String)] = [
  ("tracker", "TrackerProcess", "MLOpsTracker"),
  ("registry", "RegistryProcess", "MLOpsRegistry"),
  ("feature-server", "FeatureServerProcess", "MLOpsFeatureStore"),
  ("inference-router", "InferenceRouterProcess", "MLOpsServing"),
  ("monitor", "MonitorProcess", "MLOpsMonitor"),
  ("gateway", "GatewayProcess", "MLOpsGateway"),
]

let package = Package(
  name: "mlops",
  platforms: [.macOS(.v15)],
  products: processes.map { .executable(name: $0.product, targets: [$0.target]) } + [
    .executable(name: "mlops", targets: ["MLOpsCLI"]),
    .library(name: "MLOpsProto", targets: ["MLOpsProto"]),
    .library(name: "MLOpsCore", targets: ["MLOpsCore"]),
    .library(name: "MLOpsRuntime", targets: ["MLOpsRuntime"]),
    .library(name: "MLOpsStatistics", targets: ["MLOpsStatistics"]),
    // The parsers under libFuzzer (`make fuzz`), or the committed corpus replayed (`make test`).
    .executable(name: "mlops-fuzz", targets: ["MLOpsFuzz"]),
  ],
  dependencies: [
    .package(url: "https://github.com/grpc/grpc-swift-2.git", exact: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", exact: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
    .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
    // Already required by the gRPC transport; named for the stream guard on grpc-timeout.
    .package(url: "https://github.com/apple/swift-nio-http2.git", exact: "1.46.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    // Already required by postgres-nio (SCRAM); named here for SHA-256 of artifacts.
    .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
    // The monitor's alert webhooks (HTTP and HTTPS, redirects, timeouts).
    .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
    // The HTTP port of every process (/metrics, /healthz) and the gateway's MLflow REST front.
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    // Already required by Hummingbird; named for the back-pressured channel of artifact downloads.
    .package(url: "https://github.com/apple/swift-async-algorithms.git", exact: "1.1.4"),
  ],
  targets: [
    .target(
      name: "MLOpsProto",
      dependencies: grpc + [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "MLOpsCore",
      dependencies: ["MLOpsProto", "CNGHTTP2"] + grpc + [
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API, to bind large multi-row statements without GRDB's per-value work.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTP2", package: "swift-nio-http2"),
        .product(name: "NIOHPACK", package: "swift-nio-http2"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      swiftSettings: swiftSettings
    ),
    // Drift statistics for the monitor (and `mlops drift`): no gRPC, checked against scipy.
    .target(name: "MLOpsStatistics", swiftSettings: swiftSettings),
    .target(
      name: "MLOpsRuntime",
      dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
      swiftSettings: swiftSettings
    ),
    serviceLibrary("MLOpsTracker"),
    // The registry checks uploaded ONNX models with the platform's own runtime.
    serviceLibrary("MLOpsRegistry", extra: ["MLOpsRuntime"]),
    serviceLibrary("MLOpsFeatureStore"),
    // The router runs registered ONNX models in-process with the platform's runtime.
    serviceLibrary("MLOpsServing", extra: ["MLOpsRuntime"]),
    serviceLibrary(
      "MLOpsMonitor",
      extra: [
        "MLOpsStatistics", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),
    serviceLibrary(
      "MLOpsGateway",
      extra: [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
      ]),
    .executableTarget(
      name: "MLOpsCLI",
      dependencies: ["MLOpsCore", "MLOpsProto", "MLOpsRuntime", "MLOpsStatistics"] + grpc + [
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      path: "services/mlops",
      swiftSettings: swiftSettings
    ),
    .target(name: "CFuzzDriver", path: "fuzz/CFuzzDriver"),
    .executableTarget(
      name: "MLOpsFuzz",
      dependencies: ["MLOpsTracker", "MLOpsMonitor", "MLOpsRuntime", "CFuzzDriver"],
      path: "fuzz/MLOpsFuzz",
      swiftSettings: swiftSettings
    ),
    .target(
      name: "MLOpsTestSupport",
      dependencies: ["MLOpsCore", "MLOpsProto"] + grpc + [
        .product(name: "Logging", package: "swift-log"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      path: "Tests/MLOpsTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsCoreTests",
      dependencies: ["MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc + [
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsTrackerTests",
      dependencies: ["MLOpsTracker", "MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc,
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsGatewayTests",
      dependencies: ["MLOpsGateway", "MLOpsTracker", "MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc,
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsRegistryTests",
      dependencies: ["MLOpsRegistry", "MLOpsTracker", "MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc,
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsMonitorTests",
      dependencies: ["MLOpsMonitor", "MLOpsStatistics", "MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc,
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsFeatureStoreTests",
      dependencies: ["MLOpsFeatureStore", "MLOpsStatistics", "MLOpsCore", "MLOpsProto", "MLOpsTestSupport"] + grpc,
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsStatisticsTests",
      dependencies: ["MLOpsStatistics"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsRuntimeTests",
      dependencies: ["MLOpsRuntime"],
      exclude: ["Fixtures"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "MLOpsServingTests",
      dependencies: [
        "MLOpsServing", "MLOpsRegistry", "MLOpsTracker", "MLOpsMonitor", "MLOpsFeatureStore", "MLOpsRuntime", "MLOpsCore", "MLOpsProto",
        "MLOpsTestSupport",
      ] + grpc,
      swiftSettings: swiftSettings
    ),
    // Issue #4's workload from a Swift client (`make bench`): measures the server, not a client.
    .executableTarget(
      name: "TrackerBench",
      dependencies: ["MLOpsProto"] + grpc + [.product(name: "ArgumentParser", package: "swift-argument-parser")],
      path: "Benchmarks/TrackerBench",
      swiftSettings: swiftSettings
    ),
    // Issue #7's workload from a Swift client (`make bench`).
    .executableTarget(
      name: "MonitorBench",
      dependencies: ["MLOpsProto", "MLOpsStatistics"] + grpc + [.product(name: "ArgumentParser", package: "swift-argument-parser")],
      path: "Benchmarks/MonitorBench",
      swiftSettings: swiftSettings
    ),
    // libnghttp2 as a system library (`make deps` installs Debian's libnghttp2-dev).
    .systemLibrary(name: "CNGHTTP2", path: "Sources/CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
    // Issue #27's spike: grpc.health.v1.Health/Check on libnghttp2 over NIO's event loops.
    .executableTarget(
      name: "WireSpike",
      dependencies: [
        "CNGHTTP2", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Benchmarks/WireSpike",
      swiftSettings: swiftSettings
    ),
    // Issue #6's workload from a Swift client (`make bench`).
    .executableTarget(
      name: "FeatureBench",
      dependencies: ["MLOpsProto"] + grpc + [.product(name: "ArgumentParser", package: "swift-argument-parser")],
      path: "Benchmarks/FeatureBench",
      swiftSettings: swiftSettings
    ),
  ] + processes.map { process($0.product, target: $0.target, library: $0.library) }
)
