import Foundation
import MLOpsCore

/// A monitored value: numbers (every numeric and boolean type) or category labels.
public enum FieldValue: Sendable, Equatable, Hashable {
  case missing
  case number(Double)
  case text(String)
  /// A value of a type the monitor cannot test (lists, bytes), named; refused in a monitored
  /// column, ignored elsewhere.
  case unsupported(String)

  /// The label a categorical test counts: numbers print as integers when they are whole, so
  /// 1 and 1.0 are one category.
  public var category: String? {
    switch self {
    case .missing, .unsupported: nil
    case .text(let text): text
    case .number(let value):
      value.isNaN ? nil : (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
    }
  }

  public var number: Double? {
    if case .number(let value) = self, !value.isNaN { return value }
    return nil
  }
}

/// One logged prediction, reduced to what the monitor keeps: the monitored columns' values
/// (features and outputs by name), its time and latency.
public struct Prediction: Sendable, Equatable {
  public var requestID: String
  public var deployment: String
  public var variant: String
  public var modelVersion: Int64
  /// Event time, milliseconds since the epoch.
  public var time: Int64
  public var latencyMilliseconds: Double
  public var values: [String: FieldValue]

  public init(
    requestID: String, deployment: String = "", variant: String = "", modelVersion: Int64 = 0, time: Int64, latencyMilliseconds: Double = 0,
    values: [String: FieldValue]
  ) {
    (self.requestID, self.deployment, self.variant, self.modelVersion) = (requestID, deployment, variant, modelVersion)
    (self.time, self.latencyMilliseconds, self.values) = (time, latencyMilliseconds, values)
  }
}

/// The compact binary form of a label, and of a prediction's values in rows stored before
/// ``PredictionBlock`` (read back by windows over them).
enum ValueCodec {
  /// The field count, then each field's name and value as ``ByteWriter`` writes them.
  static func encode(_ values: [String: FieldValue]) -> Data {
    var writer = ByteWriter(capacity: 4 + values.count * 24)
    writer.uint32(UInt32(values.count))
    for (name, value) in values {
      writer.string(name)
      writer.value(value)
    }
    return Data(writer.bytes)
  }

  static func decode(_ data: Data) -> [String: FieldValue] {
    data.withUnsafeBytes { raw in
      var reader = ByteReader(bytes: raw)
      var values: [String: FieldValue] = [:]
      for _ in 0..<Int(reader.uint32()) {
        let name = reader.string32()
        values[name] = reader.value()
      }
      return values
    }
  }

  /// One value alone (labels).
  static func encode(_ value: FieldValue) -> Data { encode(["": value]) }
  static func decodeValue(_ data: Data) -> FieldValue { decode(data)[""] ?? .missing }
}
