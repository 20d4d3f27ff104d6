import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP2

/// The `grpc-timeout` header as the gRPC spec writes it: 1–8 ASCII digits and a unit
/// (`H`, `M`, `S`, `m`, `u`, `n`). Parsed here rather than trusted to GRPCCore, whose 2.4.3
/// decoder accepts a sign and then fails a precondition (`-5S` stopped any process), and
/// whose absence of an upper bound on other paths let `9223372036854775807H` overflow.
public enum GRPCTimeout {
  /// The metadata key under which a malformed `grpc-timeout` reaches the interceptors, so
  /// the call is refused with INVALID_ARGUMENT instead of reaching GRPCCore's parser.
  public static let rejectedKey = "x-mlops-rejected-grpc-timeout"

  /// The duration `value` encodes, or nil when it is not a well-formed `grpc-timeout`.
  /// At most 99,999,999 hours, so every result fits a `Duration` without overflow.
  public static func parse<S: StringProtocol>(_ value: S) -> Duration? {
    let utf8 = Array(value.utf8)
    guard (2...9).contains(utf8.count), let unit = utf8.last else { return nil }
    var amount: Int64 = 0
    for byte in utf8.dropLast() {
      guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
      amount = amount * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    switch unit {
    case UInt8(ascii: "H"): return .seconds(amount * 3600)
    case UInt8(ascii: "M"): return .seconds(amount * 60)
    case UInt8(ascii: "S"): return .seconds(amount)
    case UInt8(ascii: "m"): return .milliseconds(amount)
    case UInt8(ascii: "u"): return .microseconds(amount)
    case UInt8(ascii: "n"): return .nanoseconds(amount)
    default: return nil
    }
  }

  /// `timeout` as a `grpc-timeout` value: the finest unit that keeps it within 8 digits,
  /// rounded up so the peer never gives up before the caller would (at least 1n).
  public static func encode(_ timeout: Duration) -> String {
    let (seconds, attoseconds) = timeout.components
    guard seconds >= 0 else { return "1n" }
    let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    var amount = nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ (attoseconds + 999_999_999) / 1_000_000_000
    if amount < 0 { amount = Int64.max }
    for (unit, size) in [
      ("n", Int64(1)), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000), ("M", 60_000_000_000), ("H", 3_600_000_000_000),
    ] {
      let count = amount / size + (amount % size == 0 ? 0 : 1)
      if count <= 99_999_999 { return "\(max(count, 1))\(unit)" }
    }
    return "99999999H"
  }
}

/// Sits first on every accepted HTTP/2 stream and inspects the request headers once: a
/// malformed `grpc-timeout` is moved to ``GRPCTimeout/rejectedKey`` before GRPCCore sees it,
/// and the interceptor answers INVALID_ARGUMENT naming it. Installed through the transport's
/// `onAcceptHTTP2Stream` callback, since the transport offers no other hook before parsing.
final class GRPCTimeoutGuard: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTP2Frame.FramePayload
  typealias InboundOut = HTTP2Frame.FramePayload

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let payload = unwrapInboundIn(data)
    guard case .headers(var headers) = payload else {
      context.fireChannelRead(data)
      return
    }
    // Only the first HEADERS frame carries the request's metadata; later frames pass untouched.
    defer { context.pipeline.syncOperations.removeHandler(context: context, promise: nil) }
    let values = headers.headers[canonicalForm: "grpc-timeout"]
    guard let bad = values.first(where: { GRPCTimeout.parse($0) == nil }) else {
      context.fireChannelRead(data)
      return
    }
    headers.headers.remove(name: "grpc-timeout")
    headers.headers.add(name: GRPCTimeout.rejectedKey, value: String(bad.prefix(32)))
    context.fireChannelRead(wrapInboundOut(.headers(headers)))
  }

  /// The transport callback that installs the guard on a new stream channel.
  @Sendable static func install(on channel: any Channel) -> EventLoopFuture<Void> {
    channel.eventLoop.makeCompletedFuture {
      try channel.pipeline.syncOperations.addHandler(GRPCTimeoutGuard(), position: .first)
    }
  }
}
