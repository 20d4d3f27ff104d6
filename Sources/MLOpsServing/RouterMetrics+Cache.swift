import Prometheus

extension RouterMetrics {
  /// One deployment's response-cache counters, made once when its cache is (not per call).
  struct CacheCounters: Sendable {
    let hits: CacheCounter
    let misses: CacheCounter
    let evictions: CacheCounter
  }

  /// A counter that does nothing when the router runs without `/metrics` (tests).
  struct CacheCounter: Sendable {
    let counter: Counter?
    func increment() { counter?.increment() }
  }

  /// The counters of `deployment`'s cache: `mlops_router_cache_{hits,misses,evictions}_total`.
  func cacheCounters(deployment: String) -> CacheCounters {
    func make(_ what: String, _ help: String) -> CacheCounter {
      CacheCounter(
        counter: registry?.makeCounter(name: "mlops_router_cache_\(what)_total", labels: [("deployment", deployment)], help: help))
    }
    return CacheCounters(
      hits: make("hits", "Predictions answered from the deployment's response cache."),
      misses: make("misses", "Predictions the response cache did not hold (the model ran)."),
      evictions: make("evictions", "Cached answers dropped, least recently used first, to make room."))
  }
}
