import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// MLflow's log-batch body decoded by type with Foundation's JSONDecoder: the ingest path.
/// Decoding it into generic JSON values cost 44% of the gateway's CPU on a 100-metric batch
/// (a cast per value); typed decoding reads each field once. int64 fields come as strings
/// from MLflow's client (protobuf's JSON) and as numbers from others; both are taken.
struct MLflowLogBatchBody: Decodable, Sendable {
  struct Metric: Decodable, Sendable {
    var key: String?
    var value: FlexibleDouble?
    var timestamp: FlexibleInt?
    var step: FlexibleInt?
  }
  struct Pair: Decodable, Sendable {
    var key: String?
    var value: String?
  }

  var runId: String?
  var runUuid: String?
  var metrics: [Metric]?
  var params: [Pair]?
  var tags: [Pair]?

  // Spelled out: the decoder's snake-case key strategy rewrote every key of every metric.
  enum CodingKeys: String, CodingKey {
    case runId = "run_id", runUuid = "run_uuid", metrics, params, tags
  }

  /// Reads a JSON body. - Throws: INVALID_PARAMETER_VALUE naming what does not decode.
  static func decode(_ body: [UInt8]) throws -> MLflowLogBatchBody {
    let decoder = JSONDecoder()
    do {
      return try decoder.decode(MLflowLogBatchBody.self, from: Data(body))
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
      let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      throw MLflowError.invalidParameter("log-batch body\(path): \(context.debugDescription)")
    } catch {
      throw MLflowError.invalidParameter("the log-batch body is not valid JSON: \(error)")
    }
  }

  /// The tracker's request. - Throws: INVALID_PARAMETER_VALUE naming a metric without a value.
  func request() throws -> Mlops_Tracker_V1_LogBatchRequest {
    guard let run = runId ?? runUuid, !run.isEmpty else {
      throw MLflowError.invalidParameter("missing value for required parameter 'run_id'")
    }
    return try .with {
      $0.runID = run
      $0.metrics = try (metrics ?? []).enumerated().map { index, m in
        guard let value = m.value?.value else { throw MLflowError.invalidParameter("metrics[\(index)].value is missing") }
        return .with {
          $0.key = m.key ?? ""
          $0.value = value
          if let time = m.timestamp?.value { $0.timestamp = Google_Protobuf_Timestamp(milliseconds: time) }
          $0.step = m.step?.value ?? 0
        }
      }
      $0.params = (params ?? []).map { p in
        .with {
          $0.key = p.key ?? ""
          $0.value = p.value ?? ""
        }
      }
      $0.tags = (tags ?? []).map { t in
        .with {
          $0.key = t.key ?? ""
          $0.value = t.value ?? ""
        }
      }
    }
  }
}

/// An int64 as a JSON string (MLflow's client) or number; the string is tried first.
struct FlexibleInt: Decodable, Sendable {
  let value: Int64

  init(from decoder: any Swift.Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      guard let number = Int64(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an integer")
      }
      value = number
    } else {
      value = try container.decode(Int64.self)
    }
  }
}

/// A double as a JSON number, or "NaN" / "Infinity" / "-Infinity" as protobuf's JSON writes them.
struct FlexibleDouble: Decodable, Sendable {
  let value: Double

  init(from decoder: any Swift.Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      value = number
    } else {
      let text = try container.decode(String.self)
      guard let number = Double(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a number")
      }
      value = number
    }
  }
}
