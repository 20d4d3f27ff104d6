/// Storage of the registry's one aggregate, the registered model with its versions. Every
/// mutation is `modify`: load the aggregate under a write lock, apply a pure change, store what
/// changed and append its audit events — all in one transaction, so a rejected change writes
/// nothing and the audit trail never disagrees with the state.
public protocol ModelRepository: Sendable {
  /// - Throws: `RegistryError.modelNameTaken`.
  func create(_ model: RegisteredModelRecord, event: AuditRecord) async throws
  /// - Throws: `RegistryError.modelNotFound`, or whatever `change` throws (then nothing is stored).
  func modify<Result: Sendable>(
    name: String, _ change: @Sendable (inout ModelAggregate) throws -> (Result, [AuditRecord])
  ) async throws -> Result
  /// Deletes the model and its versions once `check` (given the locked aggregate) accepts,
  /// appending the event it returns. - Throws: `modelNotFound`, or what `check` throws.
  func delete(name: String, _ check: @Sendable (ModelAggregate) throws -> AuditRecord) async throws
  func load(name: String) async throws -> ModelAggregate?
  /// Every model with its versions, for search (registries hold thousands of models, not
  /// millions; filters on tags are evaluated on the decoded documents).
  func all() async throws -> [ModelAggregate]
  /// The newest event's sequence, 0 when there is none.
  func latestSequence() async throws -> Int64
  /// Audit events matching `filter` with sequence > `after`, oldest first.
  func events(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord]
}
