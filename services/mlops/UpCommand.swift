import ArgumentParser
import Foundation
import MLOpsCore
import UnixSignals

/// `mlops up`: the whole platform on a laptop. Starts the six processes with embedded storage
/// under one data dir, waits until every one reports SERVING, prints the endpoints, streams
/// their logs, and on Ctrl-C or SIGTERM stops them all cleanly.
struct UpCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "up", abstract: "Start all six platform processes and wait until they serve.")

  @OptionGroup var endpoint: EndpointOptions

  @Option(name: .customLong("data-dir"), help: "Root of every process's storage (env MLOPS_DATA_DIR).")
  var dataDirectory: String = "./data"

  @Option(name: .customLong("bin-dir"), help: "Where the process executables are (default: beside mlops; env MLOPS_BIN_DIR).")
  var binDirectory: String?

  @Option(name: .customLong("log-level"), help: "Log level of every process (env MLOPS_LOG_LEVEL).")
  var logLevel: LogLevelOption = .info

  @Option(name: .customLong("startup-timeout"), help: "Seconds to wait for every process to serve (env MLOPS_STARTUP_TIMEOUT).")
  var startupTimeout: Double = 60

  static let environmentFlags = ["data-dir", "bin-dir", "log-level", "startup-timeout"]

  func run() async throws {
    let layout = endpoint.layout
    let binaries = try locateBinaries()
    try await checkPorts(layout)
    let output = PrefixedOutput(width: 16)
    let events = UpEvents()
    let signals = events.follow(await UnixSignalsSequence(trapping: .sigint, .sigterm))
    defer { signals.cancel() }
    let supervisor = Supervisor(output: output, onExit: events.exited)
    // The services first, the gateway once they serve: its forwarding connections then find
    // every peer up instead of starting in a back-off.
    let services = PlatformLayout.entries.filter { $0.name != "gateway" }
    let gateway = PlatformLayout.entries.filter { $0.name == "gateway" }
    for group in [services, gateway] {
      for entry in group {
        try await launch(entry, layout: layout, binaries: binaries, supervisor: supervisor)
      }
      try await waitUntilServing(group, layout: layout, supervisor: supervisor, events: events)
    }
    output.say("\nmlops is up. Data in \(dataDirectory). Press Ctrl-C to stop.\n")
    output.say(EndpointTable.header)
    for entry in PlatformLayout.entries {
      output.say(EndpointTable.row(entry, layout: layout, status: "SERVING"))
    }
    let keyFile = ((dataDirectory as NSString).appendingPathComponent("gateway") as NSString).appendingPathComponent("admin.key")
    output.say("\nAPI key (admin): \(keyFile) — the CLI reads it from there; other clients send 'authorization: Bearer <key>'.")
    output.say("")
    try await supervise(supervisor, output: output, events: events)
    output.say("stopping…")
    let killed = await supervisor.stopAll(grace: .seconds(15))
    output.say(killed.isEmpty ? "stopped" : "stopped; killed after the grace period: \(killed.joined(separator: ", "))")
  }

  /// Serves until Ctrl-C or SIGTERM. A process that dies is started again after a back-off
  /// while the others keep serving (one request that crashed a service used to stop all six);
  /// after ``RestartPolicy/maxCrashes`` crashes in its window the platform stops, naming it.
  private func supervise(_ supervisor: Supervisor, output: PrefixedOutput, events: UpEvents) async throws {
    var policy = RestartPolicy()
    for await event in events.stream {
      switch event {
      case .stop: return
      case .exited(let exit):
        guard let delay = policy.delay(after: exit.name, at: .now) else {
          await supervisor.stopAll(grace: .seconds(15))
          throw StartupError(
            "\(exit.name) \(exit.cause), crash \(policy.recentCrashes(of: exit.name)) within \(RestartPolicy.window); stopped the platform (its log above says why)"
          )
        }
        output.say("mlops: \(exit.name) \(exit.cause); starting it again in \(delay), the others keep serving")
        events.restart(exit.name, after: delay)
      case .due(let name):
        do {
          try supervisor.relaunch(name: name)
          output.say("mlops: \(name) started again (crash \(policy.recentCrashes(of: name)) within \(RestartPolicy.window))")
        } catch {
          output.say("mlops: cannot start \(name) again: \(error)")
          guard let delay = policy.delay(after: name, at: .now) else {
            await supervisor.stopAll(grace: .seconds(15))
            throw StartupError("cannot start \(name) again: \(error); stopped the platform")
          }
          events.restart(name, after: delay)
        }
      }
    }
  }

  private func launch(
    _ entry: PlatformLayout.Entry, layout: PlatformLayout, binaries: [String: URL], supervisor: Supervisor
  ) async throws {
    let arguments =
      [
        "--host=\(layout.host)", "--port=\(layout.grpcPort(entry))",
        "--http-port=\(layout.httpPort(entry))",
        "--data-dir=\((dataDirectory as NSString).appendingPathComponent(entry.name))",
        "--log-level=\(logLevel.rawValue)", "--parent-pid=\(getpid())",
      ] + layout.peerArguments(for: entry.name) + (entry.name == "monitor" ? ["--allow-private-webhooks=true"] : [])
    do {
      try supervisor.launch(name: entry.name, executable: binaries[entry.name]!, arguments: arguments)
    } catch {
      await supervisor.stopAll(grace: .seconds(10))
      throw StartupError("cannot start \(entry.name): \(error)")
    }
  }

  /// Polls health until all serve; fails naming a process that exited or did not serve in time.
  private func waitUntilServing(
    _ entries: [PlatformLayout.Entry], layout: PlatformLayout, supervisor: Supervisor, events: UpEvents
  ) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int64(startupTimeout * 1000))
    var pending = entries
    while !pending.isEmpty {
      if let exit = supervisor.firstExit {
        await supervisor.stopAll(grace: .seconds(10))
        throw StartupError("\(exit.name) exited during start-up with status \(exit.status) (its log above says why)")
      }
      if events.stopRequested {
        await supervisor.stopAll(grace: .seconds(10))
        throw ExitCode(130)
      }
      var still: [PlatformLayout.Entry] = []
      for entry in pending {
        let outcome = await HealthProbe.check(host: layout.host, port: layout.grpcPort(entry), timeout: .seconds(1))
        if outcome != .serving { still.append(entry) }
      }
      pending = still
      if !pending.isEmpty {
        if ContinuousClock.now > deadline {
          await supervisor.stopAll(grace: .seconds(10))
          let names = pending.map(\.name).joined(separator: ", ")
          throw StartupError("not serving after \(startupTimeout) s: \(names)")
        }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
  }

  /// Refuses to start when a port is taken, saying how to pick others: a second platform, or
  /// the one `make run` left running, is the usual holder.
  private func checkPorts(_ layout: PlatformLayout) async throws {
    do {
      for entry in PlatformLayout.entries {
        try await ProcessRuntime.checkPortFree(
          host: layout.host, port: layout.grpcPort(entry), what: "\(entry.name) gRPC")
        try await ProcessRuntime.checkPortFree(
          host: layout.host, port: layout.httpPort(entry), what: "\(entry.name) HTTP")
      }
    } catch let error as StartupError {
      let other = layout.basePort + 100
      throw StartupError(
        "\(error.message). Stop what holds it (another `mlops up`?), or use other ports: `mlops up --base-port \(other)` "
          + "(env MLOPS_BASE_PORT=\(other); `make run BASE_PORT=\(other)`), which moves gRPC to \(other)-\(other + 5) and HTTP to "
          + "\(other + 1000)-\(other + 1005); clients then pass --base-port \(other) or set MLOPS_BASE_PORT")
    }
  }

  private func locateBinaries() throws -> [String: URL] {
    let directory: URL
    if let binDirectory {
      directory = URL(fileURLWithPath: binDirectory)
    } else {
      guard let executable = Bundle.main.executableURL else {
        throw StartupError("cannot tell where mlops is installed; pass --bin-dir")
      }
      directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
    }
    var result: [String: URL] = [:]
    for entry in PlatformLayout.entries {
      let url = directory.appendingPathComponent(entry.name)
      guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw StartupError("no executable \(entry.name) in \(directory.path) (build with `swift build` or pass --bin-dir)")
      }
      result[entry.name] = url
    }
    return result
  }
}
