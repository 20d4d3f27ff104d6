import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// The artifact calls behind `mlops artifacts`: streamed uploads that promise their digest,
/// paged listings, and downloads written beside their target and renamed only once the
/// bytes match the server's FileInfo.
enum ArtifactTransfer {
  static let chunkSize = 1 << 20

  static func upload(_ local: String, to remote: String, run: String, _ tracker: TrackerCall.Client) async throws
    -> Mlops_Tracker_V1_FileInfo
  {
    let (digest, size) = try SHA256Stream.file(atPath: local)
    return try await tracker.uploadArtifact { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.runID = run
            $0.path = remote
            $0.expectedSha256 = digest
            $0.sizeBytes = size
          }
        })
      guard let handle = FileHandle(forReadingAtPath: local) else { throw StartupError("cannot read \(local)") }
      defer { try? handle.close() }
      while let piece = try handle.read(upToCount: chunkSize), !piece.isEmpty {
        try await writer.write(.with { $0.chunk = piece })
      }
    }.file
  }

  /// Every entry of one directory, following page tokens.
  static func list(run: String, path: String, _ tracker: TrackerCall.Client) async throws -> [Mlops_Tracker_V1_FileInfo] {
    var entries: [Mlops_Tracker_V1_FileInfo] = []
    var token = ""
    repeat {
      let page = try await tracker.listArtifacts(
        .with {
          $0.runID = run
          $0.path = path
          $0.pageToken = token
        })
      entries += page.files
      token = page.nextPageToken
    } while !token.isEmpty
    return entries
  }

  /// Downloads `path` (a file, or a directory recursively) to `directory/<path>`; returns the
  /// local files written.
  static func download(run: String, path: String, into directory: String, _ tracker: TrackerCall.Client) async throws -> [String] {
    var written: [String] = []
    var pending = [path]
    while let next = pending.popLast() {
      for entry in try await list(run: run, path: next, tracker) {
        if entry.isDir {
          pending.append(entry.path)
        } else {
          written.append(try await downloadFile(run: run, entry: entry, into: directory, tracker))
        }
      }
    }
    return written.sorted()
  }

  static func downloadFile(
    run: String, entry: Mlops_Tracker_V1_FileInfo, into directory: String, _ tracker: TrackerCall.Client
  ) async throws -> String {
    let components = entry.path.split(separator: "/")
    guard !entry.path.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0 == "." }) else {
      throw StartupError("refusing to write '\(entry.path)': it would leave \(directory)")
    }
    let file = try VerifiedDownload(target: (directory as NSString).appendingPathComponent(entry.path))
    try await tracker.downloadArtifact(
      request: .init(
        message: .with {
          $0.runID = run
          $0.path = entry.path
        })
    ) { response in
      for try await message in response.messages {
        if case .chunk(let bytes)? = message.part { try file.write(bytes) }
      }
    }
    return try file.finish(expectedSHA256: entry.sha256, expectedSize: entry.sizeBytes)
  }
}

/// Which local files an upload sends, and where each goes in the run.
enum LocalTree {
  /// A single file goes to `destination` (default: its name); a directory's regular files go
  /// to `destination/<relative path>`. A symbolic link resolving outside the directory stops
  /// the upload before anything is sent.
  static func files(for local: String, destination: String?) throws -> [(local: String, remote: String)] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory) else {
      throw StartupError("\(local) does not exist")
    }
    guard isDirectory.boolValue else {
      return [(local, destination ?? (local as NSString).lastPathComponent)]
    }
    let root = URL(fileURLWithPath: local).resolvingSymlinksInPath().path
    let prefix = destination.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
    var files: [(String, String)] = []
    for relative in (try FileManager.default.subpathsOfDirectory(atPath: local)).sorted() {
      let full = (local as NSString).appendingPathComponent(relative)
      let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
      guard resolved == root || resolved.hasPrefix(root + "/") else {
        throw StartupError("\(full) is a symbolic link to \(resolved), outside \(local); nothing was uploaded")
      }
      var nested: ObjCBool = false
      if FileManager.default.fileExists(atPath: resolved, isDirectory: &nested), !nested.boolValue {
        files.append((full, prefix + relative))
      }
    }
    return files
  }
}
