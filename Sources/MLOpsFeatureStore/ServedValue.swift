/// Why a read has (or lacks) a value. Raw values are `mlops.features.v1.FeatureStatus`'s.
public enum FeatureStatus: Int, Sendable {
  case present = 1, nullValue, notFound, outsideMaxAge
}

/// One feature value as a read answers it.
public struct ServedValue: Sendable, Equatable {
  public var value: FeatureData
  public var status: FeatureStatus
  /// Epoch microseconds of the event the value came from; nil when there is none.
  public var eventTime: Int64?

  public static let notFound = ServedValue(value: .null, status: .notFound, eventTime: nil)

  /// A stored value: PRESENT, or NULL_VALUE when the row holds null for it.
  static func stored(_ value: FeatureData, at eventTime: Int64) -> ServedValue {
    ServedValue(value: value, status: value.isNull ? .nullValue : .present, eventTime: eventTime)
  }
}

/// An entity row of a point-in-time join: join key values and the time to look back from.
public struct EntityTimeRow: Sendable {
  public var key: [String: FeatureData]
  /// Epoch microseconds.
  public var time: Int64

  public init(key: [String: FeatureData], time: Int64) {
    self.key = key
    self.time = time
  }
}

/// One joined row: the request's row index and a value per requested feature.
public struct HistoricalResult: Sendable {
  public var rowIndex: Int
  public var values: [ServedValue]
}
