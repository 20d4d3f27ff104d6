import Foundation
import MLOpsCore
import MLOpsTestSupport
import Testing

@testable import MLOpsGateway

@Suite("The key ring's reloads")
struct KeyRingTests {
  /// A store, a ring over it and the key manager that writes both, on SQLite and PostgreSQL.
  func withRing(_ backend: TestBackend, _ body: (ApiKeyStore, KeyRing, KeyManager) async throws -> Void) async throws {
    try await backend.withStorage(migrations: GatewaySchema.migrations) { storage in
      let store = ApiKeyStore(executor: storage.executor)
      let ring = KeyRing(store: store)
      try await body(store, ring, KeyManager(store: store, ring: ring))
    }
  }

  @Test("a reload that read storage before a key was created here does not forget the key", arguments: TestBackend.available)
  func creationSurvivesAStaleReload(backend: TestBackend) async throws {
    try await withRing(backend) { store, ring, keys in
      let start = ring.changeNumber
      let before = try await store.all()  // a reload's read, just before the key exists
      let (_, token) = try await keys.create(name: "fresh", role: .viewer, createdBy: "admin")
      ring.apply(before, readSince: start)  // that reload lands after the creation
      #expect(try ring.verify(token).name == "fresh")
      try await ring.refresh()  // a reload that began after it sees the key in storage
      #expect(try ring.verify(token).name == "fresh")
    }
  }

  @Test("a reload that read storage before a key was revoked here does not bring the key back", arguments: TestBackend.available)
  func revocationSurvivesAStaleReload(backend: TestBackend) async throws {
    try await withRing(backend) { store, ring, keys in
      let (key, token) = try await keys.create(name: "leaving", role: .viewer, createdBy: "admin")
      try await ring.refresh()
      let start = ring.changeNumber
      let before = try await store.all()  // the key still live in this read
      try await keys.revoke(key.keyID)
      ring.apply(before, readSince: start)
      #expect(throws: GatewayError.self) { try ring.verify(token) }
      try await ring.refresh()
      #expect(throws: GatewayError.self) { try ring.verify(token) }
    }
  }
}
