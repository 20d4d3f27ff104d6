/// Closed windows decoded and sorted for drift, least recently used evicted first, within a
/// byte budget. A closed window's predictions never change, so the background evaluation's
/// read serves every later ComputeDrift, chart or dashboard query on it without reading a
/// million rows back from storage. What can change is cleared: labels arriving for a window
/// (its performance inputs) and a new monitor definition (which columns are decoded).
actor WindowCache {
  /// Told how many windows and bytes are held after every change (the `/metrics` gauges).
  typealias Observer = @Sendable (_ windows: Int, _ bytes: Int) -> Void

  private struct Entry {
    var columns: WindowColumns
    var monitor: String
    var definition: [MonitorDefinition.Column]
    var bytes: Int
    var lastUse: UInt64
  }

  private let budget: Int
  private let observe: Observer
  private var entries: [String: Entry] = [:]
  private var used = 0
  private var uses: UInt64 = 0
  /// Per monitor, bumped by each invalidation: a read that started before it is not kept.
  private var generations: [String: UInt64] = [:]

  /// - Parameter budget: bytes; 0 keeps nothing.
  init(budget: Int, observe: @escaping Observer = { _, _ in }) { (self.budget, self.observe) = (budget, observe) }

  /// The window's columns sorted for drift: from memory, or from `load` (then kept when they
  /// fit and nothing invalidated the monitor's windows meanwhile).
  func columns(
    of window: WindowRecord, monitor: MonitorDefinition, load: @Sendable () async throws -> WindowColumns
  ) async throws -> WindowColumns {
    uses += 1
    if var entry = entries[window.windowID], entry.definition == monitor.columns {
      entry.lastUse = uses
      entries[window.windowID] = entry
      return entry.columns
    }
    let generation = generations[window.monitor, default: 0]
    let columns = try await load().sortedForDrift()
    if generations[window.monitor, default: 0] == generation {
      keep(columns, window: window, definition: monitor.columns)
    }
    return columns
  }

  /// Forgets these windows of `monitor` (labels arrived for them), and any read of the
  /// monitor's windows still in flight.
  func invalidate(monitor: String, windows: [String]) {
    generations[monitor, default: 0] += 1
    for id in windows { remove(id) }
  }

  /// Forgets every window of `monitor` (its definition changed).
  func invalidate(monitor: String) {
    generations[monitor, default: 0] += 1
    for (id, entry) in entries where entry.monitor == monitor { remove(id) }
  }

  private func keep(_ columns: WindowColumns, window: WindowRecord, definition: [MonitorDefinition.Column]) {
    let bytes = columns.approximateBytes
    guard bytes <= budget else { return }
    remove(window.windowID)
    while used + bytes > budget, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key { remove(oldest) }
    entries[window.windowID] = Entry(columns: columns, monitor: window.monitor, definition: definition, bytes: bytes, lastUse: uses)
    used += bytes
    observe(entries.count, used)
  }

  private func remove(_ id: String) {
    guard let entry = entries.removeValue(forKey: id) else { return }
    used -= entry.bytes
    observe(entries.count, used)
  }
}
