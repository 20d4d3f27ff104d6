import ArgumentParser
import MLOpsCore
import Testing

@Suite("Configuration: flag over environment over default")
struct ConfigurationTests {
  func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOptions {
    try ProcessOptions.parse(
      EnvironmentFallback.apply(
        to: arguments, flags: ProcessOptions.environmentFlags, environment: environment))
  }

  @Test("defaults apply when neither flag nor environment is set")
  func defaults() throws {
    let options = try parse([])
    #expect(options.host == "127.0.0.1")
    #expect(options.port == nil)
    #expect(options.dataDirectory == nil)
    #expect(options.peers.tracker == PeerAddress(host: "127.0.0.1", port: 7001))
    #expect(options.windowCacheMegabytes == 512)
  }

  @Test("the environment overrides a default")
  func environmentOverridesDefault() throws {
    let options = try parse(
      [], environment: ["MLOPS_DATA_DIR": "/srv/x", "MLOPS_PORT": "9001", "MLOPS_TRACKER_ADDRESS": "tracker.ml:7001"])
    #expect(options.dataDirectory == "/srv/x")
    #expect(options.port == 9001)
    #expect(options.peers.tracker == PeerAddress(host: "tracker.ml", port: 7001))
  }

  @Test("a flag overrides the environment, in both --flag value and --flag=value forms")
  func flagOverridesEnvironment() throws {
    let environment = ["MLOPS_DATA_DIR": "/from/env", "MLOPS_PORT": "9001"]
    let spaced = try parse(["--data-dir", "/from/flag"], environment: environment)
    #expect(spaced.dataDirectory == "/from/flag")
    #expect(spaced.port == 9001)
    let joined = try parse(["--port=9100"], environment: environment)
    #expect(joined.port == 9100)
    #expect(joined.dataDirectory == "/from/env")
  }

  @Test("variables outside the flag list are ignored")
  func unrelatedVariablesIgnored() throws {
    let options = try parse([], environment: ["MLOPS_TEST_POSTGRES_URL": "postgres://x@y/z"])
    #expect(options.databaseURL == nil)
  }

  @Test(
    "malformed values are usage errors naming the flag",
    arguments: [
      (["--port", "70000"], "--port"),
      (["--port", "seven"], "port"),
      (["--tracker-address", "no-port"], "tracker-address"),
      (["--database-url", "mysql://a@b/c"], "--database-url"),
      (["--log-level", "loud"], "log-level"),
      (["--window-cache-mb", "-1"], "--window-cache-mb"),
      (["--no-such-flag"], "no-such-flag"),
    ])
  func malformedValues(arguments: [String], flag: String) throws {
    do {
      _ = try parse(arguments)
      Issue.record("expected \(arguments) to be rejected")
    } catch {
      #expect(ProcessOptions.exitCode(for: error) == .validationFailure)
      #expect(ProcessOptions.message(for: error).contains(flag))
    }
  }

  @Test("a malformed environment value is rejected like a flag")
  func malformedEnvironment() {
    #expect(throws: (any Error).self) { try parse([], environment: ["MLOPS_PORT": "-1"]) }
  }

  @Test("environment variable names follow MLOPS_<FLAG>")
  func variableNames() {
    #expect(EnvironmentFallback.variableName(for: "data-dir") == "MLOPS_DATA_DIR")
    #expect(EnvironmentFallback.variableName(for: "feature-server-address") == "MLOPS_FEATURE_SERVER_ADDRESS")
  }

  @Test("postgres URLs parse, with defaults and percent-decoding")
  func postgresURL() throws {
    let url = try #require(PostgresURL("postgres://ml%40ops:s%3Acret@db.local/platform"))
    #expect(url.username == "ml@ops")
    #expect(url.password == "s:cret")
    #expect(url.port == 5432)
    #expect(url.database == "platform")
    #expect(url.redacted == "postgres://ml@ops@db.local:5432/platform")
    #expect(PostgresURL("postgres://db.local/platform") == nil)
    #expect(PostgresURL("postgres://u@db.local/") == nil)
  }
}
