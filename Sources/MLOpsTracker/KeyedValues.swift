/// Values by key, kept in key order: a run's params, tags and latest metrics. Responses list
/// them in key order and storage returns them in key order, so an array that is appended to in
/// order and binary-searched by key serves both without hashing every key of every run a search
/// returns (hashing into per-run dictionaries, then sorting them for the answer, cost 7% of a
/// 500-run SearchRuns, by `scripts/ab-search-runs.sh`).
public struct KeyedValues<Value: Sendable>: Sendable {
  /// The entries in ascending key order (Swift's `String` order), keys unique.
  public private(set) var entries: [(key: String, value: Value)] = []

  public init() {}

  public init(_ dictionary: [String: Value]) {
    entries = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
  }

  public var count: Int { entries.count }
  public var isEmpty: Bool { entries.isEmpty }
  public var keys: [String] { entries.map(\.key) }

  /// The value of `key`; setting nil removes it. Setting keys in ascending order appends.
  public subscript(key: String) -> Value? {
    get {
      let (index, found) = position(of: key)
      return found ? entries[index].value : nil
    }
    set {
      if let newValue, entries.last.map({ $0.key < key }) ?? true {
        entries.append((key: key, value: newValue))
        return
      }
      let (index, found) = position(of: key)
      switch (newValue, found) {
      case (let value?, true): entries[index].value = value
      case (let value?, false): entries.insert((key: key, value: value), at: index)
      case (nil, true): entries.remove(at: index)
      case (nil, false): break
      }
    }
  }

  /// Where `key` is, or where it would be inserted.
  private func position(of key: String) -> (index: Int, found: Bool) {
    var low = 0
    var high = entries.count
    while low < high {
      let middle = (low + high) / 2
      if entries[middle].key < key { low = middle + 1 } else { high = middle }
    }
    return (low, low < entries.count && entries[low].key == key)
  }
}

extension KeyedValues: Sequence {
  public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
    entries.makeIterator()
  }
}

extension KeyedValues: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, Value)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension KeyedValues: Equatable where Value: Equatable {
  public static func == (a: KeyedValues, b: KeyedValues) -> Bool {
    a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}
