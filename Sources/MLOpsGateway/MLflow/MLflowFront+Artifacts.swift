import AsyncAlgorithms
import Foundation
import GRPCCore
import Hummingbird
import MLOpsProto

/// MLflow's proxied artifact API (`/api/2.0/mlflow-artifacts/artifacts/...`) on the tracker's
/// artifact RPCs. Runs read through the REST front carry the artifact URI
/// `mlflow-artifacts:/runs/<run_id>`, so MLflow's client sends `log_artifact` and
/// `download_artifacts` here: `runs/<run_id>/<path>` names a file of that run. Bodies stream
/// both ways; nothing is held whole in memory.
extension MLflowFront {
  static let artifactsPrefix = "/api/2.0/mlflow-artifacts/artifacts"

  struct ArtifactFile: Encodable, Sendable {
    let path: String
    let isDir: Bool
    let fileSize: Int64?
  }
  struct ArtifactListing: Encodable, Sendable { let files: [ArtifactFile] }

  /// The artifact URI of a run as the REST front shows it.
  static func artifactURI(run: String) -> String { "mlflow-artifacts:/runs/\(run)" }

  func addArtifactRoutes(to router: Router<BasicRequestContext>) {
    router.put(RouterPath(Self.artifactsPrefix + "/**")) { request, context in
      let path = context.parameters.getCatchAll().joined(separator: "/")
      return await answering(request, rpc: Tracker.UploadArtifact.descriptor) { call in
        try await upload(request, to: try await resolve(path, call), call)
      } params: {
        MLflowParams(query: [])
      }
    }
    router.get(RouterPath(Self.artifactsPrefix + "/**")) { request, context in
      let path = context.parameters.getCatchAll().joined(separator: "/")
      return await answering(request, rpc: Tracker.DownloadArtifact.descriptor) { call in
        try await download(try await resolve(path, call), call)
      } params: {
        MLflowParams(query: [])
      }
    }
    endpointAt(router, Self.artifactsPrefix, rpc: Tracker.ListArtifacts.descriptor) { call in
      let target = try await resolve(try call.params.string("path"), call, directory: true)
      // A run's logged models keep their files under .models/ in it; MLflow shows them apart.
      // A missing directory lists empty, as MLflow's server answers it (an unknown run stays NOT_FOUND).
      let entries: [Mlops_Tracker_V1_FileInfo]
      do {
        entries = try await list(run: target.run, path: target.path, call).filter { !(target.path.isEmpty && $0.path == ".models") }
      } catch let error as RPCError where error.code == .notFound && error.message.hasPrefix("path:") {
        entries = []
      }
      return ArtifactListing(
        files: entries.map { entry in
          ArtifactFile(
            path: String(entry.path.split(separator: "/").last ?? ""), isDir: entry.isDir,
            fileSize: entry.isDir ? nil : entry.sizeBytes)
        })
    }
  }

  /// A GET endpoint at an absolute path (the artifact listing lives outside ``prefix``).
  private func endpointAt<Output: Encodable & Sendable>(
    _ router: Router<BasicRequestContext>, _ path: String, rpc: MethodDescriptor, _ body: @escaping @Sendable (Call) async throws -> Output
  ) {
    router.get(RouterPath(path)) { request, _ in
      await answering(request, rpc: rpc) { call in
        Self.json(try await body(call), status: .ok)
      } params: {
        try await Self.params(of: request)
      }
    }
  }

  /// `runs/<run_id>[/<path>]` or `models/<model_id>[/<path>]` as a run and a path inside it:
  /// a logged model's files are in its source run, under its artifact path.
  func resolve(_ raw: String, _ call: Call, directory: Bool = false) async throws -> (run: String, path: String) {
    let parts = raw.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    guard parts.first == "models", parts.count >= (directory ? 2 : 3) else { return try Self.artifact(raw, directory: directory) }
    let model = try await trackerClient.getLoggedModel(.with { $0.modelID = parts[1] }, metadata: call.metadata, options: call.options)
      .model
    let rest = parts.dropFirst(2).joined(separator: "/")
    return (model.sourceRunID, rest.isEmpty ? model.artifactPath : model.artifactPath + "/" + rest)
  }

  /// `runs/<run_id>[/<path>]`, percent-decoded, as a run and a path inside it.
  static func artifact(_ raw: String, directory: Bool = false) throws -> (run: String, path: String) {
    let parts = raw.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    guard parts.count >= (directory ? 2 : 3), parts[0] == "runs" else {
      throw MLflowError.invalidParameter(
        "artifact path '\(raw)' is not runs/<run_id>/<path> or models/<model_id>/<path> (an artifact URI this server gave)")
    }
    return (parts[1], parts.dropFirst(2).joined(separator: "/"))
  }

  private func upload(_ request: Request, to target: (run: String, path: String), _ call: Call) async throws -> Response {
    let size = request.headers[.contentLength].flatMap { Int64($0) }
    _ = try await trackerClient.uploadArtifact(metadata: call.metadata, options: call.options) { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.runID = target.run
            $0.path = target.path
            if let size { $0.sizeBytes = size }
          }
        })
      for try await buffer in request.body {
        try await writer.write(.with { $0.chunk = Data(buffer: buffer) })
      }
    }
    return Self.json(MLflowEmpty(), status: .ok)
  }

  /// Finds the file in its directory first (unknown runs and paths answer MLflow's 404 before
  /// any byte is sent), then streams it with its length.
  private func download(_ target: (run: String, path: String), _ call: Call) async throws -> Response {
    let directory = (target.path as NSString).deletingLastPathComponent
    guard let entry = try await list(run: target.run, path: directory, call).first(where: { $0.path == target.path }), !entry.isDir else {
      throw MLflowError("RESOURCE_DOES_NOT_EXIST", "run \(target.run) has no artifact file '\(target.path)'", status: 404)
    }
    let client = trackerClient
    let body = ResponseBody { writer in
      // The gRPC stream is read in its own task and handed over through a channel whose
      // `send` waits for the HTTP side: a slow client slows the download, memory stays flat.
      let chunks = AsyncThrowingChannel<ByteBuffer, any Error>()
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          do {
            try await client.downloadArtifact(
              request: .init(
                message: .with {
                  $0.runID = target.run
                  $0.path = target.path
                }, metadata: call.metadata), options: call.options
            ) { response in
              for try await message in response.messages {
                if case .chunk(let bytes)? = message.part { await chunks.send(ByteBuffer(bytes: bytes)) }
              }
            }
            chunks.finish()
          } catch {
            chunks.fail(error)
          }
        }
        for try await buffer in chunks { try await writer.write(buffer) }
        try await group.waitForAll()
      }
      try await writer.finish(nil)
    }
    return Response(
      status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: "\(entry.sizeBytes)"], body: body)
  }

  /// Every entry of one directory of a run, following page tokens.
  private func list(run: String, path: String, _ call: Call) async throws -> [Mlops_Tracker_V1_FileInfo] {
    var entries: [Mlops_Tracker_V1_FileInfo] = []
    var token = ""
    repeat {
      let page = try await trackerClient.listArtifacts(
        .with {
          $0.runID = run
          $0.path = path
          $0.pageToken = token
        }, metadata: call.metadata, options: call.options)
      entries += page.files
      token = page.nextPageToken
    } while !token.isEmpty
    return entries
  }
}
