extension Duration {
  /// This duration in milliseconds, with the fraction: how latencies are reported and judged.
  public var milliseconds: Double {
    Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
  }
}
