import Foundation
import GRDBSQLite

/// One result row handed to ``SQLConnection/scan(_:_:into:_:)``, read by position. On SQLite
/// it reads straight from the statement standing on the row (valid only inside the closure
/// it is passed to), so a page of 1,000 runs is not first copied into a ``SQLValue`` per cell
/// (`scripts/ab-search-runs.sh`: 10% of SearchRuns); on PostgreSQL it holds the decoded
/// cells. The accessors convert as ``SQLValue``'s do: NULL reads as 0, "" or nil.
public struct SQLRow {
  enum Source {
    case sqlite(OpaquePointer)
    case cells([SQLValue])
  }

  let source: Source

  init(source: Source) {
    self.source = source
  }

  /// A row of cells already read (a ``SQLConnection/query(_:_:)`` result), so code that reads
  /// rows by ``SQLRow`` serves both.
  public init(_ cells: [SQLValue]) {
    self.source = .cells(cells)
  }

  /// Cells in select order.
  public var count: Int {
    switch source {
    case .sqlite(let statement): Int(sqlite3_column_count(statement))
    case .cells(let cells): cells.count
    }
  }

  /// The cell as a ``SQLValue`` (a copy, for code that keeps it).
  public subscript(_ column: Int) -> SQLValue {
    switch source {
    case .sqlite(let statement): SQLValue(column: Int32(column), of: statement)
    case .cells(let cells): cells[column]
    }
  }

  public func isNull(_ column: Int) -> Bool {
    switch source {
    case .sqlite(let statement): sqlite3_column_type(statement, Int32(column)) == SQLITE_NULL
    case .cells(let cells): cells[column].isNull
    }
  }

  /// The integer in the cell; 0 for NULL.
  public func int(_ column: Int) -> Int64 {
    switch source {
    case .sqlite(let statement): sqlite3_column_int64(statement, Int32(column))
    case .cells(let cells): cells[column].int
    }
  }

  /// The number in the cell; nil for NULL.
  public func double(_ column: Int) -> Double? {
    switch source {
    case .sqlite(let statement): isNull(column) ? nil : sqlite3_column_double(statement, Int32(column))
    case .cells(let cells): cells[column].double
    }
  }

  /// The text in the cell (numbers as their digits); "" for NULL.
  public func text(_ column: Int) -> String {
    switch source {
    case .sqlite(let statement):
      guard let bytes = sqlite3_column_text(statement, Int32(column)) else { return "" }  // before _bytes, as SQLite asks
      return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, Int32(column)))), as: UTF8.self)
    case .cells(let cells): return cells[column].text
    }
  }
}
