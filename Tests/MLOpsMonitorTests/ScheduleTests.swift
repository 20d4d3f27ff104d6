import Foundation
import GRPCCore
import MLOpsMonitor
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Scheduled retraining")
struct ScheduleTests {
  /// 2026-11-23 was a Monday.
  static func time(_ iso: String) -> Int64 {
    Int64(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970 * 1000)
  }

  @Test("cron fields: steps, ranges, lists and the day-of-month / day-of-week rule")
  func cron() throws {
    let office = try CronSchedule("*/15 9-17 * * 1-5")
    #expect(office.matches(milliseconds: Self.time("2026-11-23T09:15:00Z")))
    #expect(!office.matches(milliseconds: Self.time("2026-11-23T09:16:00Z")))
    #expect(!office.matches(milliseconds: Self.time("2026-11-28T09:15:00Z")), "Saturday")
    let monthly = try CronSchedule("0 0 1,15 * 0")
    #expect(monthly.matches(milliseconds: Self.time("2026-11-15T00:00:30Z")))
    #expect(monthly.matches(milliseconds: Self.time("2026-11-22T00:00:00Z")), "a Sunday: either day field may match")
    #expect(!monthly.matches(milliseconds: Self.time("2026-11-23T00:00:00Z")))
    #expect(try CronSchedule("0 0 * * 7").matches(milliseconds: Self.time("2026-11-22T00:00:00Z")), "7 is Sunday too")
    #expect(try CronSchedule("30/1 * * * *").matches(milliseconds: Self.time("2026-11-23T09:45:00Z")))
    let pastTheEnd = ["60/1 * * * *", "* 30/1 * * *", "* * 40/1 * *", "* * * 20/1 *", "* * * * 8/1", "* * 0/1 * *"]
    for bad in ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a * * * *", "5-1 * * * *"] + pastTheEnd {
      #expect(throws: CronError.self, "\(bad)") { try CronSchedule(bad) }
    }
  }

  @Test("a due schedule fires once in its minute and records the retraining webhook's outcome")
  func fires() async throws {
    try await MonitorHarness.with(.sqlite, clock: Self.time("2026-11-23T09:15:20Z")) { h in
      var monitor = MonitorHarness.definition("m")
      // The monitor's own HTTP listener answers 404 for this path: a final failure, recorded.
      let url = "http://127.0.0.1:\(h.httpPort)/retrain"
      monitor.actions = [
        .with {
          $0.retrain = .with {
            $0.url = url
            $0.schedule = "15 9 * * *"
          }
        }
      ]
      _ = try await h.client.createMonitor(.with { $0.monitor = monitor })
      var records: [Mlops_Monitor_V1_Alert] = []
      for _ in 0..<1200 {
        records = try await h.client.listAlerts(.with { $0.monitor = "m" }).alerts
        if records.first?.outcomes.isEmpty == false { break }
        try await Task.sleep(for: .milliseconds(25))
      }
      #expect(records.count == 1, "ticks every 50 ms, one record in the minute")
      let record = try #require(records.first)
      #expect(record.kind == .unspecified && record.state == .resolved && record.message.contains("scheduled retraining"))
      let outcome = try #require(record.outcomes.first)
      #expect(outcome.action == "retrain" && !outcome.succeeded && outcome.attempts == 1 && outcome.detail == "HTTP 404")
    }
  }
}
