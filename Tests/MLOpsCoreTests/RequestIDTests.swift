import MLOpsCore
import Testing

@Suite("Request ids")
struct RequestIDTests {
  @Test("a request id is a lower-case version-4 UUID, and 10,000 of them are distinct")
  func shape() {
    var seen = Set<String>()
    for _ in 0..<10_000 {
      let id = RequestID.make()
      let characters = Array(id)
      #expect(id.count == 36 && [8, 13, 18, 23].allSatisfy { characters[$0] == "-" }, "\(id)")
      #expect(characters[14] == "4" && "89ab".contains(characters[19]), "\(id)")
      #expect(id.allSatisfy { "0123456789abcdef-".contains($0) }, "\(id)")
      seen.insert(id)
    }
    #expect(seen.count == 10_000)
  }
}
