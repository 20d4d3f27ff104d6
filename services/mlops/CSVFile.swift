import Foundation
import MLOpsCore
import MLOpsRuntime

/// Every command that reads a CSV file reads it here, so each failure names the file the same
/// way: "cannot read FILE", or "FILE: what is wrong with it".
enum CSVFile {
  static func table(_ path: String) throws -> CSVTable {
    guard let data = FileManager.default.contents(atPath: path) else { throw StartupError("cannot read \(path)") }
    do {
      return try CSVTable(parsing: String(decoding: data, as: UTF8.self))
    } catch {
      throw StartupError("\(path): \(error)")
    }
  }
}
