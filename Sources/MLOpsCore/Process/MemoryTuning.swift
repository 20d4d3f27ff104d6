#if canImport(Glibc)
  import Glibc
#endif

/// glibc's allocator settings for a long-lived server. By default glibc serves blocks over
/// 128 KiB with fresh `mmap`s and hands a thread arena's free top back to the kernel past
/// 128 KiB, so every response of that size (SearchRuns' ~115 KB of runs, a history page) paid
/// for new zeroed pages, hundreds of page faults per search: 8% of its time by
/// `scripts/ab-search-runs.sh`. Keeping freed memory for reuse costs at most the thresholds
/// below in resident memory, which is what a server wants.
public enum MemoryTuning {
  /// Blocks up to this size come from the arenas, where freed memory is reused.
  public static let mmapThreshold: Int32 = 32 << 20
  /// Free memory at an arena's top kept for reuse instead of returned to the kernel.
  public static let trimThreshold: Int32 = 256 << 20

  /// Applies the settings unless the operator chose their own through `GLIBC_TUNABLES`
  /// (whose malloc settings an explicit `mallopt` would override). Call before serving.
  public static func apply() {
    #if canImport(Glibc)
      if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("glibc.malloc.") { return }
      // Swift's Glibc module leaves out <malloc.h>, so mallopt is looked up; its parameter
      // numbers are glibc's stable ABI.
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
      _ = mallopt(-3, mmapThreshold)  // M_MMAP_THRESHOLD
      _ = mallopt(-1, trimThreshold)  // M_TRIM_THRESHOLD
    #endif
  }
}
