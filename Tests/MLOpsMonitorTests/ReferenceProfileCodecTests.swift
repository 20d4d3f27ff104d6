import Foundation
import Testing

@testable import MLOpsMonitor

/// Stored reference profiles: the binary form round-trips, the JSON form earlier versions
/// stored still loads, and damaged bytes are DATA_LOSS, never a wrong profile or a crash.
@Suite("Stored reference profiles")
struct ReferenceProfileCodecTests {
  static let profile = ReferenceProfile(
    rows: 5,
    columns: [
      "x": .numeric(values: [-1.5, 0, 0, 2.25, 7], count: 5),
      "color": .categorical(counts: ["red": 3, "blue": 2, "": 0]),
      "empty": .numeric(values: [], count: 0),
    ])

  @Test("a profile reads back exactly as it was stored")
  func roundTrip() throws {
    let decoded = try ReferenceProfile.decode(Self.profile.encoded())
    #expect(decoded == Self.profile)
    #expect(decoded.standardDeviations["x"] == Self.profile.standardDeviations["x"] && decoded.standardDeviations["x"] != nil)
  }

  @Test("a profile stored as JSON by an earlier version still loads")
  func legacyJSON() throws {
    let doubles: [Double] = [-1.5, 0, 0, 2.25, 7]
    let base64 = doubles.withUnsafeBytes { Data($0) }.base64EncodedString()
    let json = """
      {"rows": 5, "columns": {"x": {"numeric": {"values": "\(base64)", "count": 5}},
       "color": {"categorical": {"counts": {"red": 3, "blue": 2, "": 0}}}, "empty": {"numeric": {"values": "", "count": 0}}}}
      """
    #expect(try ReferenceProfile.decode(Data(json.utf8)) == Self.profile)
  }

  @Test("every truncation and a foreign header are refused as data loss")
  func damaged() throws {
    let bytes = Self.profile.encoded()
    for length in 0..<bytes.count {
      #expect(throws: MonitorError.self, "\(length) of \(bytes.count) bytes") { try ReferenceProfile.decode(bytes.prefix(length)) }
    }
    var foreign = bytes
    foreign[0] = UInt8(ascii: "X")
    #expect(throws: MonitorError.dataLoss("a stored reference profile is unreadable")) { try ReferenceProfile.decode(foreign) }
  }
}
