import MLOpsTracker
import Testing

/// A run's params, tags and metrics answer in key order whatever order storage delivered them
/// in (PostgreSQL's rows come unordered), and read like the dictionaries they replaced.
@Suite("Keyed values")
struct KeyedValuesTests {
  @Test("keep keys unique and in order however they are set")
  func order() {
    var values = KeyedValues<String>()
    for key in ["m", "b", "z", "a", "é", "B", "m"] { values[key] = key.uppercased() }
    #expect(values.keys == ["B", "a", "b", "m", "z", "é"])
    #expect(values["m"] == "M" && values["missing"] == nil)
    values["b"] = "again"
    values["a"] = nil
    values["absent"] = nil
    #expect(values.keys == ["B", "b", "m", "z", "é"] && values["b"] == "again" && values.count == 5)
  }

  @Test("equal the dictionary literal with the same entries, whatever its order")
  func equality() {
    var built = KeyedValues<String>()
    built["y"] = "2"
    built["x"] = "1"
    #expect(built == ["x": "1", "y": "2"])
    #expect(built != ["x": "1", "y": "3"])
    #expect(built != ["x": "1"])
    #expect(KeyedValues(["y": "2", "x": "1"]) == built)
  }
}
