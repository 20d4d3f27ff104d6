"""A soak of the platform (issue #23): h2load keeps LogBatch (tracker), GetOnlineFeatures
(feature-server) and Predict (inference-router, sampling every prediction to the monitor)
busy for DURATION seconds while a Python client sends Predicts through the gateway; every 10 s
the resident memory of each process is sampled. At the end it prints the series, every
non-OK status the processes counted (their own /metrics), and whether memory stayed flat
after the warm-up (the first quarter).

Usage: python soak.py OUT_DIR BIN_DIR [--seconds 600]
"""
import argparse
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.request

PROCESSES = ["gateway", "tracker", "registry", "feature-server", "inference-router", "monitor"]


def frame(message):
    data = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(data)) + data


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS:")).split()[1])


def children(parent):
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = open(f"/proc/{entry}/stat").read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            exe = os.path.basename(open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")[0].decode())
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and exe in PROCESSES:
            found[exe] = int(entry)
    return found


def not_ok(port):
    """Calls each process answered with a status other than OK, from its /metrics."""
    body = urllib.request.urlopen(f"http://127.0.0.1:{port + 1000}/metrics", timeout=5).read().decode()
    total = 0
    for line in body.splitlines():
        match = re.match(r'grpc_server_handled_total\{.*grpc_code="([A-Za-z]+)".*\} (\d+)', line)
        if match and match.group(1) != "OK":
            total += int(match.group(2))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("bin")
    parser.add_argument("--seconds", type=int, default=600)
    options = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    gen = os.path.join(options.out, "gen")
    os.makedirs(gen, exist_ok=True)
    protos = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "proto")) for f in fs if f.endswith(".proto")]
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.join(root, "proto"), f"--python_out={gen}",
                    f"--grpc_python_out={gen}"] + protos, check=True)
    sys.path.insert(0, gen)
    import grpc
    from mlops.common.v1 import common_pb2
    from mlops.features.v1 import features_pb2 as fpb, features_pb2_grpc
    from mlops.monitor.v1 import monitor_pb2 as mpb, monitor_pb2_grpc
    from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
    from mlops.serving.v1 import serving_pb2 as spb, serving_pb2_grpc
    from mlops.tracker.v1 import tracker_pb2 as tpb, tracker_pb2_grpc

    base = 26000
    data = os.path.join(options.out, "data")
    up = subprocess.Popen([os.path.join(options.bin, "mlops"), "up", f"--base-port={base}", f"--data-dir={data}",
                           f"--bin-dir={options.bin}", "--log-level=warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loads = []
    try:
        key_path = os.path.join(data, "gateway", "admin.key")
        deadline = time.time() + 120
        while not os.path.exists(key_path) and time.time() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        key = open(key_path).read().strip()
        auth = [("authorization", f"Bearer {key}")]
        channel = grpc.insecure_channel(f"127.0.0.1:{base}")
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        experiment = tracker.CreateExperiment(tpb.CreateExperimentRequest(name="soak"), metadata=auth).experiment.experiment_id
        run_id = tracker.CreateRun(tpb.CreateRunRequest(experiment_id=experiment), metadata=auth).run.info.run_id
        features = features_pb2_grpc.FeatureStoreServiceStub(channel)
        features.ApplyEntity(fpb.ApplyEntityRequest(entity=fpb.Entity(name="user", join_key="user_id", value_type=common_pb2.VALUE_TYPE_INT64)), metadata=auth)
        features.ApplyFeatureView(fpb.ApplyFeatureViewRequest(feature_view=fpb.FeatureView(
            name="stats", entities=["user"], features=[fpb.Feature(name="score", type=common_pb2.VALUE_TYPE_DOUBLE)])), metadata=auth)
        features.Push(fpb.PushRequest(feature_view="stats", to=fpb.PUSH_TARGET_ONLINE, rows=[fpb.FeatureRow(
            entity_key={"user_id": common_pb2.Value(int64_value=i)}, event_time={"seconds": int(time.time())},
            features={"score": common_pb2.Value(double_value=i / 10)}) for i in range(1000)]), metadata=auth)
        registry = registry_pb2_grpc.RegistryServiceStub(channel)
        registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="soak"), metadata=auth)
        signature = rpb.ModelSignature(inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 8])],
                                       outputs=[common_pb2.ColumnSchema(name="output_label", type=common_pb2.VALUE_TYPE_INT64)])
        registry.CreateModelVersion(rpb.CreateModelVersionRequest(name="soak", run_id=run_id, format="onnx", signature=signature), metadata=auth)
        onnx = open(os.path.join(root, "Tests", "MLOpsRuntimeTests", "Fixtures", "logreg_binary.onnx"), "rb").read()
        registry.UploadModelArtifact(iter([rpb.UploadModelArtifactRequest(header=rpb.ModelArtifactHeader(name="soak", version=1)),
                                           rpb.UploadModelArtifactRequest(chunk=onnx)]), metadata=auth)
        monitor_pb2_grpc.MonitorServiceStub(channel).CreateMonitor(mpb.CreateMonitorRequest(monitor=mpb.Monitor(
            name="soak", deployment="soak", window=mpb.WindowSpec(size=5000),
            columns=[mpb.MonitoredColumn(name=f"X_{i}", kind=mpb.COLUMN_KIND_NUMERICAL) for i in range(8)])), metadata=auth)
        serving_pb2_grpc.InferenceRouterServiceStub(channel).CreateDeployment(spb.CreateDeploymentRequest(deployment=spb.Deployment(
            name="soak", monitor_sample_rate=1.0, variants=[spb.Variant(name="main", model=common_pb2.ModelRef(model_name="soak", version=1))])),
            metadata=auth)
        predict = spb.PredictRequest(deployment="soak", instances=[spb.PredictInstance(
            features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=[0.1 * i for i in range(8)]))})])
        bodies = {
            "log_batch": (base + 1, "/mlops.tracker.v1.TrackerService/LogBatch", tpb.LogBatchRequest(
                run_id=run_id, metrics=[tpb.Metric(key=f"m{i}", value=i, step=1) for i in range(10)])),
            "online": (base + 3, "/mlops.features.v1.FeatureStoreService/GetOnlineFeatures", fpb.GetOnlineFeaturesRequest(
                features=["stats:score"], entity_rows=[common_pb2.Row(values={"user_id": common_pb2.Value(int64_value=7)})])),
            "predict": (base + 4, "/mlops.serving.v1.InferenceRouterService/Predict", predict),
        }
        for name, (port, path, message) in bodies.items():
            body = os.path.join(options.out, f"{name}.grpc")
            open(body, "wb").write(frame(message))
            loads.append(subprocess.Popen(
                ["h2load", f"http://127.0.0.1:{port}{path}", "-c", "4", "-m", "1", "-D", str(options.seconds), "-d", body,
                 "-H", "content-type: application/grpc", "-H", "te: trailers"],
                stdout=open(os.path.join(options.out, f"{name}.h2load"), "w"), stderr=subprocess.STDOUT))
        stop = threading.Event()
        python_calls = [0, 0]

        def python_client():
            stub = serving_pb2_grpc.InferenceRouterServiceStub(grpc.insecure_channel(f"127.0.0.1:{base}"))
            while not stop.is_set():
                try:
                    stub.Predict(predict, metadata=auth, timeout=10)
                    python_calls[0] += 1
                except grpc.RpcError:
                    python_calls[1] += 1
        thread = threading.Thread(target=python_client)
        thread.start()
        pids = children(up.pid)
        series = {name: [] for name in PROCESSES}
        started = time.time()
        while time.time() - started < options.seconds:
            for name, pid in pids.items():
                series[name].append(rss_kib(pid) // 1024)
            time.sleep(10)
        stop.set()
        thread.join()
        for load in loads:
            load.wait()
        print(f"RSS (MiB) every 10 s over {options.seconds} s:")
        for name in PROCESSES:
            values = series[name]
            warm = values[len(values) // 4:] or values
            print(f"  {name:17} {' '.join(map(str, values))}")
            print(f"  {'':17} after warm-up: min {min(warm)}, max {max(warm)}, last - first {warm[-1] - warm[0]:+d} MiB")
        for name in bodies:
            text = open(os.path.join(options.out, f"{name}.h2load")).read()
            print(f"{name}: " + next((line for line in text.splitlines() if line.startswith("requests:")), "?").strip()
                  + " | " + next((line for line in text.splitlines() if line.startswith("finished in")), "?").strip())
        print(f"python Predict through the gateway: {python_calls[0]} answered, {python_calls[1]} failed")
        print("non-OK statuses counted by each process: " + ", ".join(f"{n} {not_ok(base + i)}" for i, n in enumerate(PROCESSES)))
    finally:
        for load in loads:
            if load.poll() is None:
                load.kill()
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)


if __name__ == "__main__":
    main()
