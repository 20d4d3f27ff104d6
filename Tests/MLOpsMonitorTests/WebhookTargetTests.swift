import MLOpsMonitor
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Webhook targets")
struct WebhookTargetTests {
  @Test("link-local targets are always refused; loopback and private ones unless allowed")
  func targets() {
    let strict = WebhookTargets(allowPrivate: false)
    let open = WebhookTargets(allowPrivate: true)
    for url in ["http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x", "http://[::ffff:169.254.169.254]/"] {
      #expect(strict.refusal(url: url)?.contains("link-local") == true, "\(url)")
      #expect(open.refusal(url: url)?.contains("link-local") == true, "\(url)")
    }
    for url in [
      "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/", "http://172.20.0.1/", "http://192.168.1.1/",
      "http://[::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://[fd00::1]/",
    ] {
      #expect(strict.refusal(url: url)?.contains("--allow-private-webhooks") == true, "\(url)")
      #expect(open.refusal(url: url) == nil, "\(url)")
    }
    for url in ["https://hooks.example.com/mlops", "http://93.184.216.34/", "http://172.32.0.1/"] {
      #expect(strict.refusal(url: url) == nil, "\(url)")
    }
    #expect(strict.refusal(resolving: "http://localhost:9/hook") != nil)
  }

  @Test("CreateMonitor refuses a webhook to the cloud metadata address, naming the field and the reason")
  func createRefuses() async throws {
    try await MonitorHarness.with(.sqlite) { h in
      var monitor = MonitorHarness.definition("m")
      monitor.actions = [.with { $0.webhook.url = "http://169.254.169.254/latest/meta-data" }]
      await expectStatus(.invalidArgument, naming: "monitor.actions[0].webhook.url") {
        _ = try await h.client.createMonitor(.with { $0.monitor = monitor })
      }
      await expectStatus(.notFound, naming: "'m'") { _ = try await h.client.getMonitor(.with { $0.name = "m" }) }
    }
  }
}
