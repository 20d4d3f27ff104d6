import Foundation
import Logging
import MLOpsCore
import ServiceLifecycle
import Synchronization

/// One audited decision: who called what, and how it ended.
public struct AuditEntry: Sendable, Equatable {
  public var sequence: Int64
  public var time: Int64
  public var actor: String
  public var keyID: String
  public var method: String
  public var code: String
  /// The deployment a policy decision was about; empty otherwise.
  public var deployment: String
  public var detail: String
}

/// The gateway's audit trail: refusals, every write and every policy decision. Entries are
/// queued by the call and written in batches every ``interval`` (a call never waits for the
/// disk); at most ``capacity`` wait, beyond which the oldest are kept and the newest counted
/// as lost in the log.
public final class AuditLog: Service, Sendable {
  public static let capacity = 100_000
  let sql: any SQLExecutor
  let logger: Logger
  let interval: Duration
  let clock: @Sendable () -> Int64
  private let pending = Mutex<[AuditEntry]>([])

  public init(
    executor: any SQLExecutor, logger: Logger, interval: Duration = .milliseconds(200),
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.sql = executor
    self.logger = logger
    self.interval = interval
    self.clock = clock
  }

  /// Queues an entry.
  public func record(actor: String, keyID: String, method: String, code: String, deployment: String = "", detail: String) {
    let entry = AuditEntry(
      sequence: 0, time: clock(), actor: actor, keyID: keyID, method: method, code: code, deployment: deployment,
      detail: String(detail.prefix(4096)))
    let kept = pending.withLock { queue -> Bool in
      guard queue.count < Self.capacity else { return false }
      queue.append(entry)
      return true
    }
    if !kept { logger.error("audit queue full: an entry was lost", metadata: ["method": "\(method)", "actor": "\(actor)"]) }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        try? await Task.sleep(for: self.interval)
        await self.flush()
      }
    }
    await flush()
  }

  /// Writes everything queued.
  public func flush() async {
    let batch = pending.withLock { queue in
      defer { queue.removeAll() }
      return queue
    }
    guard !batch.isEmpty else { return }
    do {
      try await sql.write(
        batch.map { e in
          (
            "INSERT INTO audit (time, actor, key_id, method, code, deployment, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.int(e.time), .text(e.actor), .text(e.keyID), .text(e.method), .text(e.code), .text(e.deployment), .text(e.detail)]
          )
        })
    } catch {
      logger.error("cannot write the audit log", metadata: ["entries": "\(batch.count)", "error": "\(error)"])
    }
  }

  /// Entries oldest first after `afterSequence`, optionally of one actor, deployment or time range.
  public func entries(
    actor: String, deployment: String, start: Int64, end: Int64, afterSequence: Int64, limit: Int
  ) async throws -> [AuditEntry] {
    await flush()
    var conditions = ["seq > ?"]
    var binds: [SQLValue] = [.int(afterSequence)]
    if !actor.isEmpty {
      conditions.append("actor = ?")
      binds.append(.text(actor))
    }
    if !deployment.isEmpty {
      conditions.append("deployment = ?")
      binds.append(.text(deployment))
    }
    if start > 0 {
      conditions.append("time >= ?")
      binds.append(.int(start))
    }
    if end > 0 {
      conditions.append("time < ?")
      binds.append(.int(end))
    }
    let query =
      "SELECT seq, time, actor, key_id, method, code, deployment, detail FROM audit WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
    let finalBinds = binds + [.int(Int64(limit))]
    return try await sql.read { c in
      try await c.query(query, finalBinds).map { r in
        AuditEntry(
          sequence: r[0].int, time: r[1].int, actor: r[2].text, keyID: r[3].text, method: r[4].text, code: r[5].text,
          deployment: r[6].text, detail: r[7].text)
      }
    }
  }
}
