/// A CSV file as a header and rows of text cells (RFC 4180: quoted fields, doubled quotes,
/// CRLF or LF). Row-shaped data is how users hold the examples they check a model on.
public struct CSVTable: Sendable, Equatable {
  public var header: [String]
  public var rows: [[String]]

  public init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  /// Parses `text`; every row must have the header's number of cells.
  public init(parsing text: String) throws {
    var records = try CSVTable.records(text)
    guard !records.isEmpty else { throw ModelError.input("the CSV file is empty: it needs a header row") }
    let header = records.removeFirst().map { $0.trimmingSpaces() }
    for (index, record) in records.enumerated() where record.count != header.count {
      throw ModelError.input("CSV row \(index + 2) has \(record.count) cells; the header has \(header.count)")
    }
    self.init(header: header, rows: records)
  }

  private static func records(_ text: String) throws -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var afterQuote = false
    var iterator = text.makeIterator()
    while let c = iterator.next() {
      if quoted {
        if c == "\"" {
          quoted = false
          afterQuote = true
        } else {
          field.append(c)
        }
        continue
      }
      switch c {
      case "\"" where afterQuote:
        field.append("\"")
        quoted = true
        afterQuote = false
      case "\"" where field.isEmpty: quoted = true
      case ",":
        record.append(field)
        field = ""
        afterQuote = false
      case "\n", "\r\n", "\r":
        record.append(field)
        if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
        record = []
        field = ""
        afterQuote = false
      default:
        field.append(c)
        afterQuote = false
      }
    }
    if quoted { throw ModelError.input("the CSV file ends inside a quoted field") }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first?.isWhitespace == true { s.removeFirst() }
    while s.last?.isWhitespace == true { s.removeLast() }
    return String(s)
  }
}
