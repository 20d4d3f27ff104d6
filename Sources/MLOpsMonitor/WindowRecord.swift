/// A closed window: the predictions of a monitor between two sequence numbers.
public struct WindowRecord: Sendable, Equatable {
  public var windowID: String
  public var monitor: String
  public var number: Int64
  public var firstSequence: Int64
  public var lastSequence: Int64
  public var rows: Int64
  public var startTime: Int64
  public var endTime: Int64
}

/// The window of a monitor still filling: predictions after sequence `after` up to
/// `watermark` (the last one counted), how many, and the first one's time.
public struct OpenWindow: Sendable, Equatable {
  public var after: Int64
  public var nextNumber: Int64
  public var watermark: Int64
  public var count: Int64
  public var firstTime: Int64
}
