import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs a command the way every platform executable should: environment fallbacks applied,
/// usage errors exit 2 with the usage message, start-up failures exit 1 with one line naming
/// the cause.
public enum CommandRunner {
  /// The exit status for a command-line mistake (unknown flag, malformed value).
  public static let usageExitCode: Int32 = 2

  /// Parses `arguments` (without the program name) into the command or subcommand they name,
  /// applying `MLOPS_*` fallbacks for `flags`. Throws the parser's error for bad input.
  public static func parse<Command: ParsableCommand>(
    _ type: Command.Type,
    arguments: [String],
    flags: [String],
    environment: [String: String]
  ) throws -> any ParsableCommand {
    let effective = EnvironmentFallback.apply(to: arguments, flags: flags, environment: environment)
    return try type.parseAsRoot(effective)
  }

  /// Parses the process's own arguments and environment, runs the command and exits.
  public static func main<Command: ParsableCommand>(
    _ type: Command.Type,
    flags: [String]
  ) async -> Never {
    let environment = ProcessInfo.processInfo.environment
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      var command = try parse(type, arguments: arguments, flags: flags, environment: environment)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      terminate(0)
    } catch  where !isParserError(error) {
      // A start-up failure or a command's own (a file that does not parse, a model that refuses
      // a cell): one line naming the cause, exit 1. (A `StartupError`'s description is its message.)
      writeStandardError("\(type._commandName): error: \(error)\n")
      terminate(1)
    } catch {
      // The parser's own errors (usage, help, version) and ExitCode.
      let code = type.exitCode(for: error)
      let message = type.fullMessage(for: error)
      if code == .success {
        if !message.isEmpty { print(message) }
        terminate(0)
      }
      if !message.isEmpty { writeStandardError(message + "\n") }
      terminate(code == .validationFailure ? usageExitCode : code.rawValue)
    }
  }

  /// Whether `error` is the parser's own — an unknown flag, a missing argument, a
  /// `ValidationError`, `ExitCode`, `CleanExit` (help) — which keeps the parser's message, usage
  /// and exit code. Some of its error types are internal to ArgumentParser, so all are told by
  /// their module.
  static func isParserError(_ error: any Error) -> Bool {
    String(reflecting: Swift.type(of: error)).hasPrefix("ArgumentParser.")
  }

  /// Flushes buffered output (a table printed just before) and exits.
  static func terminate(_ code: Int32) -> Never {
    fflush(nil)
    exit(code)
  }

  /// Writes to stderr unbuffered, so a line is not lost when the process exits right after.
  public static func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }
}
