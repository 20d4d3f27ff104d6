"""The inference router against its own per-call floor and against MLServer, in one run
(issue #24's goals), plus the gateway's cost on the same calls (issue #25's).

A RandomForest (100 trees, depth 8, 20 features) is trained, exported with skl2onnx and
registered and deployed through a real `mlops up`; the same forest is served by MLServer's
sklearn runtime when its venv exists. h2load drives each target at c=1 and c=16 with one
stream per client and logs every request, so p50/p99 come from all requests, not a mean.

Usage: python bench_router.py OUT_DIR BIN_DIR [--requests N] [--mlserver PYTHON]
"""
import argparse
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def free_base():
    for base in range(27000, 29000, 10):
        ports = [base + i for i in range(6)] + [base + 1000 + i for i in range(6)] + [base + 9, base + 1009]
        ok = True
        for port in ports:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free ports")


def frame(message):
    data = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(data)) + data


def h2load(url, body_path, requests, clients, headers=()):
    """Throughput and per-request latencies (µs) from h2load's log, plus failures."""
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as log:
        pass
    args = ["h2load", url, "-n", str(requests), "-c", str(clients), "-m", "1", "-d", body_path,
            "-H", "content-type: application/grpc", "-H", "te: trailers", "--log-file", log.name]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(next(line for line in out.splitlines() if line.startswith("finished in")).split(",")[1].split()[0])
    durations = sorted(int(line.split("\t")[2]) for line in open(log.name) if line.strip())
    os.unlink(log.name)
    failed = next(line for line in out.splitlines() if line.startswith("requests:")).split(",")
    return {"rps": rps, "p50": durations[len(durations) // 2], "p99": durations[int(len(durations) * 0.99)],
            "n": len(durations), "requests_line": ",".join(failed).strip()}


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("bin")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--mlserver", default="")
    options = parser.parse_args()
    out, root = options.out, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    # Stubs from the repository's protos.
    gen = os.path.join(out, "gen")
    os.makedirs(gen, exist_ok=True)
    protos = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "proto")) for f in fs if f.endswith(".proto")]
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.join(root, "proto"), f"--python_out={gen}",
                    f"--grpc_python_out={gen}"] + protos, check=True)
    sys.path.insert(0, gen)
    import grpc
    grpc.__path__.append(os.path.join(gen, "grpc"))
    from inference import grpc_predict_v2_pb2 as oip
    from mlops.common.v1 import common_pb2
    from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
    from mlops.serving.v1 import serving_pb2 as spb, serving_pb2_grpc
    from mlops.tracker.v1 import tracker_pb2 as tpb, tracker_pb2_grpc
    from grpc.health.v1 import health_pb2

    # The forest, as ONNX for the router and as joblib for MLServer.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 20)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    forest = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0).fit(x, y)
    from skl2onnx import to_onnx
    onnx_bytes = to_onnx(forest, x[:1], options={id(forest): {"zipmap": False}}).SerializeToString()
    import joblib
    mlserver_dir = os.path.join(out, "mlserver")
    os.makedirs(os.path.join(mlserver_dir, "rf"), exist_ok=True)
    joblib.dump(forest, os.path.join(mlserver_dir, "rf", "model.joblib"))
    row = x[0]

    base = free_base()
    data = os.path.join(out, "data")
    up = subprocess.Popen([os.path.join(options.bin, "mlops"), "up", f"--base-port={base}", f"--data-dir={data}",
                           f"--bin-dir={options.bin}", "--log-level=warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mlserver = None
    try:
        for i in range(6):
            wait_port(base + i)
        key_path = os.path.join(data, "gateway", "admin.key")
        while not os.path.exists(key_path):
            time.sleep(0.1)
        time.sleep(1)
        key = open(key_path).read().strip()
        auth = [("authorization", f"Bearer {key}")]
        gateway = grpc.insecure_channel(f"127.0.0.1:{base}")
        tracker = tracker_pb2_grpc.TrackerServiceStub(gateway)
        registry = registry_pb2_grpc.RegistryServiceStub(gateway)
        router = serving_pb2_grpc.InferenceRouterServiceStub(gateway)
        experiment = tracker.CreateExperiment(tpb.CreateExperimentRequest(name="bench"), metadata=auth).experiment.experiment_id
        run_id = tracker.CreateRun(tpb.CreateRunRequest(experiment_id=experiment), metadata=auth).run.info.run_id
        registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="bench-rf"), metadata=auth)
        signature = rpb.ModelSignature(inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 20])],
                                       outputs=[common_pb2.ColumnSchema(name="label", type=common_pb2.VALUE_TYPE_INT64)])
        registry.CreateModelVersion(rpb.CreateModelVersionRequest(name="bench-rf", run_id=run_id, format="onnx", signature=signature), metadata=auth)

        def chunks():
            yield rpb.UploadModelArtifactRequest(header=rpb.ModelArtifactHeader(name="bench-rf", version=1))
            yield rpb.UploadModelArtifactRequest(chunk=onnx_bytes)
        registry.UploadModelArtifact(chunks(), metadata=auth)
        router.CreateDeployment(spb.CreateDeploymentRequest(deployment=spb.Deployment(name="rf", variants=[spb.Variant(
            name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name="bench-rf", version=1))])), metadata=auth)

        predict = spb.PredictRequest(deployment="rf", instances=[spb.PredictInstance(
            features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=[float(v) for v in row]))})])
        infer = oip.ModelInferRequest(model_name="rf", inputs=[oip.ModelInferRequest.InferInputTensor(
            name="X", datatype="FP32", shape=[1, 20])], raw_input_contents=[row.tobytes()])
        answer = serving_pb2_grpc.InferenceRouterServiceStub(grpc.insecure_channel(f"127.0.0.1:{base + 4}")).Predict(predict)
        assert answer.outputs[0].values["label"].int64_value == int(forest.predict(x[:1])[0]), answer
        bodies = {}
        for name, message in [("health", health_pb2.HealthCheckRequest()), ("predict", predict), ("infer", infer)]:
            bodies[name] = os.path.join(out, f"{name}.grpc")
            open(bodies[name], "wb").write(frame(message))

        targets = [
            ("router Health/Check", f"http://127.0.0.1:{base + 4}/grpc.health.v1.Health/Check", "health", ()),
            ("router Predict", f"http://127.0.0.1:{base + 4}/mlops.serving.v1.InferenceRouterService/Predict", "predict", ()),
            ("router ModelInfer", f"http://127.0.0.1:{base + 4}/inference.GRPCInferenceService/ModelInfer", "infer", ()),
            ("gateway Health/Check", f"http://127.0.0.1:{base}/grpc.health.v1.Health/Check", "health", ()),
            ("gateway Predict", f"http://127.0.0.1:{base}/mlops.serving.v1.InferenceRouterService/Predict", "predict",
             (f"authorization: Bearer {key}",)),
        ]
        if options.mlserver:
            settings = {"grpc_port": base + 9, "http_port": base + 1009, "metrics_port": base + 1008, "parallel_workers": 0}
            json.dump(settings, open(os.path.join(mlserver_dir, "settings.json"), "w"))
            json.dump({"name": "rf", "implementation": "mlserver_sklearn.SKLearnModel",
                       "parameters": {"uri": "./model.joblib", "version": "v1"}},
                      open(os.path.join(mlserver_dir, "rf", "model-settings.json"), "w"))
            mlserver = subprocess.Popen([os.path.join(os.path.dirname(options.mlserver), "mlserver"), "start", mlserver_dir],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=mlserver_dir)
            wait_port(base + 9)
            time.sleep(3)
            targets.append(("MLServer ModelInfer", f"http://127.0.0.1:{base + 9}/inference.GRPCInferenceService/ModelInfer", "infer", ()))

        results = {}
        for name, url, body, headers in targets:
            h2load(url, bodies[body], 500, 1, headers)  # warm-up
            for clients in (1, 16):
                results[(name, clients)] = h2load(url, bodies[body], options.requests, clients, headers)
        print(f"{'target':24} {'c':>3} {'req/s':>9} {'p50 µs':>8} {'p99 µs':>8}  requests")
        for (name, clients), r in results.items():
            print(f"{name:24} {clients:3} {r['rps']:9,.0f} {r['p50']:8} {r['p99']:8}  {r['requests_line']}")
        h1, p1 = results[("router Health/Check", 1)], results[("router Predict", 1)]
        h16, p16 = results[("router Health/Check", 16)], results[("router Predict", 16)]
        print(f"\nc=1  Predict p50 - Health p50: {p1['p50'] - h1['p50']} µs (goal <= 60)")
        print(f"c=16 Predict / Health throughput: {p16['rps'] / h16['rps']:.2f} (goal >= 0.75)")
        g1 = results[("gateway Predict", 1)]
        print(f"c=1  gateway Predict p50 - router Predict p50: {g1['p50'] - p1['p50']} µs "
              f"(goal <= one hop's floor {h1['p50']} + 50 µs)")
        print(f"c=16 gateway Predict / router Predict throughput: {results[('gateway Predict', 16)]['rps'] / p16['rps']:.2f}")
        if ("MLServer ModelInfer", 16) in results:
            m16, i16 = results[("MLServer ModelInfer", 16)], results[("router ModelInfer", 16)]
            print(f"c=16 router ModelInfer / MLServer ModelInfer throughput: {i16['rps'] / m16['rps']:.1f}x (goal >= 20)")
            print(f"c=1  MLServer ModelInfer p50 / router ModelInfer p50: "
                  f"{results[('MLServer ModelInfer', 1)]['p50'] / results[('router ModelInfer', 1)]['p50']:.1f}x")
    finally:
        if mlserver:
            mlserver.send_signal(signal.SIGINT)
            mlserver.wait(timeout=30)
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)


if __name__ == "__main__":
    main()
