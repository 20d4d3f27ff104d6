/// A reason a process cannot start, phrased as the one line an operator needs: what failed and
/// where (`port 7001 on 127.0.0.1 is already in use`, `data dir /x is not writable`).
public struct StartupError: Error, CustomStringConvertible, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
