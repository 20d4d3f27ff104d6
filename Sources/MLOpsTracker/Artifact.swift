import MLOpsCore

/// A file or directory among a run's artifacts, as ListArtifacts shows it.
public struct ArtifactEntry: Sendable, Equatable {
  /// Relative to the run's artifact root, "/"-separated.
  public var path: String
  public var isDirectory: Bool
  /// Zero for directories.
  public var size: Int64
  /// Lowercase hex; empty for directories.
  public var sha256: String

  public init(path: String, isDirectory: Bool, size: Int64, sha256: String) {
    self.path = path
    self.isDirectory = isDirectory
    self.size = size
    self.sha256 = sha256
  }
}

/// A validated artifact path: relative, "/"-separated, without `.`/`..` or empty components.
/// Artifact paths are names in the index, never filesystem paths (bytes live in a
/// content-addressed ``BlobStore``), and this check also keeps them safe for clients that
/// download them into a local directory.
public struct ArtifactPath: Sendable, Equatable {
  public static let maxLength = 1024
  public static let maxComponent = 255

  public let components: [Substring]
  public var text: String { components.joined(separator: "/") }
  /// The directory holding it, "" at the root.
  public var parent: String { components.dropLast().joined(separator: "/") }
  public var name: String { String(components.last ?? "") }
  /// Every enclosing directory, outermost first: "a/b/c" → ["a", "a/b"].
  public var ancestors: [String] {
    (1..<max(components.count, 1)).map { components.prefix($0).joined(separator: "/") }
  }

  /// - Throws: `invalidArgument` naming `field` and what is wrong with the path.
  public init(_ raw: String, field: String) throws {
    func refuse(_ reason: String) -> TrackerError { .invalidArgument(field: field, reason: reason) }
    guard !raw.isEmpty else { throw refuse("must not be empty") }
    guard raw.utf8.count <= Self.maxLength else { throw refuse("is longer than \(Self.maxLength) bytes") }
    guard !raw.hasPrefix("/") else { throw refuse("'\(raw)' is absolute; artifact paths are relative to the run's root") }
    guard !raw.contains("\\") else { throw refuse("'\(raw)' contains '\\'; use '/' to separate directories") }
    guard !raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      throw refuse("contains a control character")
    }
    let components = raw.split(separator: "/", omittingEmptySubsequences: false)
    for component in components {
      if component.isEmpty { throw refuse("'\(raw)' has an empty component ('//' or a trailing '/')") }
      if component == "." || component == ".." {
        throw refuse("'\(raw)' contains '\(component)'; paths may not leave or re-enter a directory")
      }
      if component.utf8.count > Self.maxComponent { throw refuse("a component is longer than \(Self.maxComponent) bytes") }
    }
    self.components = components
  }
}

/// Where an upload goes and what the client promises about it.
public struct ArtifactUpload: Sendable {
  public var runID: String
  public var path: String
  /// Empty when the client did not send one.
  public var expectedSHA256: String
  /// Zero when the client did not declare a size.
  public var declaredSize: Int64

  public init(runID: String, path: String, expectedSHA256: String = "", declaredSize: Int64 = 0) {
    self.runID = runID
    self.path = path
    self.expectedSHA256 = expectedSHA256
    self.declaredSize = declaredSize
  }
}
