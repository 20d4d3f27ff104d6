extension Double {
  /// The nearest Int64: beyond either end it is that end, NaN is 0. Swift traps when an
  /// out-of-range Double converts with `Int64(_:)`, and filters (`start_time > 1e20`) and
  /// stored cells can carry any Double a client sent; clamped, a comparison with a stored
  /// time (always far inside) keeps its meaning.
  public var clampedInt64: Int64 {
    guard !isNaN else { return 0 }
    if self >= 9_223_372_036_854_775_807.0 { return .max }
    if self <= -9_223_372_036_854_775_808.0 { return .min }
    return Int64(self)
  }
}
