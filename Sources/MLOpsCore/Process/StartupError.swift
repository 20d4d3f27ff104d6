/// A reason a process cannot start, phrased as the one line an operator needs: what failed and
/// where (`port 7001 on 127.0.0.1 is already in use`, `data dir /x is not writable`).
public struct StartupError: Error, CustomStringConvertible, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}

extension StartupError {
  /// Turns a bind error into the one line an operator needs ("gRPC port 7001 on 127.0.0.1 is
  /// already in use"); shared by the gRPC and HTTP listeners and the pre-start port check.
  public init(binding error: any Error, host: String, port: Int, what: String) {
    let text = "\(error)"
    if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
      self.init("\(what) port \(port) on \(host) is already in use")
    } else if text.contains("Cannot assign requested address") || text.contains("errno: 99") {
      self.init("cannot bind \(what) to \(host):\(port): no such local address")
    } else {
      self.init("cannot bind \(what) to \(host):\(port): \(text)")
    }
  }
}
