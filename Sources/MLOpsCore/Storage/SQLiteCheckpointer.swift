import GRDB
import Logging

/// Copies the write-ahead log back into the database file from a connection of its own, off
/// the write path. By default SQLite makes the commit that takes the log past 1,000 pages do
/// that copy and its fsync before it returns, and while readers keep the log from being
/// reused, every commit after it too: an ingest stream stalls for milliseconds per batch
/// behind the single writer. While this runs, a passive checkpoint (it never waits for
/// readers or the writer) runs every `interval` on another thread, and the writer's own
/// checkpoint only starts past ``writerThreshold`` pages: still there because only a
/// checkpoint right after a commit, with no write in between, can finish the log so the next
/// commit starts it over, but rarely with anything left to copy. Acknowledged commits are in
/// the log either way, so durability is unchanged.
public struct SQLiteCheckpointer: Sendable {
  /// The writer's checkpoint threshold while this runs (32 MiB of 4 KiB pages).
  public static let writerThreshold = 8192
  /// SQLite's default, given back when this stops.
  public static let defaultThreshold = 1000

  let store: SQLiteStore
  let interval: Duration
  let logger: Logger

  public init(store: SQLiteStore, interval: Duration = .milliseconds(100), logger: Logger) {
    (self.store, self.interval, self.logger) = (store, interval, logger)
  }

  /// Checkpoints until cancelled, then gives checkpoints back to the writer. When its own
  /// connection cannot be opened the writer keeps checkpointing as before.
  public func run() async {
    let connection: DatabaseQueue
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(10)
      connection = try DatabaseQueue(path: store.path, configuration: configuration)
      try await Self.setWriterThreshold(Self.writerThreshold, on: store)
    } catch {
      logger.warning("background checkpoints unavailable; the writer checkpoints", metadata: ["error": "\(error)"])
      return
    }
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      do {
        try await connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
      } catch is CancellationError {
        break
      } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && Task.isCancelled {
        break  // GRDB interrupts the statement of a cancelled task: the process is stopping
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
        continue  // the writer is past its threshold and checkpointing itself: nothing to add
      } catch {
        logger.warning("background checkpoint failed", metadata: ["error": "\(error)"])
      }
    }
    // A task of its own: this one is cancelled, and GRDB refuses to start work for it.
    let store = self.store
    await Task { try? await Self.setWriterThreshold(Self.defaultThreshold, on: store) }.value
  }

  /// Set on the pool's one write connection, the only one that commits.
  static func setWriterThreshold(_ pages: Int, on store: SQLiteStore) async throws {
    try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
  }
}
