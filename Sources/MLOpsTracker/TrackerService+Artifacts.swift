import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// The artifact RPCs: a client-streamed upload (header, then chunks), a paged listing, and a
/// server-streamed download (FileInfo, then chunks).
extension TrackerService {
  static let artifactMethods: [MethodDescriptor] = [
    Methods.UploadArtifact.descriptor, Methods.ListArtifacts.descriptor, Methods.DownloadArtifact.descriptor,
  ]

  /// Bytes per DownloadArtifact message: large enough that framing costs nothing, well under
  /// gRPC's default 4 MiB message limit.
  static let downloadChunkSize = 1 << 20

  func registerArtifactMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let artifacts = self.artifacts
    router.registerClientStreaming(Methods.UploadArtifact.self) {
      (messages: RPCAsyncSequence<Mlops_Tracker_V1_UploadArtifactRequest, any Error>, _, _) in
      let (header, chunks) = try await UploadStream.open(messages) { (message: Mlops_Tracker_V1_UploadArtifactRequest) in
        switch message.part {
        case .header(let header): UploadStream.Part.header(header)
        case .chunk(let data): .chunk(data)
        case nil: .empty
        }
      }
      let upload = ArtifactUpload(
        runID: header.runID, path: header.path, expectedSHA256: header.expectedSha256, declaredSize: header.sizeBytes)
      let entry = try await artifacts.upload(upload, chunks: chunks)
      return Mlops_Tracker_V1_UploadArtifactResponse.with { $0.file = .init(entry) }
    }
    router.registerUnary(Methods.ListArtifacts.self) { (r: Mlops_Tracker_V1_ListArtifactsRequest, _) in
      let page = try await artifacts.list(runID: r.runID, path: r.path, pageToken: r.pageToken)
      return Mlops_Tracker_V1_ListArtifactsResponse.with {
        $0.rootUri = page.root
        $0.files = page.entries.map(Mlops_Tracker_V1_FileInfo.init)
        $0.nextPageToken = page.next
      }
    }
    router.registerServerStreaming(Methods.DownloadArtifact.self) {
      (r: Mlops_Tracker_V1_DownloadArtifactRequest, writer: RPCWriter<Mlops_Tracker_V1_DownloadArtifactResponse>, _) in
      let (entry, blob) = try await artifacts.download(runID: r.runID, path: r.path)
      try await writer.write(.with { $0.info = .init(entry) })
      for try await chunk in blob.chunks(of: Self.downloadChunkSize) {
        try await writer.write(.with { $0.chunk = chunk })
      }
    }
  }
}

extension Mlops_Tracker_V1_FileInfo {
  init(_ entry: ArtifactEntry) {
    self.init()
    path = entry.path
    isDir = entry.isDirectory
    sizeBytes = entry.size
    sha256 = entry.sha256
  }
}
