#if !FUZZING
  import Foundation

  /// Without libFuzzer (a normal build): runs every file of the committed corpus through its
  /// target, so `make test` replays every input the fuzzer kept — a crash found once stays
  /// found. `mlops-fuzz DIR` (default `fuzz/corpus`) expects one subdirectory per target.
  @main
  struct Replay {
    static func main() throws {
      let root = CommandLine.arguments.dropFirst().first ?? "fuzz/corpus"
      var total = 0
      for target in FuzzTarget.allCases {
        let directory = URL(fileURLWithPath: root).appendingPathComponent(target.rawValue)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard !files.isEmpty else {
          FileHandle.standardError.write(Data("no corpus for \(target.rawValue) in \(directory.path)\n".utf8))
          exit(1)
        }
        for file in files.sorted() {
          target.run(try Data(contentsOf: directory.appendingPathComponent(file)))
        }
        print("\(target.rawValue): \(files.count) inputs replayed")
        total += files.count
      }
      print("\(total) inputs, no crash")
    }
  }
#endif
