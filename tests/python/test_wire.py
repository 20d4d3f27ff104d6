"""gRPC's wire rules, checked with raw HTTP/2 frames (the `h2` library) against a tracker on
each transport: content types, grpc-encoding, grpc-timeout, the length prefix split across DATA
frames and its size limit, trailers with percent-encoded grpc-message and base64 `-bin`
metadata, RST_STREAM, PING, GOAWAY and drain on SIGTERM, h2c prior knowledge, the 8 MiB window,
and malformed input that must close one connection and nothing else (issue #27)."""
import base64
import os
import random
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import grpc
import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import pytest

from conftest import BIN, free_base_port, health_status, wait_serving
from grpc.health.v1 import health_pb2, health_pb2_grpc
from mlops.common.v1 import common_pb2
from mlops.tracker.v1 import tracker_pb2

HEALTH_CHECK = "/grpc.health.v1.Health/Check"
HEALTH_WATCH = "/grpc.health.v1.Health/Watch"


def framed(message):
    body = message.SerializeToString()
    return struct.pack(">BI", 0, len(body)) + body


class Raw:
    """One h2c connection with prior knowledge, driven frame by frame."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.conn.initiate_connection()
        self.flush()
        self.events = []

    def flush(self):
        self.sock.sendall(self.conn.data_to_send())

    def request(self, path, body=b"", headers=(), end=True, content_type="application/grpc"):
        stream = self.conn.get_next_available_stream_id()
        fields = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"), ("te", "trailers")]
        if content_type:
            fields.append(("content-type", content_type))
        self.conn.send_headers(stream, fields + list(headers), end_stream=end and not body)
        if body:
            self.conn.send_data(stream, body, end_stream=end)
        self.flush()
        return stream

    def read_until(self, done, timeout=10):
        """Reads events until `done(events)` is true; returns all events read so far."""
        deadline = time.time() + timeout
        while not done(self.events):
            self.sock.settimeout(max(0.01, deadline - time.time()))
            if time.time() > deadline:
                raise TimeoutError(f"no such event after {timeout}s: {self.events}")
            data = self.sock.recv(65536)
            if not data:
                self.events.append("closed")
                break
            try:
                events = self.conn.receive_data(data)
            except h2.exceptions.ProtocolError:
                # h2 accepts no frame after GOAWAY, and NIO follows its GOAWAY with a PING in the
                # same read: find the GOAWAY (type 7) in the frames read.
                offset = 0
                while offset + 9 <= len(data):
                    length, kind = int.from_bytes(data[offset:offset + 3], "big"), data[offset + 3]
                    if kind == 7:
                        self.events.append(("goaway", int.from_bytes(data[offset + 13:offset + 17], "big")))
                    offset += 9 + length
                self.events.append("closed")
                break
            for event in events:
                if isinstance(event, h2.events.DataReceived):
                    self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                self.events.append(event)
            self.flush()
        return self.events

    def response(self, stream, timeout=10):
        """(headers, body, trailers) of a finished stream; trailers-only answers have no body."""
        ended = lambda events: "closed" in events or any(
            isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)) and e.stream_id == stream for e in events)
        events = self.read_until(ended, timeout)
        heads = [dict(e.headers) for e in events if isinstance(e, (h2.events.ResponseReceived, h2.events.TrailersReceived)) and e.stream_id == stream]
        body = b"".join(e.data for e in events if isinstance(e, h2.events.DataReceived) and e.stream_id == stream)
        return heads[0] if heads else {}, body, heads[-1] if heads else {}


@pytest.fixture(params=["nghttp2", "nio"])
def tracker(request):
    port = free_base_port()
    with tempfile.TemporaryDirectory() as data:
        process = subprocess.Popen([
            f"{BIN}/tracker", "--transport", request.param, "--port", str(port), "--http-port", str(port + 1000),
            "--data-dir", data, "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_serving(port)
            yield port, process, request.param
        finally:
            process.kill()
            process.wait()


def status(trailers):
    return int(trailers.get("grpc-status", "-1"))


def test_a_call_over_h2c_with_prior_knowledge_is_answered(tracker):
    raw = Raw(tracker[0])
    headers, body, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest())))
    assert headers[":status"] == "200" and headers["content-type"].startswith("application/grpc")
    assert health_pb2.HealthCheckResponse.FromString(body[5:]).status == health_pb2.HealthCheckResponse.SERVING
    assert status(trailers) == 0


def test_a_content_type_other_than_grpc_is_refused_with_415(tracker):
    raw = Raw(tracker[0])
    headers, _, _ = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), content_type="text/plain"))
    assert headers[":status"] == "415"


def test_a_grpc_encoding_other_than_identity_is_unimplemented(tracker):
    raw = Raw(tracker[0])
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), headers=[("grpc-encoding", "snappy")]))
    assert status(trailers) == 12


def test_grpc_timeout_ends_a_call_with_deadline_exceeded(tracker):
    raw = Raw(tracker[0])
    started = time.time()
    stream = raw.request(HEALTH_WATCH, framed(health_pb2.HealthCheckRequest()), headers=[("grpc-timeout", "300m")])
    _, _, trailers = raw.response(stream)
    assert status(trailers) == 4
    assert time.time() - started >= 0.25


def test_a_malformed_grpc_timeout_is_invalid_argument_naming_it(tracker):
    raw = Raw(tracker[0])
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), headers=[("grpc-timeout", "-5S")]))
    assert status(trailers) == 3
    assert "grpc-timeout" in urllib.parse.unquote(trailers["grpc-message"])


def test_a_message_split_across_one_byte_data_frames_is_read_whole(tracker):
    raw = Raw(tracker[0])
    message = framed(health_pb2.HealthCheckRequest(service="grpc.health.v1.Health"))
    stream = raw.request(HEALTH_CHECK, end=False)
    for i in range(len(message)):
        raw.conn.send_data(stream, message[i:i + 1], end_stream=i == len(message) - 1)
        raw.flush()
    _, body, trailers = raw.response(stream)
    assert status(trailers) == 0
    assert health_pb2.HealthCheckResponse.FromString(body[5:]).status == health_pb2.HealthCheckResponse.SERVING


def test_a_message_over_the_size_limit_is_resource_exhausted(tracker):
    raw = Raw(tracker[0])
    stream = raw.request(HEALTH_CHECK, struct.pack(">BI", 0, 64 * 1024 * 1024 + 1), end=False)
    _, _, trailers = raw.response(stream)
    if tracker[2] == "nio":  # grpc-swift-nio-transport resets the stream instead of answering
        assert any(isinstance(e, h2.events.StreamReset) and e.stream_id == stream for e in raw.events)
    else:
        assert status(trailers) == 8
        assert "64" in urllib.parse.unquote(trailers["grpc-message"])


def test_a_body_that_ends_inside_a_message_is_refused(tracker):
    raw = Raw(tracker[0])
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, struct.pack(">BI", 0, 10) + b"abc"))
    assert status(trailers) not in (-1, 0)


def test_errors_carry_percent_encoded_messages_and_base64_binary_trailers(tracker):
    raw = Raw(tracker[0])
    name = "café 100% ✓"
    _, _, trailers = raw.response(raw.request(
        "/mlops.tracker.v1.TrackerService/GetExperimentByName", framed(tracker_pb2.GetExperimentByNameRequest(name=name))))
    assert status(trailers) == 5
    assert all(0x20 <= ord(c) <= 0x7E for c in trailers["grpc-message"])
    assert name in urllib.parse.unquote(trailers["grpc-message"])
    _, _, trailers = raw.response(raw.request(
        "/mlops.tracker.v1.TrackerService/CreateExperiment", framed(tracker_pb2.CreateExperimentRequest(name=""))))
    assert status(trailers) == 3
    encoded = trailers["mlops-error-details-bin"]
    details = common_pb2.ErrorDetails.FromString(base64.b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert [v.field for v in details.violations] == ["name"]


def test_binary_request_metadata_is_accepted_padded_or_not(tracker):
    raw = Raw(tracker[0])
    for value in ("AAEC", "AAE", "AAE="):
        _, _, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), headers=[("x-trace-bin", value)]))
        assert status(trailers) == 0


def handled(port, method, code):
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port + 1000}/metrics", timeout=5).read().decode()
    for line in metrics.splitlines():
        if line.startswith("grpc_server_handled_total{") and f'grpc_method="{method}"' in line and f'grpc_code="{code}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_rst_stream_cancels_the_handler(tracker):
    port = tracker[0]
    raw = Raw(port)
    stream = raw.request(HEALTH_WATCH, framed(health_pb2.HealthCheckRequest()))
    raw.read_until(lambda events: any(isinstance(e, h2.events.DataReceived) for e in events))
    before = handled(port, "Watch", "Canceled")
    raw.conn.reset_stream(stream)
    raw.flush()
    deadline = time.time() + 10
    while handled(port, "Watch", "Canceled") == before and time.time() < deadline:
        time.sleep(0.05)
    assert handled(port, "Watch", "Canceled") == before + 1
    assert health_status(port) == health_pb2.HealthCheckResponse.SERVING


def test_ping_is_answered(tracker):
    raw = Raw(tracker[0])
    raw.conn.ping(b"12345678")
    raw.flush()
    events = raw.read_until(lambda events: any(isinstance(e, h2.events.PingAckReceived) for e in events))
    assert [e.ping_data for e in events if isinstance(e, h2.events.PingAckReceived)] == [b"12345678"]


def test_the_server_advertises_an_8_mib_stream_window(tracker):
    raw = Raw(tracker[0])
    events = raw.read_until(lambda events: any(isinstance(e, h2.events.RemoteSettingsChanged) for e in events))
    changed = next(e for e in events if isinstance(e, h2.events.RemoteSettingsChanged)).changed_settings
    assert changed[h2.settings.SettingCodes.INITIAL_WINDOW_SIZE].new_value == 8 << 20


def test_sigterm_sends_goaway_and_drains_the_calls_in_flight(tracker):
    port, process, _ = tracker
    idle = Raw(port)
    idle.read_until(lambda events: any(isinstance(e, h2.events.RemoteSettingsChanged) for e in events))
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(), timeout=30)
        assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
        process.send_signal(signal.SIGTERM)
        # The call in flight completes (the watch says NOT_SERVING and ends with OK)...
        assert [update.status for update in watch][-1] == health_pb2.HealthCheckResponse.NOT_SERVING
        assert watch.code() == grpc.StatusCode.OK
    # ...every connection is told to stop opening streams, and the process exits cleanly.
    idle.read_until(lambda events: "closed" in events or any(isinstance(e, h2.events.ConnectionTerminated) for e in events))
    goaways = [e.error_code for e in idle.events if isinstance(e, h2.events.ConnectionTerminated)]
    goaways += [e[1] for e in idle.events if isinstance(e, tuple) and e[0] == "goaway"]
    assert goaways and goaways[0] == 0
    assert process.wait(timeout=30) == 0


def test_a_malformed_preface_closes_that_connection_only(tracker):
    port = tracker[0]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + b"\x00" * 64)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    assert health_status(port) == health_pb2.HealthCheckResponse.SERVING


def test_random_frames_never_stop_the_server(tracker):
    port, process, _ = tracker
    rng = random.Random(27)
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes.fromhex("000000040000000000")
    for _ in range(200):
        frames = b""
        for _ in range(rng.randint(1, 6)):
            payload = rng.randbytes(rng.randint(0, 40))
            frames += struct.pack(">I", len(payload))[1:] + bytes([rng.randint(0, 10), rng.randint(0, 255)])
            frames += struct.pack(">I", rng.choice([0, 1, 3, rng.randint(0, 2**31 - 1)])) + payload
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            try:
                sock.sendall(preface + frames)
                sock.shutdown(socket.SHUT_WR)
                while sock.recv(65536):
                    pass
            except OSError:
                pass
    assert process.poll() is None
    assert health_status(port) == health_pb2.HealthCheckResponse.SERVING


def test_an_oversized_header_list_resets_that_stream_only(tracker):
    port, _, transport = tracker
    raw = Raw(port)
    big = [("x-big", "a" * 8000), ("x-big2", "b" * 9000)]
    if transport == "nio":  # grpc-swift-nio-transport drops the whole connection instead
        raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), headers=big)
        try:
            raw.read_until(lambda events: "closed" in events)
        except ConnectionResetError:
            pass
        raw = Raw(port)
    else:
        _, _, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest()), headers=big))
        assert status(trailers) != 0
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, framed(health_pb2.HealthCheckRequest())))
    assert status(trailers) == 0


def test_a_unary_call_with_many_messages_is_refused_without_keeping_them(tracker):
    raw = Raw(tracker[0])
    message = framed(health_pb2.HealthCheckRequest())
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, message * 1000))
    assert status(trailers) not in (-1, 0)
    _, _, trailers = raw.response(raw.request(HEALTH_CHECK, message))
    assert status(trailers) == 0
