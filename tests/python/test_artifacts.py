"""Run artifacts from Python (grpcio through the gateway) and from `mlops artifacts`, plus
durability of an acknowledged upload across kill -9."""
import filecmp
import glob
import hashlib
import os
import tempfile

import grpc
import pytest

from conftest import BIN, free_base_port, serving
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc



def new_run(tracker, name):
    experiment_id = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name=name)).experiment.experiment_id
    return tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment_id)).run.info.run_id


def upload(tracker, run_id, path, data, chunk=1 << 16, **header):
    def messages():
        yield tracker_pb2.UploadArtifactRequest(header=tracker_pb2.ArtifactHeader(run_id=run_id, path=path, **header))
        for offset in range(0, len(data), chunk):
            yield tracker_pb2.UploadArtifactRequest(chunk=data[offset:offset + chunk])
    return tracker.UploadArtifact(messages()).file


def download(tracker, run_id, path):
    parts = list(tracker.DownloadArtifact(tracker_pb2.DownloadArtifactRequest(run_id=run_id, path=path)))
    assert parts[0].WhichOneof("part") == "info"
    return parts[0].info, b"".join(p.chunk for p in parts[1:])


def test_python_client_uploads_lists_and_downloads_through_the_gateway(platform):
    data = os.urandom(3_000_000)
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        run_id = new_run(tracker, "py-artifacts")
        stored = upload(tracker, run_id, "model/model.onnx", data, expected_sha256=hashlib.sha256(data).hexdigest())
        assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size_bytes == len(data)
        listed = tracker.ListArtifacts(tracker_pb2.ListArtifactsRequest(run_id=run_id, path="model"))
        assert [(f.path, f.size_bytes) for f in listed.files] == [("model/model.onnx", len(data))]
        info, body = download(tracker, run_id, "model/model.onnx")
        assert info == stored and body == data
        with pytest.raises(grpc.RpcError) as error:
            upload(tracker, run_id, "../outside", b"x")
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "header.path" in error.value.details()
        with pytest.raises(grpc.RpcError) as error:
            upload(tracker, run_id, "other.bin", data, expected_sha256=hashlib.sha256(b"else").hexdigest())
        assert error.value.code() == grpc.StatusCode.DATA_LOSS
        root = tracker.ListArtifacts(tracker_pb2.ListArtifactsRequest(run_id=run_id))
        assert [f.path for f in root.files] == ["model"]


def test_cli_uploads_a_directory_lists_it_and_downloads_it_identically(platform):
    source = tempfile.mkdtemp(prefix="mlops-art-src-")
    os.makedirs(os.path.join(source, "plots"))
    with open(os.path.join(source, "metrics.json"), "w") as f:
        f.write('{"auc": 0.91}')
    with open(os.path.join(source, "plots", "roc.png"), "wb") as f:
        f.write(os.urandom(2_500_000))
    with platform.channel("gateway") as channel:
        run_id = new_run(tracker_pb2_grpc.TrackerServiceStub(channel), "cli-artifacts")

    uploaded = platform.mlops("artifacts", "upload", run_id, source, "--path", "report")
    assert uploaded.returncode == 0, uploaded.stderr
    assert "report/plots/roc.png  2500000 bytes" in uploaded.stdout
    listed = platform.mlops("artifacts", "ls", run_id, "report")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["report/metrics.json", "report/plots/"]

    dest = tempfile.mkdtemp(prefix="mlops-art-dst-")
    downloaded = platform.mlops("artifacts", "download", run_id, "report", "--dest", dest)
    assert downloaded.returncode == 0, downloaded.stderr
    comparison = filecmp.dircmp(source, os.path.join(dest, "report"))
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    assert filecmp.cmp(os.path.join(source, "plots", "roc.png"), os.path.join(dest, "report", "plots", "roc.png"), shallow=False)

    os.symlink("/etc/hostname", os.path.join(source, "escape"))
    refused = platform.mlops("artifacts", "upload", run_id, source, "--path", "again")
    assert refused.returncode == 1 and "outside" in refused.stderr
    assert "again" not in platform.mlops("artifacts", "ls", run_id).stdout


def test_damage_past_the_first_mebibyte_ends_a_download_in_data_loss_and_the_cli_keeps_nothing(platform):
    data = os.urandom(2_500_000)
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        run_id = new_run(tracker, "damaged-artifact")
        info = upload(tracker, run_id, "model.bin", data, chunk=1 << 20)
        [blob] = glob.glob(os.path.join(platform.data_dir, "**", "sha256", info.sha256[:2], info.sha256), recursive=True)
        with open(blob, "r+b") as f:
            f.seek(2_200_000)
            byte = f.read(1)
            f.seek(2_200_000)
            f.write(bytes([byte[0] ^ 0xFF]))
        received = b""
        with pytest.raises(grpc.RpcError) as failure:
            for part in tracker.DownloadArtifact(tracker_pb2.DownloadArtifactRequest(run_id=run_id, path="model.bin")):
                received += part.chunk
        assert failure.value.code() == grpc.StatusCode.DATA_LOSS
        assert received == data[:2 << 20], "only the two intact mebibytes before the damage"

    dest = tempfile.mkdtemp(prefix="mlops-art-damaged-")
    downloaded = platform.mlops("artifacts", "download", run_id, "model.bin", "--dest", dest)
    assert downloaded.returncode != 0
    assert os.listdir(dest) == [], "neither the file nor its partial download stays"


def test_acknowledged_upload_survives_kill_9():
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-art-")
    port = free_base_port() + 1
    args = [os.path.join(BIN, "tracker"), f"--port={port}", f"--data-dir={data_dir}"]
    data = os.urandom(5_000_000)
    with serving(args, port, kill=True):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
            run_id = new_run(tracker, "kill9-artifacts")
            stored = [upload(tracker, run_id, f"ckpt/{i}.bin", data[i:] + bytes([i])) for i in range(5)]
    with serving(args, port):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
            for i, expected in enumerate(stored):
                info, body = download(tracker, run_id, f"ckpt/{i}.bin")
                assert info == expected and body == data[i:] + bytes([i])
