"""The inference router against its own per-call floor and against MLServer, in one run
(issue #24's goals), plus the gateway's cost on the same calls (issue #25's), and what
enrichment (one GetOnlineFeatures of 10 features), a shadow mirroring every request and
monitor sampling of every request each cost a plain Predict.

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
        ports = [base + i for i in range(6)] + [base + 1000 + i for i in range(6)] + [base + 7, base + 1007, base + 9, base + 1009]
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


def process_ids(data_dir):
    """The PIDs of `mlops up`'s inference-router, monitor and gateway (their command lines name the data dir)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        name = os.path.basename(args[0].decode(errors="replace"))
        if name in ("inference-router", "monitor", "gateway") and any(data_dir.encode() in a for a in args):
            found[name] = int(pid)
    return found


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def h2load(url, body_path, requests, clients, headers=(), pids=None):
    """Throughput and per-request latencies (µs) from h2load's log, plus failures, and the CPU
    each process in `pids` spent per request (µs)."""
    before = {name: cpu_seconds(pid) for name, pid in (pids or {}).items()}
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
    cpu = {name: (cpu_seconds(pid) - before[name]) * 1e6 / requests for name, pid in (pids or {}).items()}
    return {"rps": rps, "p50": durations[len(durations) // 2], "p99": durations[int(len(durations) * 0.99)],
            "n": len(durations), "requests_line": ",".join(failed).strip(), "cpu": cpu}


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port}")


def extra_deployments(router, auth, fpb, features, mpb, monitor, common_pb2, spb, row):
    """The forest deployed three more times — enriched from the online store (10 features, one
    of them the model's whole input), with a shadow of itself mirroring every request, and
    sampling every request to a monitor — and a request for each, as (body name, message)."""
    features.ApplyEntity(fpb.ApplyEntityRequest(entity=fpb.Entity(
        name="bench_user", join_key="user_id", value_type=common_pb2.VALUE_TYPE_INT64)), metadata=auth)
    names = ["X"] + [f"f{i}" for i in range(1, 10)]
    features.ApplyFeatureView(fpb.ApplyFeatureViewRequest(feature_view=fpb.FeatureView(
        name="bench_users", entities=["bench_user"], ttl={"seconds": 86400},
        features=[fpb.Feature(name="X", type=common_pb2.VALUE_TYPE_DOUBLE_LIST)] +
                 [fpb.Feature(name=n, type=common_pb2.VALUE_TYPE_DOUBLE) for n in names[1:]])), metadata=auth)
    now = {"seconds": int(time.time())}
    values = {"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=[float(v) for v in row]))}
    values.update({n: common_pb2.Value(double_value=float(i)) for i, n in enumerate(names[1:])})
    features.Push(fpb.PushRequest(feature_view="bench_users", rows=[fpb.FeatureRow(
        entity_key={"user_id": common_pb2.Value(int64_value=u)}, event_time=now, created_time=now, features=values)
        for u in range(100)]), metadata=auth)
    main = spb.Variant(name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name="bench-rf", version=1))
    shadow = spb.Variant(name="copy", role=spb.VARIANT_ROLE_SHADOW, mirror_fraction=1.0,
                         model=common_pb2.ModelRef(model_name="bench-rf", version=1))
    for deployment in [
            spb.Deployment(name="rf-enriched", variants=[main], enrichment=spb.FeatureEnrichment(
                features=[f"bench_users:{n}" for n in names])),
            spb.Deployment(name="rf-shadowed", variants=[main, shadow]),
            spb.Deployment(name="rf-sampled", variants=[main], monitor_sample_rate=1.0)]:
        router.CreateDeployment(spb.CreateDeploymentRequest(deployment=deployment), metadata=auth)
    monitor.CreateMonitor(mpb.CreateMonitorRequest(monitor=mpb.Monitor(
        name="rf-sampled", deployment="rf-sampled", window=mpb.WindowSpec(size=1000), task=mpb.TASK_TYPE_CLASSIFICATION,
        columns=[mpb.MonitoredColumn(name=f"X_{i}", kind=mpb.COLUMN_KIND_NUMERICAL) for i in range(20)] +
                [mpb.MonitoredColumn(name="label", kind=mpb.COLUMN_KIND_CATEGORICAL, role=mpb.COLUMN_ROLE_PREDICTION)])),
        metadata=auth)
    plain = [spb.PredictInstance(features={"X": values["X"]})]
    return [
        ("enriched", spb.PredictRequest(deployment="rf-enriched", instances=[
            spb.PredictInstance(entity_key={"user_id": common_pb2.Value(int64_value=7)})])),
        ("shadowed", spb.PredictRequest(deployment="rf-shadowed", instances=plain)),
        ("sampled", spb.PredictRequest(deployment="rf-sampled", instances=plain)),
    ]


def report(results):
    """The goal lines whose targets ran."""
    def have(*names):
        return all((name, c) in results for name in names for c in (1, 16))
    if have("router Health/Check", "router Predict"):
        h1, p1 = results[("router Health/Check", 1)], results[("router Predict", 1)]
        h16, p16 = results[("router Health/Check", 16)], results[("router Predict", 16)]
        print(f"\nc=1  Predict p50 - Health p50: {p1['p50'] - h1['p50']} µs (goal <= 60)")
        print(f"c=16 Predict / Health throughput: {p16['rps'] / h16['rps']:.2f} (goal >= 0.75)")
    if have("router Health/Check", "router Predict", "router Predict enriched"):
        e1 = results[("router Predict enriched", 1)]
        print(f"c=1  enriched Predict p50 - Predict p50: {e1['p50'] - p1['p50']} µs "
              f"(goal <= one Health/Check round trip {h1['p50']} + 100 µs)")
    for label in ("shadow", "sampled"):
        if have("router Predict", f"router Predict {label}"):
            r16, p16 = results[(f"router Predict {label}", 16)], results[("router Predict", 16)]
            print(f"c=16 Predict with {label} at 100% / plain Predict throughput: {r16['rps'] / p16['rps']:.2f} (goal >= 0.90); "
                  f"router CPU per call {r16['cpu'].get('inference-router', 0):.0f} vs {p16['cpu'].get('inference-router', 0):.0f} µs, "
                  f"monitor {r16['cpu'].get('monitor', 0):.0f} vs {p16['cpu'].get('monitor', 0):.0f} µs")
    if have("router Health/Check", "router Predict", "gateway Predict"):
        g1, p1, h1 = results[("gateway Predict", 1)], results[("router Predict", 1)], results[("router Health/Check", 1)]
        print(f"c=1  gateway Predict p50 - router Predict p50: {g1['p50'] - p1['p50']} µs "
              f"(goal <= one hop's floor {h1['p50']} + 50 µs)")
        print(f"c=16 gateway Predict / router Predict throughput: "
              f"{results[('gateway Predict', 16)]['rps'] / results[('router Predict', 16)]['rps']:.2f}")
    if have("gateway Predict", "gateway Predict auth off"):
        on, off = results[("gateway Predict", 16)], results[("gateway Predict auth off", 16)]
        print(f"c=16 gateway Predict with keys checked / auth off: {on['rps'] / off['rps']:.2f} (goal >= 0.95); "
              f"gateway CPU per call {gateway_cpu('gateway Predict', on):.1f} vs {gateway_cpu('gateway Predict auth off', off):.1f} µs")
    if have("MLServer ModelInfer", "router ModelInfer"):
        m16, i16 = results[("MLServer ModelInfer", 16)], results[("router ModelInfer", 16)]
        print(f"c=16 router ModelInfer / MLServer ModelInfer throughput: {i16['rps'] / m16['rps']:.1f}x (goal >= 20)")
        print(f"c=1  MLServer ModelInfer p50 / router ModelInfer p50: "
              f"{results[('MLServer ModelInfer', 1)]['p50'] / results[('router ModelInfer', 1)]['p50']:.1f}x")


def gateway_cpu(name, result):
    """The CPU per call of the gateway a target goes through: the keyed one, or the open one."""
    return result["cpu"].get("open gateway" if name == "gateway Predict auth off" else "gateway", 0)


def report_rounds(rounds):
    """Each round's c=16 throughput of every target, so alternating sides can be compared."""
    names = sorted({name for name, _ in rounds[0]})
    print("\nc=16 req/s per round: " + " | ".join(names))
    for index, r in enumerate(rounds, 1):
        print(f"round {index}: " + " | ".join(f"{r[(name, 16)]['rps']:,.0f}" for name in names))
    if ("gateway Predict", 16) in rounds[0] and ("gateway Predict auth off", 16) in rounds[0]:
        ratios = [r[("gateway Predict", 16)]["rps"] / r[("gateway Predict auth off", 16)]["rps"] for r in rounds]
        print("auth on / off per round: " + ", ".join(f"{x:.2f}" for x in ratios) + f"; mean {sum(ratios) / len(ratios):.2f}")
        costs = [(gateway_cpu("gateway Predict", r[("gateway Predict", 16)]), gateway_cpu("gateway Predict auth off", r[("gateway Predict auth off", 16)]))
                 for r in rounds]
        print("gateway CPU per call, keys on / off, per round (µs): " + ", ".join(f"{a:.1f}/{b:.1f}" for a, b in costs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("bin")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--mlserver", default="")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the targets in turn this many times (alternating A/B)")
    parser.add_argument("--only", default="", help="comma-separated target names to run (default: all); the goal lines of others are skipped")
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
    from mlops.features.v1 import features_pb2 as fpb, features_pb2_grpc
    from mlops.monitor.v1 import monitor_pb2 as mpb, monitor_pb2_grpc
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
    mlserver = open_gateway = None
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

        variants = extra_deployments(router, auth, fpb, features_pb2_grpc.FeatureStoreServiceStub(gateway),
                                     mpb, monitor_pb2_grpc.MonitorServiceStub(gateway), common_pb2, spb, row)

        predict = spb.PredictRequest(deployment="rf", instances=[spb.PredictInstance(
            features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=[float(v) for v in row]))})])
        infer = oip.ModelInferRequest(model_name="rf", inputs=[oip.ModelInferRequest.InferInputTensor(
            name="X", datatype="FP32", shape=[1, 20])], raw_input_contents=[row.tobytes()])
        answer = serving_pb2_grpc.InferenceRouterServiceStub(grpc.insecure_channel(f"127.0.0.1:{base + 4}")).Predict(predict)
        assert answer.outputs[0].values["label"].int64_value == int(forest.predict(x[:1])[0]), answer
        direct = serving_pb2_grpc.InferenceRouterServiceStub(grpc.insecure_channel(f"127.0.0.1:{base + 4}"))
        for _, request in variants:
            assert direct.Predict(request).outputs[0].values["label"] == answer.outputs[0].values["label"], request.deployment
        bodies = {}
        for name, message in [("health", health_pb2.HealthCheckRequest()), ("predict", predict), ("infer", infer)] + variants:
            bodies[name] = os.path.join(out, f"{name}.grpc")
            open(bodies[name], "wb").write(frame(message))

        targets = [
            ("router Health/Check", f"http://127.0.0.1:{base + 4}/grpc.health.v1.Health/Check", "health", ()),
            ("router Predict", f"http://127.0.0.1:{base + 4}/mlops.serving.v1.InferenceRouterService/Predict", "predict", ()),
            ("router ModelInfer", f"http://127.0.0.1:{base + 4}/inference.GRPCInferenceService/ModelInfer", "infer", ()),
            ("router Predict enriched", f"http://127.0.0.1:{base + 4}/mlops.serving.v1.InferenceRouterService/Predict", "enriched", ()),
            ("router Predict shadow", f"http://127.0.0.1:{base + 4}/mlops.serving.v1.InferenceRouterService/Predict", "shadowed", ()),
            ("router Predict sampled", f"http://127.0.0.1:{base + 4}/mlops.serving.v1.InferenceRouterService/Predict", "sampled", ()),
            ("gateway Health/Check", f"http://127.0.0.1:{base}/grpc.health.v1.Health/Check", "health", ()),
            ("gateway Predict", f"http://127.0.0.1:{base}/mlops.serving.v1.InferenceRouterService/Predict", "predict",
             (f"authorization: Bearer {key}",)),
            ("gateway Predict auth off", f"http://127.0.0.1:{base + 7}/mlops.serving.v1.InferenceRouterService/Predict", "predict", ()),
        ]
        # A second gateway in front of the same processes with --auth=off: what checking keys costs.
        open_gateway = subprocess.Popen(
            [os.path.join(options.bin, "gateway"), f"--port={base + 7}", "--auth=off", "--log-level=warning",
             f"--data-dir={os.path.join(out, 'open-gateway')}"] +
            [f"--{name}-address=127.0.0.1:{base + offset}" for name, offset in
             [("tracker", 1), ("registry", 2), ("feature-server", 3), ("inference-router", 4), ("monitor", 5)]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(base + 7)
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

        if options.only:
            wanted = {name.strip() for name in options.only.split(",")}
            targets = [t for t in targets if t[0] in wanted]
        pids = process_ids(data)
        pids["open gateway"] = open_gateway.pid
        results, rounds = {}, []
        for name, url, body, headers in targets:
            h2load(url, bodies[body], 500, 1, headers)  # warm-up
        for _ in range(options.rounds):
            for name, url, body, headers in targets:
                for clients in (1, 16):
                    results[(name, clients)] = h2load(url, bodies[body], options.requests, clients, headers, pids)
            rounds.append(dict(results))
        print(f"{'target':24} {'c':>3} {'req/s':>9} {'p50 µs':>8} {'p99 µs':>8} {'router CPU/call µs':>19} {'monitor CPU/call µs':>20} "
              f"{'gateway CPU/call µs':>20}  requests")
        for (name, clients), r in results.items():
            print(f"{name:24} {clients:3} {r['rps']:9,.0f} {r['p50']:8} {r['p99']:8} {r['cpu'].get('inference-router', 0):19.0f} "
                  f"{r['cpu'].get('monitor', 0):20.0f} {gateway_cpu(name, r):20.0f}  {r['requests_line']}")
        import urllib.request
        scrape = urllib.request.urlopen(f"http://127.0.0.1:{base + 1004}/metrics", timeout=10).read().decode()
        print("".join(line + "\n" for line in scrape.splitlines()
                      if line.startswith(("mlops_router_monitor_records", "mlops_router_shadow"))))
        for a in direct.GetRolloutStatus(spb.GetRolloutStatusRequest(deployment="rf-shadowed")).status.analysis:
            print(f"rf-shadowed {a.variant}: {a.requests} requests, {a.dropped} copies dropped, agreement {a.agreement_rate:.3f}")
        report(results)
        if len(rounds) > 1:
            report_rounds(rounds)
    finally:
        if open_gateway:
            open_gateway.send_signal(signal.SIGINT)
            open_gateway.wait(timeout=30)
        if mlserver:
            mlserver.send_signal(signal.SIGINT)
            mlserver.wait(timeout=30)
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)


if __name__ == "__main__":
    main()
