/// What flows along a graph edge: a tensor, or the sequence of class → probability maps
/// that ZipMap produces at the end of scikit-learn classifier exports.
public enum Value: Sendable, Equatable {
  case tensor(Tensor)
  case maps(ClassProbabilityMaps)

  /// The tensor, or nil for a map sequence.
  public var tensor: Tensor? {
    if case .tensor(let t) = self { return t }
    return nil
  }
}

/// One map per row from class label to probability, stored densely: every row has the same keys.
public struct ClassProbabilityMaps: Sendable, Equatable {
  /// Class labels, the keys of every row's map.
  public enum Labels: Sendable, Equatable {
    case int64([Int64])
    case string([String])

    /// Number of classes.
    public var count: Int {
      switch self {
      case .int64(let v): v.count
      case .string(let v): v.count
      }
    }

    /// The label at `index` as text, as JSON object keys need it.
    public func text(at index: Int) -> String {
      switch self {
      case .int64(let v): String(v[index])
      case .string(let v): v[index]
      }
    }
  }

  public var labels: Labels
  /// Row-major probabilities: `rows × labels.count`.
  public var probabilities: [Float]

  public init(labels: Labels, probabilities: [Float]) {
    self.labels = labels
    self.probabilities = probabilities
  }

  /// Number of rows (maps).
  public var rowCount: Int { labels.count == 0 ? 0 : probabilities.count / labels.count }
}
