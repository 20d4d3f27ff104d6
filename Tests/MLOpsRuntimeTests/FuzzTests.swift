import Foundation
import Testing

@testable import MLOpsRuntime

/// Mutated model bytes never crash the loader or a prediction: every outcome is a model or a
/// `ModelError`. A crash here takes the whole test process down, which fails the run.
@Suite("Fuzzed models fail cleanly")
struct FuzzTests {
  /// SplitMix64: deterministic, so a failure reproduces.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Set MLOPS_FUZZ_ITERATIONS for a longer local run; CI uses the default.
  static let seeds = [
    "logreg_binary", "decision_tree_classifier", "mlp_classifier", "column_transformer_pipeline",
    "lightgbm_classifier", "op_tree_ensemble_opset5", "op_slice", "label_encoder",
  ]

  @Test("mutated bytes load or fail with a ModelError, and loaded models run or fail cleanly", arguments: seeds)
  func mutations(seed name: String) throws {
    let fixture = try Fixture.load(name)
    var rng = Generator(state: name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
    var loaded = 0
    let iterations = ProcessInfo.processInfo.environment["MLOPS_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1000
    for _ in 0..<iterations {
      let bytes = mutate(fixture.model, &rng)
      do {
        let model = try Model(bytes: bytes)
        loaded += 1
        _ = try? model.run(fixture.inputs)
      } catch is ModelError {
        continue
      }
    }
    #expect(loaded < iterations, "some mutations must be refused")
  }

  private func mutate(_ original: Data, _ rng: inout Generator) -> Data {
    var bytes = [UInt8](original)
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      guard !bytes.isEmpty else { break }
      let at = Int.random(in: 0..<bytes.count, using: &rng)
      switch Int.random(in: 0..<5, using: &rng) {
      case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
      case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
      case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
      case 3: bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
      default: bytes = Array(bytes[..<at])
      }
    }
    return Data(bytes)
  }
}
