import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Asks an inference-router to roll a deployment back; the gRPC call lives in the service
/// layer so the engine knows no generated types.
public protocol RollbackRequester: Sendable {
  func rollback(routerAddress: String, deployment: String, reason: String) async throws
}

/// Runs an alert's actions: webhooks (JSON POST, retried with exponential back-off),
/// retraining triggers (the same, with `"event": "retrain"`), rollback requests.
public struct AlertActions: Sendable {
  let http: HTTPClient
  let rollbacks: any RollbackRequester
  /// Attempts per webhook and the first back-off (doubling).
  let attempts: Int
  let backoff: Duration
  let timeout: TimeAmount
  /// Where webhooks may point; checked again, against what a host resolves to, before each send.
  let webhooks: WebhookTargets

  public init(
    http: HTTPClient, rollbacks: any RollbackRequester, webhooks: WebhookTargets = WebhookTargets(allowPrivate: false), attempts: Int = 4,
    backoff: Duration = .milliseconds(200), timeout: TimeAmount = .seconds(5)
  ) {
    (self.http, self.rollbacks, self.webhooks, self.attempts, self.backoff, self.timeout) = (
      http, rollbacks, webhooks, attempts, backoff, timeout
    )
  }

  func perform(_ action: MonitorDefinition.Action, alert: AlertRecord, now: () -> Int64) async -> AlertRecord.Outcome {
    switch action {
    case .webhook(let url):
      let (ok, tries, detail) = await post(url, body: Self.body(alert, event: "alert"))
      return .init(action: action.name, succeeded: ok, attempts: tries, detail: detail, time: now())
    case .retrain(let url, _):
      let (ok, tries, detail) = await post(url, body: Self.body(alert, event: alert.reportID.isEmpty ? "retrain_scheduled" : "retrain"))
      return .init(action: action.name, succeeded: ok, attempts: tries, detail: detail, time: now())
    case .rollback(let address, let deployment):
      do {
        try await rollbacks.rollback(routerAddress: address, deployment: deployment, reason: alert.message)
        return .init(action: action.name, succeeded: true, attempts: 1, detail: "rolled back \(deployment) at \(address)", time: now())
      } catch {
        return .init(action: action.name, succeeded: false, attempts: 1, detail: "\(error)", time: now())
      }
    }
  }

  /// POSTs until a 2xx answer or the attempts run out; a 4xx other than 408/429 is final.
  func post(_ url: String, body: Data) async -> (Bool, Int, String) {
    if let refused = webhooks.refusal(resolving: url) { return (false, 0, "not sent: \(refused)") }
    var detail = ""
    for attempt in 1...attempts {
      do {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        let code = Int(response.status.code)
        if (200..<300).contains(code) { return (true, attempt, "HTTP \(code)") }
        detail = "HTTP \(code)"
        if (400..<500).contains(code), code != 408, code != 429 { return (false, attempt, detail) }
      } catch {
        detail = "\(error)"
      }
      if attempt < attempts { try? await Task.sleep(for: backoff * (1 << (attempt - 1))) }
    }
    return (false, attempts, detail)
  }

  /// The JSON a webhook receives.
  static func body(_ alert: AlertRecord, event: String) -> Data {
    let body = WebhookBody(
      event: event, alert_id: alert.alertID, monitor: alert.monitor, kind: "\(alert.kind)", message: alert.message,
      dedup_key: alert.dedupKey, report_id: alert.reportID, created_time_ms: alert.createdTime)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(body)) ?? Data()
  }

  /// A webhook's JSON body; its field names are the wire's.
  struct WebhookBody: Encodable {
    let event: String
    let alert_id: String
    let monitor: String
    let kind: String
    let message: String
    let dedup_key: String
    let report_id: String
    let created_time_ms: Int64
  }
}
