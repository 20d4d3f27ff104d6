import Foundation

/// MLflow 3's logged model: a model logged from a run, PENDING while its files upload, then
/// READY or FAILED. Its files are the source run's artifacts under ``artifactPath``; the
/// record itself is stored as one JSON document, as the registry keeps its versions.
public struct LoggedModel: Codable, Sendable, Equatable {
  public enum Status: String, Codable, Sendable { case pending, ready, failed }

  public var id: String
  public var experimentID: Int64
  public var name: String
  public var sourceRunID: String
  public var modelType: String
  public var status: Status
  public var statusMessage: String
  public var creationTime: Int64
  public var lastUpdatedTime: Int64
  public var tags: [String: String]
  public var params: [String: String]

  /// Where its files are inside the source run's artifacts.
  public var artifactPath: String { ".models/\(id)" }

  /// A new id: "m-" and 32 hexadecimal digits, as MLflow writes them.
  static func newID() -> String {
    "m-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
  }
}
