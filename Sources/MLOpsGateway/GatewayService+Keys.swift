import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// API keys on the wire.
extension GatewayService {
  func registerKeyMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    guard let keys else {
      UnimplementedService(
        methods: [Methods.CreateApiKey.descriptor, Methods.RevokeApiKey.descriptor, Methods.ListApiKeys.descriptor],
        capability: "API keys (this gateway runs with --auth=off)"
      ).registerMethods(with: &router)
      return
    }
    router.registerUnaryWithMetadata(Methods.CreateApiKey.self) { (r: Mlops_Gateway_V1_CreateApiKeyRequest, metadata, _) in
      let role = try Self.role(r.role, field: "role")
      let actor = metadata.actor
      let (key, token) = try await keys.create(name: r.name, role: role, createdBy: actor)
      return Mlops_Gateway_V1_CreateApiKeyResponse.with {
        $0.apiKey = .init(key)
        $0.secret = token
      }
    }
    router.registerUnary(Methods.RevokeApiKey.self) { (r: Mlops_Gateway_V1_RevokeApiKeyRequest, _) in
      try await keys.revoke(r.keyID)
      return Mlops_Gateway_V1_RevokeApiKeyResponse()
    }
    router.registerUnary(Methods.ListApiKeys.self) { (r: Mlops_Gateway_V1_ListApiKeysRequest, _) in
      let all = try await keys.list(includeRevoked: r.includeRevoked)
      let limit = r.page.pageSize <= 0 ? 100 : min(Int(r.page.pageSize), 1000)
      let after = all.filter { $0.keyID > r.page.pageToken }
      let page = Array(after.prefix(limit))
      return Mlops_Gateway_V1_ListApiKeysResponse.with {
        $0.apiKeys = page.map(Mlops_Gateway_V1_ApiKey.init)
        $0.nextPageToken = after.count > limit ? page.last?.keyID ?? "" : ""
      }
    }
  }

  static func role(_ p: Mlops_Gateway_V1_Role, field: String) throws -> Role {
    switch p {
    case .viewer: .viewer
    case .editor: .editor
    case .deployer: .deployer
    case .admin: .admin
    default: throw GatewayError.invalidArgument(field: field, reason: "must be ROLE_VIEWER, ROLE_EDITOR, ROLE_DEPLOYER or ROLE_ADMIN")
    }
  }
}

extension Mlops_Gateway_V1_ApiKey {
  /// A key as listed: never its secret or its hash.
  init(_ key: ApiKey) {
    self.init()
    keyID = key.keyID
    name = key.name
    role = [.viewer: .viewer, .editor: .editor, .deployer: .deployer, .admin: .admin][key.role] ?? .unspecified
    createdTime = Google_Protobuf_Timestamp(milliseconds: key.createdTime)
    createdBy = key.createdBy
    revoked = key.revoked
    if let time = key.revokedTime { revokedTime = Google_Protobuf_Timestamp(milliseconds: time) }
    if let time = key.lastUsedTime { lastUsedTime = Google_Protobuf_Timestamp(milliseconds: time) }
  }
}
