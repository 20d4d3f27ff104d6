import ArgumentParser
import CNGHTTP2
import NIOCore
import NIOPosix

/// Issue #27's spike: `grpc.health.v1.Health/Check` answered by libnghttp2 on NIO's event loops,
/// with no gRPC library between the bytes and the answer. NIO accepts and reads; each
/// connection's bytes go to an nghttp2 server session (framing, HPACK, flow control and stream
/// state in C), whose callbacks answer on the connection's own thread; what nghttp2 emits is
/// written back once per read. `scripts/bench-wire.sh` drives it with h2load beside a service on
/// the NIO transport and nghttpd.
@main
struct WireSpike: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Health/Check on libnghttp2 (issue #27's spike).")

  @Option(help: "Address to listen on.") var host = "127.0.0.1"
  @Option(help: "Port to listen on.") var port = 17990
  @Option(help: "Event-loop threads (default: one per core).") var threads = System.coreCount

  func run() throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    let channel = try ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SpikeConnection()) }
      }
      .bind(host: host, port: port).wait()
    print("wire spike listening on \(host):\(port) with \(threads) event loops")
    try channel.closeFuture.wait()
  }
}
