import GRPCCore
import SwiftProtobuf

/// A generated method namespace (`Mlops_Tracker_V1_TrackerService.Method.GetRun`): the RPC's
/// request and response types and its descriptor. Handlers are registered by the namespace
/// (``RPCRouter/registerUnary(_:_:)``), so the compiler checks each handler's types against
/// the `.proto`; `make proto` declares every RPC one (`RPCMethod+Generated.swift`).
public protocol RPCMethod {
  associatedtype Input: SwiftProtobuf.Message
  associatedtype Output: SwiftProtobuf.Message
  static var descriptor: MethodDescriptor { get }
}
