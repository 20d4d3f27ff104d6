import Foundation
import MLOpsCore

/// Logged models, written once for SQLite and PostgreSQL on ``SQLExecutor``: one row per
/// model with the columns searches filter on and the whole record as a JSON document.
public struct LoggedModelRepository: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// Stores a new model.
  public func create(_ model: LoggedModel) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO logged_models (model_id, experiment_id, name, source_run_id, creation_time, doc) VALUES (?, ?, ?, ?, ?, ?)",
        [
          .text(model.id), .int(model.experimentID), .text(model.name), .text(model.sourceRunID), .int(model.creationTime),
          .text(try Self.encode(model)),
        ])
    }
  }

  /// The model with `id`; nil when there is none.
  public func model(id: String) async throws -> LoggedModel? {
    try await sql.lookup { c in
      try await c.first("SELECT doc FROM logged_models WHERE model_id = ?", [.text(id)]).map { try Self.decode($0[0].text) }
    }
  }

  /// Applies `change` to the stored model in one transaction; nil when there is none.
  public func modify(id: String, _ change: @escaping @Sendable (inout LoggedModel) throws -> Void) async throws -> LoggedModel? {
    try await sql.transaction { c in
      guard let row = try await c.first("SELECT doc FROM logged_models WHERE model_id = ?\(sql.dialect.forUpdate)", [.text(id)]) else {
        return nil
      }
      var model = try Self.decode(row[0].text)
      try change(&model)
      try await c.execute("UPDATE logged_models SET doc = ? WHERE model_id = ?", [.text(try Self.encode(model)), .text(id)])
      return model
    }
  }

  /// Deletes the model; false when there was none.
  public func delete(id: String) async throws -> Bool {
    try await sql.transaction { c in
      guard try await c.first("SELECT model_id FROM logged_models WHERE model_id = ?\(sql.dialect.forUpdate)", [.text(id)]) != nil
      else { return false }
      try await c.execute("DELETE FROM logged_models WHERE model_id = ?", [.text(id)])
      return true
    }
  }

  /// Up to `limit` models of `experiments` after the position `after` (creation time, id),
  /// oldest first, optionally of one name and one run.
  public func search(
    experiments: [Int64], name: String, runID: String, after: (time: Int64, id: String)?, limit: Int
  ) async throws -> [LoggedModel] {
    var conditions = ["experiment_id IN (\(experiments.map { _ in "?" }.joined(separator: ", ")))"]
    var binds: [SQLValue] = experiments.map { .int($0) }
    if !name.isEmpty {
      conditions.append("name = ?")
      binds.append(.text(name))
    }
    if !runID.isEmpty {
      conditions.append("source_run_id = ?")
      binds.append(.text(runID))
    }
    if let after {
      conditions.append("(creation_time > ? OR (creation_time = ? AND model_id > ?))")
      binds += [.int(after.time), .int(after.time), .text(after.id)]
    }
    let query =
      "SELECT doc FROM logged_models WHERE \(conditions.joined(separator: " AND ")) ORDER BY creation_time, model_id LIMIT ?"
    let finalBinds = binds + [.int(Int64(limit))]
    return try await sql.read { c in try await c.query(query, finalBinds).map { try Self.decode($0[0].text) } }
  }

  static func encode(_ model: LoggedModel) throws -> String {
    String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
  }

  static func decode(_ text: String) throws -> LoggedModel {
    do {
      return try JSONDecoder().decode(LoggedModel.self, from: Data(text.utf8))
    } catch {
      throw TrackerError.storage("a stored logged model does not decode: \(error)")
    }
  }
}
