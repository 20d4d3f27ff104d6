import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week, UTC) for
/// scheduled retraining: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`.
/// Day-of-week 0 and 7 are Sunday; when both day fields are restricted either may match, as
/// in cron.
public struct CronSchedule: Sendable, Equatable {
  let minutes, hours, days, months, weekdays: Set<Int>
  let daysRestricted, weekdaysRestricted: Bool

  /// - Throws: a reason naming the bad field.
  public init(_ expression: String) throws {
    let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
    guard fields.count == 5 else { throw CronError("needs 5 fields (minute hour day month weekday), got \(fields.count)") }
    minutes = try Self.parse(fields[0], 0...59, "minute")
    hours = try Self.parse(fields[1], 0...23, "hour")
    days = try Self.parse(fields[2], 1...31, "day of month")
    months = try Self.parse(fields[3], 1...12, "month")
    weekdays = Set(try Self.parse(fields[4], 0...7, "day of week").map { $0 % 7 })
    (daysRestricted, weekdaysRestricted) = (fields[2] != "*", fields[4] != "*")
  }

  /// Whether the schedule fires in the minute holding `milliseconds` (epoch, UTC).
  public func matches(milliseconds: Int64) -> Bool {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = Date(timeIntervalSince1970: TimeInterval(milliseconds / 1000))
    let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
    guard minutes.contains(c.minute!), hours.contains(c.hour!), months.contains(c.month!) else { return false }
    let day = days.contains(c.day!)
    let weekday = weekdays.contains(c.weekday! - 1)
    return daysRestricted && weekdaysRestricted ? day || weekday : day && weekday
  }

  static func parse(_ field: String, _ range: ClosedRange<Int>, _ name: String) throws -> Set<Int> {
    var values: Set<Int> = []
    for part in field.split(separator: ",", omittingEmptySubsequences: false) {
      let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
      guard pieces.count <= 2, let base = pieces.first else { throw CronError("\(name) '\(part)' is not a cron field") }
      let step = pieces.count == 2 ? Int(pieces[1]) : 1
      guard let step, step > 0 else { throw CronError("\(name) '\(part)' has a bad step") }
      let bounds: ClosedRange<Int>
      if base == "*" {
        bounds = range
      } else if let dash = base.firstIndex(of: "-"), let low = Int(base[..<dash]), let high = Int(base[base.index(after: dash)...]),
        low <= high
      {
        bounds = low...high
      } else if let single = Int(base) {
        // `60/1` starts past the field's end: refused here, since `60...59` would trap.
        guard range.contains(single) else {
          throw CronError("\(name) '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
        }
        bounds = single...(pieces.count == 2 ? range.upperBound : single)
      } else {
        throw CronError("\(name) '\(part)' is not a cron field")
      }
      guard range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else {
        throw CronError("\(name) '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
      }
      values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
    }
    return values
  }
}

/// Why a cron expression was refused.
public struct CronError: Error, Equatable, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
