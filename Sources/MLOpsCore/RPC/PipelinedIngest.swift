/// A client-streamed ingest (the monitor's predictions, the feature server's pushes): each
/// message is validated and encoded while the one before it commits, so decoding and storage
/// overlap on two cores. Messages commit in order, one at a time. On any failure the commit in
/// flight is awaited before the call ends — nothing keeps writing after the RPC answered — and
/// the earlier failure wins: a commit that failed is reported before a later message's error.
public enum PipelinedIngest {
  /// - Parameters:
  ///   - prepare: validates and encodes message `index`; throwing ends the call.
  ///   - commit: stores what `prepare` made and answers its outcome.
  ///   - combine: adds one message's outcome to the total.
  /// - Returns: the combined outcomes of every message.
  public static func run<Messages: AsyncSequence, Prepared: Sendable, Outcome: Sendable>(
    _ messages: Messages, initial: Outcome,
    prepare: (Messages.Element, Int) async throws -> Prepared,
    commit: @escaping @Sendable (Prepared) async throws -> Outcome,
    combine: (Outcome, Outcome) -> Outcome
  ) async throws -> Outcome {
    var total = initial
    var committing: Task<Outcome, any Error>?
    var index = 0
    do {
      for try await message in messages {
        let prepared = try await prepare(message, index)
        if let committing { total = combine(total, try await committing.value) }
        committing = Task { try await commit(prepared) }
        index += 1
      }
      if let committing { total = combine(total, try await committing.value) }
      return total
    } catch {
      if let committing { _ = try await committing.value }
      throw error
    }
  }
}
