import Foundation

/// Applies `MLOPS_<FLAG>` environment variables to a command line: a flag given on the command
/// line wins, then the environment, then the built-in default (which the parser supplies).
///
/// Done as an argument rewrite before parsing so that validation, help and error messages are
/// the parser's own, whatever the source of a value.
public enum EnvironmentFallback {
  /// The environment variable that backs a flag: `data-dir` → `MLOPS_DATA_DIR`.
  public static func variableName(for flag: String) -> String {
    "MLOPS_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
  }

  /// Returns `arguments` with `--flag value` appended for every listed flag that the command
  /// line does not set and the environment does.
  public static func apply(
    to arguments: [String],
    flags: [String],
    environment: [String: String]
  ) -> [String] {
    var result = arguments
    for flag in flags {
      let long = "--" + flag
      let present = arguments.contains { $0 == long || $0.hasPrefix(long + "=") }
      if present { continue }
      if let value = environment[variableName(for: flag)], !value.isEmpty {
        result.append(long + "=" + value)
      }
    }
    return result
  }
}
