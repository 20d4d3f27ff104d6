#!/usr/bin/env python3
"""Issue #5's registry figures against a running registry (and the tracker it checks runs
with), over gRPC loopback from Python grpcio:
- upload and download of a 50 MB ONNX model (a MatMul with a 3540×3540 float initializer, so
  the registry's runtime check loads a real 50 MB graph), MB/s, against `cp` of the same file
  into a new file; each upload is a distinct model (one weight changed), as versions are;
  then the first model's bytes uploaded again (compared with the stored blob, not written);
- CreateModelVersion per second (one client, and 8 threads);
- h2load request bodies for GetModelVersionByAlias (latency is measured by h2load).

    bench_registry.py --registry HOST:PORT --tracker HOST:PORT --work DIR --out FIGURES.json
    bench_registry.py --alias-figures H2LOAD_LOG FIGURES.json METRICS_URL
    bench_registry.py --registry HOST:PORT --tracker HOST:PORT --work DIR --alias-only"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import statistics
import struct
import subprocess
import time

import grpc
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from mlops.common.v1 import common_pb2
from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc

SIDE = 3540
CHUNK = 1 << 20
# Uploads timed (the median is reported): with 3, one slow scheduling slice moved the figure by 30%.
UPLOADS = 9
OPTIONS = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 64 << 20)]


def big_model(path):
    weights = np.random.default_rng(5).standard_normal((SIDE, SIDE), dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["Y"])], "big",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, SIDE])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, SIDE])],
        [numpy_helper.from_array(weights, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, path)


def signature():
    return rpb.ModelSignature(
        inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, SIDE])],
        outputs=[common_pb2.ColumnSchema(name="Y", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, SIDE])])


def best(runs, f):
    """The median of `runs` timings of f(), in seconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def cp_seconds(path, work):
    """`cp` of the file into a new file each time (as each upload creates a new blob), timed
    without removing the previous copy, which happens before the clock starts."""
    def timed(sync):
        samples = []
        for n in range(5):
            target = os.path.join(work, "copy.onnx")
            if os.path.exists(target):
                os.remove(target)
            start = time.perf_counter()
            shutil.copyfile(path, target)
            if sync:
                fd = os.open(target, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)
    shutil.copyfile(path, os.path.join(work, "copy.onnx"))
    return timed(False), timed(True)


def variant(data, n):
    """The model with one weight changed: a distinct artifact with a digest of its own, as
    each registered version is. Uploading the same bytes again would time a rename over an
    identical blob instead, which frees the old blob's blocks while the client waits."""
    changed = bytearray(data)
    middle = len(data) // 2  # inside the 50 MB initializer's raw bytes
    changed[middle:middle + 4] = struct.pack("<f", float(n + 1))
    return bytes(changed)


def transfer(registry, run_id, path):
    data = open(path, "rb").read()
    registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="big"))

    def upload(body):
        digest = hashlib.sha256(body).hexdigest()
        version = registry.CreateModelVersion(rpb.CreateModelVersionRequest(
            name="big", run_id=run_id, format="onnx", signature=signature())).model_version.version

        def messages():
            yield rpb.UploadModelArtifactRequest(header=rpb.ModelArtifactHeader(
                name="big", version=version, expected_sha256=digest, size_bytes=len(body)))
            view = memoryview(body)
            for offset in range(0, len(body), CHUNK):
                yield rpb.UploadModelArtifactRequest(chunk=bytes(view[offset:offset + CHUNK]))
        start = time.perf_counter()
        ready = registry.UploadModelArtifact(messages()).model_version
        elapsed = time.perf_counter() - start
        assert ready.status == rpb.MODEL_VERSION_STATUS_READY, ready.status_message
        return elapsed

    uploads = [upload(variant(data, n)) for n in range(UPLOADS)]
    # The same bytes as the first upload again, under a new version: compared with the
    # stored blob, not written.
    again = [upload(variant(data, 0)) for _ in range(UPLOADS)]

    def download():
        received = sum(len(p.chunk) for p in registry.DownloadModelArtifact(rpb.DownloadModelArtifactRequest(name="big", version=1)))
        assert received == len(data)
    download()
    return statistics.median(uploads), statistics.median(again), best(5, download), len(data)


def create_rate(registry, run_id):
    registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="rate"))
    request = rpb.CreateModelVersionRequest(name="rate", run_id=run_id, format="onnx", signature=signature())
    n = 300
    serial = best(1, lambda: [registry.CreateModelVersion(request) for _ in range(n)])
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        start = time.perf_counter()
        list(pool.map(lambda _: registry.CreateModelVersion(request), range(n)))
        parallel = time.perf_counter() - start
    return n / serial, n / parallel


def alias_body(registry, run_id, work):
    registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="served"))
    registry.CreateModelVersion(rpb.CreateModelVersionRequest(name="served", run_id=run_id, format="onnx", signature=signature()))
    registry.SetAlias(rpb.SetAliasRequest(name="served", alias="champion", version=1))
    body = rpb.GetModelVersionByAliasRequest(name="served", alias="champion").SerializeToString()
    with open(os.path.join(work, "alias.bin"), "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(body)) + body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry")
    parser.add_argument("--tracker")
    parser.add_argument("--work")
    parser.add_argument("--out")
    parser.add_argument("--alias-figures", nargs=3, metavar=("H2LOAD_LOG", "JSON", "METRICS_URL"))
    parser.add_argument("--alias-only", action="store_true", help="only write DIR/alias.bin (for scripts/ab-alias.sh)")
    args = parser.parse_args()
    if args.alias_figures:
        return alias_figures(*args.alias_figures)
    tracker = tracker_pb2_grpc.TrackerServiceStub(grpc.insecure_channel(args.tracker))
    experiment = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name=f"bench-{time.time()}")).experiment.experiment_id
    run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
    tracker.LogMetric(tracker_pb2.LogMetricRequest(run_id=run_id, key="auc", value=0.9, step=1))
    registry = registry_pb2_grpc.RegistryServiceStub(grpc.insecure_channel(args.registry, options=OPTIONS))
    if args.alias_only:
        return alias_body(registry, run_id, args.work)
    path = os.path.join(args.work, "big.onnx")
    big_model(path)
    cp, cp_sync = cp_seconds(path, args.work)
    upload, again, download, size = transfer(registry, run_id, path)
    serial, parallel = create_rate(registry, run_id)
    alias_body(registry, run_id, args.work)
    mb = size / 1e6
    figures = {
        "artifact_mb": mb, "cp_mb_per_s": mb / cp, "cp_fsync_mb_per_s": mb / cp_sync,
        "upload_mb_per_s": mb / upload, "upload_stored_again_mb_per_s": mb / again, "download_mb_per_s": mb / download,
        "create_version_per_s": serial, "create_version_per_s_8_threads": parallel,
    }
    json.dump(figures, open(args.out, "w"))


def alias_figures(log, out, metrics_url):
    import urllib.request
    counters = urllib.request.urlopen(metrics_url).read().decode()
    ok = [float(line.split()[-1]) for line in counters.splitlines()
          if line.startswith("grpc_server_handled_total") and 'grpc_method="GetModelVersionByAlias"' in line and 'grpc_code="OK"' in line]
    assert ok and ok[0] >= 20000, f"GetModelVersionByAlias answered OK only {ok} times"
    micros = sorted(int(line.split("\t")[2]) for line in open(log) if line.strip())
    figures = json.load(open(out))
    figures["alias_p50_ms"] = micros[len(micros) // 2] / 1000
    figures["alias_p99_ms"] = micros[min(len(micros) - 1, int(len(micros) * 0.99))] / 1000
    json.dump(figures, open(out, "w"))
    for key, value in figures.items():
        print(f"{key:34} {value:12.2f}")


if __name__ == "__main__":
    main()
