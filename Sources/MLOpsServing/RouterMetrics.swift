import Prometheus

/// The router's figures on `/metrics`: predictions and failures per deployment and variant,
/// and how long model loads take.
public struct RouterMetrics: Sendable {
  let registry: PrometheusCollectorRegistry?
  let loadSeconds: DurationHistogram?

  public init(registry: PrometheusCollectorRegistry?) {
    self.registry = registry
    self.loadSeconds = registry?.makeDurationHistogram(
      name: "mlops_router_model_load_seconds", labels: [],
      buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30)],
      help: "Time to resolve, fetch (or read from the disk cache) and load one variant's model.")
  }

  /// Counts one prediction call of a variant, and whether its model failed it.
  func served(deployment: String, variant: String, failed: Bool) {
    guard let registry else { return }
    let labels = [("deployment", deployment), ("variant", variant)]
    registry.makeCounter(
      name: "mlops_router_predictions_total", labels: labels, help: "Prediction calls answered by each deployment's variant."
    ).increment()
    if failed {
      registry.makeCounter(
        name: "mlops_router_prediction_failures_total", labels: labels, help: "Prediction calls a variant's model failed."
      ).increment()
    }
  }

  /// Counts records handed to the monitor.
  func monitorSent(_ count: Int) {
    registry?.makeCounter(
      name: "mlops_router_monitor_records_sent_total", labels: [], help: "Sampled predictions the monitor accepted."
    ).increment(by: Int64(count))
  }

  /// Counts records dropped on the way to the monitor, by why (queue_full, monitor_failed).
  func monitorDropped(_ count: Int, reason: String) {
    registry?.makeCounter(
      name: "mlops_router_monitor_records_dropped_total", labels: [("reason", reason)],
      help: "Sampled predictions dropped instead of delaying predictions: the queue was full or the monitor failed the batch."
    ).increment(by: Int64(count))
  }

  func loaded(seconds: Duration) {
    loadSeconds?.record(seconds)
  }
}
