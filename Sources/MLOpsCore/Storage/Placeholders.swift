/// `?` placeholder lists for statements whose number of bound values depends on the call (IN
/// lists, multi-row VALUES): one spelling for every store, instead of each building its own.
/// ``SQLExecutor`` renumbers `?` for PostgreSQL, so the same text serves both backends there.
public enum Placeholders {
  /// `?, ?, ?` — `count` placeholders, for an IN list.
  public static func list(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }

  /// `(?, ?), (?, ?)` — `count` rows of `width` placeholders, for a multi-row VALUES list.
  public static func rows(_ count: Int, width: Int) -> String {
    Array(repeating: "(" + list(width) + ")", count: count).joined(separator: ", ")
  }
}
