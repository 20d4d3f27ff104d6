import GRPCCore
import Testing

/// Expects the call to fail with `code` and a message containing `text`.
public func expectStatus(_ code: RPCError.Code, naming text: String, _ call: () async throws -> Void) async {
  do {
    try await call()
    Issue.record("expected \(code), the call succeeded")
  } catch let error as RPCError {
    #expect(error.code == code, "\(error)")
    #expect(error.message.contains(text), "'\(error.message)' should name \(text)")
  } catch {
    Issue.record("expected RPCError, got \(error)")
  }
}
