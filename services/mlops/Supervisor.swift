import Foundation
import Synchronization

/// Starts the platform's processes as children, streams their output with a name prefix,
/// remembers which exited, starts one again on request, and stops them all: SIGTERM first
/// (they drain in-flight calls), SIGKILL for any still running after the grace period.
final class Supervisor: Sendable {
  struct Exit: Sendable {
    let name: String
    let status: Int32
    /// Whether a signal ended it (status is then the signal's number).
    let signalled: Bool

    /// "exited with status 1" or "was killed by signal 9", for the launcher's log.
    var cause: String { signalled ? "was killed by signal \(status)" : "exited with status \(status)" }
  }

  private struct Child: @unchecked Sendable {
    let name: String
    let process: Process
    let executable: URL
    let arguments: [String]
  }

  private let children = Mutex<[Child]>([])
  private let exits = Mutex<[Exit]>([])
  private let output: PrefixedOutput
  private let onExit: @Sendable (Exit) -> Void

  /// A supervisor writing children's lines to `output` and telling `onExit` of every exit.
  init(output: PrefixedOutput, onExit: @escaping @Sendable (Exit) -> Void) {
    self.output = output
    self.onExit = onExit
  }

  /// Launches `executable` with `arguments`; its stdout and stderr are streamed as `name | …`.
  func launch(name: String, executable: URL, arguments: [String]) throws {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let lines = LineSplitter { [output] line in output.write(line, from: name) }
    pipe.fileHandleForReading.readabilityHandler = { handle in
      let data = handle.availableData
      if data.isEmpty {
        handle.readabilityHandler = nil
        lines.flush()
      } else {
        lines.append(data)
      }
    }
    process.terminationHandler = { [self] finished in
      let exit = Exit(
        name: name, status: finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal)
      exits.withLock { $0.append(exit) }
      onExit(exit)
    }
    try process.run()
    let child = Child(name: name, process: process, executable: executable, arguments: arguments)
    children.withLock {
      $0.removeAll { $0.name == name }
      $0.append(child)
    }
  }

  /// Starts `name` again with the executable and arguments it was first launched with.
  func relaunch(name: String) throws {
    guard let child = children.withLock({ $0.first { $0.name == name } }) else { return }
    try launch(name: name, executable: child.executable, arguments: child.arguments)
  }

  /// The first child that has exited, if any: start-up fails naming it.
  var firstExit: Exit? { exits.withLock { $0.first } }

  /// Sends SIGTERM to every running child and waits up to `grace` for them to exit, then
  /// SIGKILLs the rest. Returns the names that had to be killed.
  @discardableResult
  func stopAll(grace: Duration) async -> [String] {
    let all = children.withLock { $0 }
    for child in all where child.process.isRunning {
      kill(child.process.processIdentifier, SIGTERM)
    }
    let deadline = ContinuousClock.now + grace
    while ContinuousClock.now < deadline, all.contains(where: { $0.process.isRunning }) {
      try? await Task.sleep(for: .milliseconds(50))
    }
    let stragglers = all.filter { $0.process.isRunning }
    for child in stragglers { kill(child.process.processIdentifier, SIGKILL) }
    for child in all { child.process.waitUntilExit() }
    return stragglers.map(\.name)
  }
}

/// Serialises lines from several children onto stdout, each prefixed with its process name.
final class PrefixedOutput: Sendable {
  private let lock = Mutex(())
  private let width: Int

  init(width: Int) {
    self.width = width
  }

  func write(_ line: String, from name: String) {
    let prefix = name.padding(toLength: width, withPad: " ", startingAt: 0)
    say("\(prefix) | \(line)")
  }

  /// Writes one line of the launcher's own.
  func say(_ line: String) {
    lock.withLock { _ in
      FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
  }
}

/// Reassembles lines from the arbitrary chunks a pipe delivers.
final class LineSplitter: @unchecked Sendable {
  private let lock = NSLock()
  private var buffer = Data()
  private let emit: (String) -> Void

  init(emit: @escaping (String) -> Void) {
    self.emit = emit
  }

  func append(_ data: Data) {
    lock.lock()
    buffer.append(data)
    var lines: [String] = []
    while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
      lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
      buffer.removeSubrange(buffer.startIndex...newline)
    }
    lock.unlock()
    lines.forEach(emit)
  }

  func flush() {
    lock.lock()
    let rest = buffer
    buffer.removeAll()
    lock.unlock()
    if !rest.isEmpty { emit(String(decoding: rest, as: UTF8.self)) }
  }
}
