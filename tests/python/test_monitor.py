"""The monitor from Python: a reference profiled from streamed rows, predictions logged through
the gateway closing windows that are evaluated in the background, a drift alert streamed to a
watcher and POSTed to a real local webhook (retried after failures), and acknowledged
predictions surviving kill -9 of the process."""
import http.server
import json
import os
import tempfile
import threading
import time

import grpc
import pytest

from mlops.common.v1 import common_pb2
from mlops.monitor.v1 import monitor_pb2 as mpb, monitor_pb2_grpc


class Webhook:
    """A local HTTP listener answering 500 to the first `failures` POSTs, then 200."""

    def __init__(self, failures=0):
        received, self.attempts = [], []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.attempts.append(body)
                status = 500 if len(outer.attempts) <= failures else 200
                if status == 200:
                    received.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.received = received
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()


def value(x):
    return common_pb2.Value(string_value=x) if isinstance(x, str) else common_pb2.Value(double_value=x)


def definition(name, url=None, size=100):
    return mpb.Monitor(
        name=name, deployment="fraud", window=mpb.WindowSpec(size=size), task=mpb.TASK_TYPE_CLASSIFICATION,
        columns=[mpb.MonitoredColumn(name="amount", kind=mpb.COLUMN_KIND_NUMERICAL),
                 mpb.MonitoredColumn(name="country", kind=mpb.COLUMN_KIND_CATEGORICAL),
                 mpb.MonitoredColumn(name="score", kind=mpb.COLUMN_KIND_NUMERICAL, role=mpb.COLUMN_ROLE_PREDICTION)],
        actions=[mpb.AlertAction(webhook=mpb.WebhookAction(url=url))] if url else [])


def set_reference(stub, name, rows=1000):
    def messages():
        yield mpb.SetReferenceRequest(header=mpb.ReferenceHeader(monitor=name))
        for start in range(0, rows, 250):
            yield mpb.SetReferenceRequest(rows=mpb.ReferenceRows(rows=[
                common_pb2.Row(values={"amount": value(float(i)), "country": value("fr" if i % 3 else "de")})
                for i in range(start, min(start + 250, rows))]))
    return stub.SetReference(messages())


def log(stub, name, count, shift, prefix):
    records = [mpb.PredictionRecord(
        request_id=f"{prefix}-{i}", deployment="fraud",
        features={"amount": value(float(i * 7 % 1000) + shift), "country": value("fr" if i % 3 else "de")},
        outputs={"score": value(0.7)}, latency_ms=3.0) for i in range(count)]
    return stub.LogPredictions(mpb.LogPredictionsRequest(monitor=name, records=records)).records_accepted


def wait_for(condition, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_drift_alert_reaches_a_watcher_and_a_webhook_retried_after_failures(platform):
    hook = Webhook(failures=2)
    try:
        with platform.channel("gateway") as channel:
            stub = monitor_pb2_grpc.MonitorServiceStub(channel)
            stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=definition("py-drift", hook.url)))
            assert set_reference(stub, "py-drift").rows_profiled == 1000
            watch = stub.WatchAlerts(mpb.WatchAlertsRequest(monitor="py-drift"))
            first = []
            reader = threading.Thread(target=lambda: first.append(next(iter(watch))), daemon=True)
            reader.start()
            time.sleep(0.3)
            assert log(stub, "py-drift", 100, 600.0, "a") == 100
            reader.join(timeout=20)
            watch.cancel()
            assert first and first[0].alert.kind == mpb.ALERT_KIND_DRIFT and "amount" in first[0].alert.message

            def recorded():
                alerts = stub.ListAlerts(mpb.ListAlertsRequest(monitor="py-drift")).alerts
                return alerts and alerts[0].outcomes and alerts[0]
            alert = wait_for(recorded)
            outcome = alert.outcomes[0]
            assert (outcome.action, outcome.succeeded, outcome.attempts) == ("webhook", True, 3)
            assert hook.received[0]["alert_id"] == alert.alert_id and hook.received[0]["monitor"] == "py-drift"

            report = stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="py-drift")).reports[0]
            amount = [c for c in report.columns if c.column == "amount"][0]
            assert report.rows == 100 and report.dataset_drift and amount.drifted and amount.test == mpb.DRIFT_TEST_KS

            with pytest.raises(grpc.RpcError) as error:
                stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=mpb.Monitor(name="bad", window=mpb.WindowSpec(size=1))))
            assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "monitor.columns" in error.value.details()
    finally:
        hook.close()


def test_acknowledged_predictions_survive_kill_9():
    from conftest import BIN, free_base_port, serving
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-monitor-")
    port = free_base_port() + 5
    args = [os.path.join(BIN, "monitor"), f"--port={port}", f"--data-dir={data_dir}"]
    with serving(args, port, kill=True):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = monitor_pb2_grpc.MonitorServiceStub(channel)
            stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=definition("durable")))
            set_reference(stub, "durable")
            assert log(stub, "durable", 150, 0.0, "a") == 150
    with serving(args, port):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = monitor_pb2_grpc.MonitorServiceStub(channel)
            assert stub.GetMonitor(mpb.GetMonitorRequest(name="durable")).monitor.has_reference
            # The window closed before the kill is evaluated after the restart, if it was not yet.
            reports = wait_for(lambda: stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="durable")).reports)
            assert [r.window_id for r in reports] == ["durable:1"] and reports[0].rows == 100
            # The 50 acknowledged predictions of the open window were kept: 50 more close it.
            log(stub, "durable", 50, 0.0, "b")
            reports = wait_for(lambda: [r for r in stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="durable")).reports
                                        if r.window_id == "durable:2"])
            assert reports[0].rows == 100



def test_a_raised_alert_and_its_acknowledgement_survive_kill_9():
    from conftest import BIN, free_base_port, serving
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-alerts-")
    port = free_base_port() + 5
    args = [os.path.join(BIN, "monitor"), f"--port={port}", f"--data-dir={data_dir}"]
    with serving(args, port, kill=True):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = monitor_pb2_grpc.MonitorServiceStub(channel)
            stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=definition("alerting")))
            set_reference(stub, "alerting")
            assert log(stub, "alerting", 100, 600.0, "a") == 100
            raised = wait_for(lambda: stub.ListAlerts(mpb.ListAlertsRequest(monitor="alerting")).alerts)
            assert len(raised) == 1 and raised[0].kind == mpb.ALERT_KIND_DRIFT
            acknowledged = stub.AcknowledgeAlert(mpb.AcknowledgeAlertRequest(alert_id=raised[0].alert_id, comment="on it"),
                                                 metadata=[("x-mlops-actor", "alice")]).alert
            assert acknowledged.state == mpb.ALERT_STATE_ACKNOWLEDGED
    with serving(args, port):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = monitor_pb2_grpc.MonitorServiceStub(channel)
            kept = stub.ListAlerts(mpb.ListAlertsRequest(monitor="alerting")).alerts
            assert [(a.alert_id, a.state, a.acknowledged_by, a.message, a.report_id) for a in kept] == \
                [(raised[0].alert_id, mpb.ALERT_STATE_ACKNOWLEDGED, "alice", raised[0].message, raised[0].report_id)]
            report = stub.GetDriftReport(mpb.GetDriftReportRequest(report_id=raised[0].report_id)).report
            assert report.dataset_drift and report.rows == 100


def test_the_monitor_from_the_command_line(platform, tmp_path):
    created = platform.mlops("monitor", "create", "cli-mon", "--deployment", "cli", "--numerical", "amount",
                    "--categorical", "country", "--prediction", "score", "--window-size", "20", "--chart", "mean_prediction")
    assert created.returncode == 0, created.stderr
    bad = platform.mlops("monitor", "create", "cli-bad", "--window-size", "5")
    assert bad.returncode == 1 and "monitor.columns" in bad.stderr
    reference = tmp_path / "reference.csv"
    reference.write_text("amount,country\n" + "".join(f"{i},{'fr' if i % 3 else 'de'}\n" for i in range(500)))
    profiled = platform.mlops("monitor", "reference", "cli-mon", str(reference))
    assert profiled.returncode == 0 and "profiled 500 rows" in profiled.stdout, profiled.stderr
    listed = platform.mlops("monitor", "list", "--deployment", "cli")
    assert "cli-mon" in listed.stdout and listed.stdout.strip().endswith("yes")
    # Before any window: both say there is nothing yet instead of printing nothing or zeros.
    quiet = platform.mlops("monitor", "alerts", "cli-mon")
    assert quiet.returncode == 0 and quiet.stdout.strip() == "no alerts for monitor 'cli-mon'", quiet.stdout
    empty = platform.mlops("monitor", "chart", "cli-mon", "mean_prediction")
    assert empty.returncode == 0 and "no windows evaluated yet" in empty.stdout and "limits" not in empty.stdout, empty.stdout

    with platform.channel("gateway") as channel:
        stub = monitor_pb2_grpc.MonitorServiceStub(channel)
        for window, score in enumerate([0.50, 0.51, 0.49, 0.50, 0.52, 0.48, 0.50, 0.51, 0.50, 0.49, 0.95]):
            records = [mpb.PredictionRecord(request_id=f"w{window}-{i}", features={"amount": value(float(i * 25)), "country": value("fr")},
                                            outputs={"score": value(score)}) for i in range(20)]
            stub.LogPredictions(mpb.LogPredictionsRequest(monitor="cli-mon", records=records))
            wait_for(lambda: len(stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="cli-mon")).reports) == window + 1)

    chart = platform.mlops("monitor", "chart", "cli-mon", "mean_prediction")
    assert chart.returncode == 0, chart.stderr
    last = chart.stdout.strip().splitlines()[-1]
    assert "X" in last and last.endswith("WE1"), chart.stdout
    alerts = wait_for(lambda: (lambda out: "mean_prediction" in out and out)(platform.mlops("monitor", "alerts", "cli-mon").stdout))
    assert "OPEN" in alerts and "WE1" in alerts


def test_predictions_logged_from_a_csv_file_close_a_window(platform, tmp_path):
    created = platform.mlops("monitor", "create", "csv-mon", "--deployment", "csv", "--numerical", "amount",
                             "--prediction", "score", "--window-size", "20")
    assert created.returncode == 0, created.stderr
    reference = tmp_path / "reference.csv"
    reference.write_text("amount\n" + "".join(f"{i}\n" for i in range(200)))
    assert platform.mlops("monitor", "reference", "csv-mon", str(reference)).returncode == 0
    rows = tmp_path / "predictions.csv"
    rows.write_text("request_id,amount,score,latency_ms\n" + "".join(f"p{i},{i * 10},0.{i % 10},1.5\n" for i in range(20)))
    logged = platform.mlops("monitor", "log", "csv-mon", str(rows))
    assert logged.returncode == 0 and logged.stdout.strip() == "logged 20 predictions to monitor csv-mon", logged.stdout + logged.stderr
    with platform.channel("gateway") as channel:
        stub = monitor_pb2_grpc.MonitorServiceStub(channel)
        report = wait_for(lambda: (stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="csv-mon")).reports or [None])[0])
        assert report.rows == 20
    # Bad data is one line naming the file, the row and the column, exit 1, no usage text.
    bad = tmp_path / "bad.csv"
    bad.write_text("amount,latency_ms\n1,2\n3,slow\n")
    refused = platform.mlops("monitor", "log", "csv-mon", str(bad))
    assert refused.returncode == 1 and "bad.csv row 2, column latency_ms" in refused.stderr and "USAGE" not in refused.stderr, refused.stderr
    unknown = platform.mlops("monitor", "log", "no-such-monitor", str(rows))
    assert unknown.returncode == 1 and "no-such-monitor" in unknown.stderr, unknown.stderr


def test_a_rollback_action_calls_the_inference_router_and_records_its_answer(platform):
    router = f"127.0.0.1:{platform.port('inference-router')}"
    monitor = definition("py-rollback", size=50)
    monitor.actions.append(mpb.AlertAction(rollback=mpb.RollbackAction(router_address=router, deployment="fraud")))
    with platform.channel("gateway") as channel:
        stub = monitor_pb2_grpc.MonitorServiceStub(channel)
        stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=monitor))
        set_reference(stub, "py-rollback")
        log(stub, "py-rollback", 50, 600.0, "r")

        def recorded():
            alerts = stub.ListAlerts(mpb.ListAlertsRequest(monitor="py-rollback")).alerts
            return alerts and alerts[0].outcomes and alerts[0]
        outcome = wait_for(recorded).outcomes[0]
    # No deployment "fraud" exists on the router: its real answer (NOT_FOUND) is what is recorded.
    assert outcome.action == "rollback" and not outcome.succeeded
    assert "notFound" in outcome.detail and "'fraud' does not exist" in outcome.detail


def test_predictions_sent_column_by_column_from_python(platform):
    with platform.channel("gateway") as channel:
        stub = monitor_pb2_grpc.MonitorServiceStub(channel)
        stub.CreateMonitor(mpb.CreateMonitorRequest(monitor=definition("py-columns", size=100)))
        set_reference(stub, "py-columns")
        columns = mpb.PredictionColumns(
            request_ids=[f"c-{i}" for i in range(100)], deployment="fraud",
            values={"amount": mpb.ColumnVector(numbers=common_pb2.DoubleList(values=[float(i * 10) for i in range(100)])),
                    "country": mpb.ColumnVector(texts=common_pb2.StringList(values=["fr" if i % 3 else "de" for i in range(100)]))})
        assert stub.LogPredictions(mpb.LogPredictionsRequest(monitor="py-columns", columns=columns)).records_accepted == 100
        report = wait_for(lambda: stub.ListDriftReports(mpb.ListDriftReportsRequest(monitor="py-columns")).reports)[0]
        assert report.rows == 100 and {c.column for c in report.columns} == {"amount", "country"}

        columns.values["amount"].numbers.values.pop()
        with pytest.raises(grpc.RpcError) as error:
            stub.LogPredictions(mpb.LogPredictionsRequest(monitor="py-columns", columns=columns))
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "columns.values[amount]" in error.value.details()
