/// A raised alert and what its actions did — the domain form of `mlops.monitor.v1.Alert`.
public struct AlertRecord: Codable, Sendable, Equatable {
  public enum Kind: Int, Codable, Sendable { case unspecified, drift, controlChart, performance }
  public enum State: Int, Codable, Sendable { case open, acknowledged, resolved }

  public struct Outcome: Codable, Sendable, Equatable {
    public var action: String
    public var succeeded: Bool
    public var attempts: Int
    public var detail: String
    public var time: Int64
  }

  public var alertID: String
  public var monitor: String
  public var kind: Kind
  public var state: State
  public var message: String
  public var dedupKey: String
  public var reportID: String
  public var createdTime: Int64
  public var acknowledgedBy: String = ""
  public var comment: String = ""
  public var outcomes: [Outcome] = []
}
