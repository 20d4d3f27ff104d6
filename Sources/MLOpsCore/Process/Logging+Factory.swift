import Logging

extension Logger {
  /// A logger writing to stderr at the configured level. Built per process and passed down
  /// through `init`s, so nothing depends on a global logging bootstrap.
  public static func process(_ label: String, level: LogLevelOption) -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = Logger.Level(rawValue: level.rawValue) ?? .info
    return logger
  }
}
