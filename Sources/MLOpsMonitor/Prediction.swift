import Foundation

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

  public init(requestID: String, deployment: String = "", variant: String = "", modelVersion: Int64 = 0, time: Int64, latencyMilliseconds: Double = 0, values: [String: FieldValue]) {
    (self.requestID, self.deployment, self.variant, self.modelVersion) = (requestID, deployment, variant, modelVersion)
    (self.time, self.latencyMilliseconds, self.values) = (time, latencyMilliseconds, values)
  }
}

/// The compact binary form of a label, and of a prediction's values in rows stored before
/// ``PredictionBlock`` (read back by windows over them).
enum ValueCodec {
  static func encode(_ values: [String: FieldValue]) -> Data {
    var writer = Writer(fields: values.count)
    for (name, value) in values { writer.append(name, value) }
    return writer.data
  }

  /// Builds a payload into one byte array (Data appends cost more than the rest of encoding);
  /// the field count in its first four bytes is kept current, so finishing is one copy.
  struct Writer {
    var bytes: [UInt8] = []
    private var fields: UInt32 = 0

    init(fields hint: Int) {
      bytes.reserveCapacity(4 + hint * 24)
      bytes.append(contentsOf: [0, 0, 0, 0])
    }

    /// Writes the name straight into the payload (a record's map: no array per name).
    mutating func append(_ name: String, _ value: FieldValue) {
      countField()
      Self.appendString(name, to: &bytes)
      appendValue(value)
    }

    private mutating func countField() {
      fields += 1
      withUnsafeBytes(of: fields.littleEndian) { count in
        for i in 0..<4 { bytes[i] = count[i] }
      }
    }

    private mutating func appendValue(_ value: FieldValue) {
      switch value {
      case .missing, .unsupported: bytes.append(0)
      case .number(let number):
        bytes.append(1)
        withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      case .text(let text):
        bytes.append(2)
        Self.appendString(text, to: &bytes)
      }
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
      withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
      bytes.append(contentsOf: text.utf8)
    }

    var data: Data { Data(bytes) }
  }

  static func decode(_ data: Data) -> [String: FieldValue] {
    data.withUnsafeBytes { raw in
      var reader = ByteReader(bytes: raw)
      var values: [String: FieldValue] = [:]
      for _ in 0..<Int(reader.uint32()) {
        let name = String(decoding: reader.slice(Int(reader.uint32())), as: UTF8.self)
        switch reader.byte() {
        case 1: values[name] = .number(Double(bitPattern: reader.uint64()))
        case 2: values[name] = .text(String(decoding: reader.slice(Int(reader.uint32())), as: UTF8.self))
        default: values[name] = .missing
        }
      }
      return values
    }
  }

  /// One value alone (labels).
  static func encode(_ value: FieldValue) -> Data { encode(["": value]) }
  static func decodeValue(_ data: Data) -> FieldValue { decode(data)[""] ?? .missing }
}
