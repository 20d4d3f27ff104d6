"""A bad-input sweep built from the proto descriptors: every RPC of every service, directly and
through the gateway, gets requests whose every field holds a hostile value (huge and empty
strings, NUL, path traversal, -1, 0, the int64 extremes, NaN and infinities, unknown enum
numbers, long lists). Each call must answer within its deadline with a deliberate status —
never UNKNOWN or INTERNAL — and every process must still serve afterwards."""
import math
import time

import grpc
import pytest
from google.protobuf import descriptor as d
from google.protobuf import message_factory

from conftest import PROCESSES, health_status
from grpc.health.v1 import health_pb2
from inference import grpc_predict_v2_pb2  # noqa: F401  (registers the OIP descriptors)
from mlops.features.v1 import features_pb2
from mlops.gateway.v1 import gateway_pb2
from mlops.monitor.v1 import monitor_pb2
from mlops.registry.v1 import registry_pb2
from mlops.serving.v1 import serving_pb2
from mlops.tracker.v1 import tracker_pb2

SERVICES = {
    "tracker": tracker_pb2.DESCRIPTOR.services_by_name["TrackerService"],
    "registry": registry_pb2.DESCRIPTOR.services_by_name["RegistryService"],
    "feature-server": features_pb2.DESCRIPTOR.services_by_name["FeatureStoreService"],
    "inference-router": serving_pb2.DESCRIPTOR.services_by_name["InferenceRouterService"],
    "monitor": monitor_pb2.DESCRIPTOR.services_by_name["MonitorService"],
    "gateway": gateway_pb2.DESCRIPTOR.services_by_name["GatewayService"],
}
# Methods whose hostile requests would change the platform for every other test.
SKIPPED = {"RevokeApiKey"}

STRINGS = ["", "\x00", "../../../etc/passwd", "", "é" * 3000, "' OR 1=1 --", "x" * 70_000, "*/1 60/1 * * *"]
INTS = [-1, 0, 2**63 - 1, -2**63, 2**31 - 1]
FLOATS = [math.nan, math.inf, -math.inf, -1.0, 1e308]
DEADLINE = 30
BAD = {grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED}


def fill(message, variant, depth=0):
    """Sets every field of `message` to the variant-th hostile value of its type."""
    for field in message.DESCRIPTOR.fields:
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == d.FieldDescriptor.LABEL_REPEATED
        if field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                entry = field.message_type
                key, value = entry.fields_by_name["key"], entry.fields_by_name["value"]
                target = getattr(message, field.name)
                k = scalar(key, variant)
                if value.message_type is not None:
                    if depth < 3:
                        fill(target[k], variant, depth + 1)
                else:
                    target[k] = scalar(value, variant)
                continue
            if depth >= 3:
                continue
            if repeated:
                child = getattr(message, field.name).add()
                # A long list (variant 3) only at the top, of small elements: nested long lists
                # of large values would build gigabytes before anything is sent.
                fill(child, 0 if variant == 3 else variant, depth + 1)
                if variant == 3 and depth == 0:
                    for _ in range(1000):
                        getattr(message, field.name).add().CopyFrom(child)
            else:
                fill(getattr(message, field.name), variant, depth + 1)
            continue
        value = scalar(field, variant)
        if repeated:
            getattr(message, field.name).extend([value] * (5000 if variant == 3 and depth == 0 else 1))
        else:
            try:
                setattr(message, field.name, value)
            except ValueError:
                pass
        if field.containing_oneof is not None:
            continue


def scalar(field, variant):
    t = field.type
    if t == d.FieldDescriptor.TYPE_STRING:
        return STRINGS[variant % len(STRINGS)]
    if t == d.FieldDescriptor.TYPE_BYTES:
        return (b"\xff\x00" * 50_000) if variant % 2 else b""
    if t == d.FieldDescriptor.TYPE_BOOL:
        return bool(variant % 2)
    if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return FLOATS[variant % len(FLOATS)]
    if t == d.FieldDescriptor.TYPE_ENUM:
        return [999, -1, 0, 1][variant % 4]
    if t in (d.FieldDescriptor.TYPE_UINT32, d.FieldDescriptor.TYPE_FIXED32):
        return [0, 2**32 - 1][variant % 2]
    if t in (d.FieldDescriptor.TYPE_UINT64, d.FieldDescriptor.TYPE_FIXED64):
        return [0, 2**64 - 1][variant % 2]
    if t in (d.FieldDescriptor.TYPE_INT32, d.FieldDescriptor.TYPE_SINT32, d.FieldDescriptor.TYPE_SFIXED32):
        return [-1, 0, 2**31 - 1, -2**31][variant % 4]
    return INTS[variant % len(INTS)]


def requests(method, variants=7):
    cls = message_factory.GetMessageClass(method.input_type)
    for variant in range(variants):
        message = cls()
        fill(message, variant)
        yield variant, message


def call(channel, service, method, message):
    path = f"/{service.full_name}/{method.name}"
    serialize = lambda m: m.SerializeToString()  # noqa: E731
    deserialize = message_factory.GetMessageClass(method.output_type).FromString
    if method.client_streaming and method.server_streaming:
        return list(channel.stream_stream(path, serialize, deserialize)(iter([message]), timeout=DEADLINE))
    if method.client_streaming:
        return channel.stream_unary(path, serialize, deserialize)(iter([message, message]), timeout=DEADLINE)
    if method.server_streaming:
        stream = channel.unary_stream(path, serialize, deserialize)(message, timeout=2)
        try:
            for _ in stream:
                pass
        except grpc.RpcError as error:
            if error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                return None  # a watch that keeps streaming: our own short deadline, not a hang
            raise
        return None
    return channel.unary_unary(path, serialize, deserialize)(message, timeout=DEADLINE)


@pytest.mark.parametrize("process", list(SERVICES))
@pytest.mark.parametrize("path", ["direct", "gateway"])
def test_hostile_requests_get_deliberate_statuses(platform, process, path):
    service = SERVICES[process]
    if path == "direct" and process == "gateway":
        pytest.skip("the gateway's own service is reached through the gateway")
    target = "gateway" if path == "gateway" else process
    failures = []
    seen = {}
    with platform.channel(target) as channel:
        for method in service.methods:
            if method.name in SKIPPED:
                continue
            for variant, message in requests(method):
                started = time.time()
                try:
                    call(channel, service, method, message)
                    seen["OK"] = seen.get("OK", 0) + 1
                except grpc.RpcError as error:
                    seen[error.code().name] = seen.get(error.code().name, 0) + 1
                    if error.code() in BAD:
                        failures.append(f"{method.name}#{variant}: {error.code()} {error.details()[:200]}")
                if time.time() - started > DEADLINE:
                    failures.append(f"{method.name}#{variant}: took {time.time() - started:.1f}s")
    print(f"{path} {process}: {sorted(seen.items())}")
    assert sum(seen.values()) > 0
    assert not failures, "\n".join(failures[:30])
    for name in PROCESSES:
        assert health_status(platform.port(name)) == health_pb2.HealthCheckResponse.SERVING, f"{name} is down"
