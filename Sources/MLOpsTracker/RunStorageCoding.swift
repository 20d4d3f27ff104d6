import Foundation

/// Column encodings both backends share, so a run reads back identically from either.
enum RunStorageCoding {
  static func json(_ value: [String]) -> String {
    String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
  }

  static func json(_ value: [String: String]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
  }

  /// Most runs have no package list and most inputs no tags: skip the decoder for those
  /// (a JSONDecoder per row dominated search latency).
  static func strings(_ text: String) -> [String] {
    if text.isEmpty || text == "[]" { return [] }
    return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
  }

  static func dictionary(_ text: String) -> [String: String] {
    if text.isEmpty || text == "{}" { return [:] }
    return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
  }

  /// SQLite turns NaN into NULL, so NaN is stored as (NULL, is_nan = 1) on both backends.
  static func stored(_ value: Double) -> (value: Double?, isNaN: Int16) {
    value.isNaN ? (nil, 1) : (value, 0)
  }

  static func loaded(_ value: Double?, isNaN: Int16) -> Double {
    isNaN != 0 ? .nan : (value ?? .nan)
  }

  /// The artifact root of a run inside its experiment's location.
  static func artifactURI(experimentLocation: String, runID: String) -> String {
    experimentLocation.hasSuffix("/") ? experimentLocation + runID + "/artifacts" : experimentLocation + "/" + runID + "/artifacts"
  }
}

extension Run {
  /// The run CreateRun just stored, without reading it back.
  init(_ new: NewRun, artifactURI: String) {
    self.init(
      info: RunInfo(
        id: new.id, experimentID: new.experimentID, name: new.name, status: .running, startTime: new.startTime, endTime: nil,
        lifecycle: .active, artifactURI: artifactURI, userID: new.userID),
      metrics: [:], params: [:], tags: KeyedValues(new.tags), inputs: [], source: new.source, environment: new.environment)
  }
}
