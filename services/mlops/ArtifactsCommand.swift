import ArgumentParser
import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// `mlops artifacts upload|ls|download`: a run's files, with digests checked end to end.
struct ArtifactsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "artifacts", abstract: "Upload, list and download a run's artifacts.",
    subcommands: [Upload.self, List.self, Download.self])

  struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Upload a file, or every file under a directory, to a run.",
      discussion: "Symbolic links that point outside the directory are refused before anything is sent.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Argument(help: "Local file or directory.") var local: String
    @Option(help: "Destination inside the run (default: the file's name, or the root for a directory).") var path: String?

    func run() async throws {
      let files = try LocalTree.files(for: local, destination: path)
      try await TrackerCall.run(endpoint) { tracker in
        for file in files {
          let stored = try await ArtifactTransfer.upload(file.local, to: file.remote, run: run, tracker)
          print("\(stored.path)  \(stored.sizeBytes) bytes  sha256:\(stored.sha256)")
        }
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List one directory of a run's artifacts.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Argument(help: "Directory (default: the root).") var path: String = ""

    func run() async throws {
      let entries = try await TrackerCall.run(endpoint) { tracker in try await ArtifactTransfer.list(run: run, path: path, tracker) }
      for entry in entries {
        if entry.isDir {
          print(EndpointTable.pad(entry.path + "/", 48))
        } else {
          print(EndpointTable.pad(entry.path, 48) + EndpointTable.pad("\(entry.sizeBytes)", 14) + "sha256:\(entry.sha256)")
        }
      }
    }
  }

  struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Download a file or a directory (recursively) to DEST/PATH, checking every digest.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Argument(help: "Artifact file or directory.") var path: String
    @Option(help: "Local directory to download into.") var dest: String = "."

    func run() async throws {
      try await TrackerCall.run(endpoint) { tracker in
        let written = try await ArtifactTransfer.download(run: run, path: path, into: dest, tracker)
        for file in written { print(file) }
      }
    }
  }
}
