/// MLflow's tag limits, checked one way by every service that stores tags (the tracker's
/// experiments, runs and dataset inputs; the registry's models and versions): a key of 1 to
/// 250 characters, a value of at most 5,000; a repeated key keeps its last value.
public enum TagRules {
  public static let keyLimit = 250
  public static let valueLimit = 5000

  /// The first rule a tag breaks, as the part of the field it concerns (`key` or `value`)
  /// and why; nil when it follows them all.
  public static func violation(key: String, value: String) -> (part: String, reason: String)? {
    if key.isEmpty { return ("key", "must not be empty") }
    if key.count > keyLimit { return ("key", "is longer than \(keyLimit) characters") }
    if value.count > valueLimit { return ("value", "is longer than \(valueLimit) characters") }
    return nil
  }

  /// Checks every tag, and their number when `maxCount` is given; the first violation is
  /// thrown as `refuse(field, reason)`, naming `field` or `field[i].key` / `field[i].value`.
  public static func validate(
    _ tags: [(String, String)], field: String, maxCount: Int? = nil, refuse: (String, String) -> any Error
  ) throws -> [String: String] {
    if let maxCount, tags.count > maxCount {
      throw refuse(field, "\(tags.count) tags, at most \(maxCount) allowed")
    }
    var result: [String: String] = [:]
    for (index, (key, value)) in tags.enumerated() {
      if let broken = violation(key: key, value: value) { throw refuse("\(field)[\(index)].\(broken.part)", broken.reason) }
      result[key] = value
    }
    return result
  }
}
