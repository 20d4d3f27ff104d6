import Foundation

/// Experiment search and changes, with MLflow's rules.
extension TrackerEngine {
  public func searchExperiments(
    filter: String, orderBy: [String], view: RunSearch.View, maxResults: Int, pageToken: String
  ) async throws -> (experiments: [Experiment], nextPageToken: String) {
    guard maxResults >= 0, maxResults <= Self.maxSearchResults else {
      throw TrackerError.invalidArgument(field: "max_results", reason: "must be between 1 and \(Self.maxSearchResults)")
    }
    let limit = maxResults == 0 ? Self.defaultSearchResults : maxResults
    let comparisons = try ExperimentSearch.parseFilter(filter)
    let order = try ExperimentSearch.parseOrder(orderBy)
    let fingerprint = Self.fingerprint("experiments|" + filter + "|" + orderBy.joined(separator: ",") + "|\(view)")
    let after = pageToken.isEmpty ? nil : try RunSearch.values(fromToken: pageToken, fingerprint: fingerprint)
    let hits = try await experiments.search(
      ExperimentSearch(comparisons: comparisons, order: order, view: view, limit: limit + 1, after: after))
    let page = Array(hits.prefix(limit))
    let next = hits.count > limit ? page.last.map { RunSearch.token($0.sortValues, fingerprint: fingerprint) } ?? "" : ""
    return (page.map(\.experiment), next)
  }

  public func updateExperiment(id: String, newName: String, description: String?) async throws -> Experiment {
    let experiment = try await experiment(id: id)
    let name = newName.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty || description != nil else {
      throw TrackerError.invalidArgument(field: "new_name", reason: "is empty and there is no description to change")
    }
    guard name.count <= Limits.experimentName else {
      throw TrackerError.invalidArgument(field: "new_name", reason: "is \(name.count) characters, at most \(Limits.experimentName) allowed")
    }
    return try await experiments.update(id: experiment.id, name: name.isEmpty ? nil : name, description: description, time: clock())
  }

  public func deleteExperiment(id: String) async throws {
    let experiment = try await experiment(id: id)
    try await experiments.setLifecycle(id: experiment.id, .deleted, time: clock())
  }

  public func restoreExperiment(id: String) async throws {
    let experiment = try await experiment(id: id)
    try await experiments.setLifecycle(id: experiment.id, .active, time: clock())
  }

  public func setExperimentTag(id: String, key: String, value: String) async throws {
    let experiment = try await experiment(id: id)
    let tags = try Self.validateTags([(key, value)], field: "tag")
    try await experiments.setTag(id: experiment.id, key: key, value: tags[key] ?? value, time: clock())
  }
}
