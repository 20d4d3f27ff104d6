"""The feature server from Python, through the gateway: definitions applied by the CLI from a
file, rows pushed from a CSV, online reads with every status, a point-in-time join streamed
back, materialization and a consistency check; and acknowledged pushes surviving kill -9."""
import json
import os
import tempfile
import time

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from mlops.common.v1 import common_pb2
from mlops.features.v1 import features_pb2 as fpb, features_pb2_grpc

NOW = int(time.time())


def ts(seconds):
    t = Timestamp()
    t.FromMicroseconds(int(seconds * 1_000_000))
    return t


def key(driver):
    return {"driver_id": common_pb2.Value(int64_value=driver)}


def define(stub, view="trips", ttl=3600):
    stub.ApplyEntity(fpb.ApplyEntityRequest(entity=fpb.Entity(
        name="driver", join_key="driver_id", value_type=common_pb2.VALUE_TYPE_INT64)))
    stub.ApplyFeatureView(fpb.ApplyFeatureViewRequest(feature_view=fpb.FeatureView(
        name=view, entities=["driver"], ttl={"seconds": ttl},
        features=[fpb.Feature(name="count", type=common_pb2.VALUE_TYPE_INT64),
                  fpb.Feature(name="rate", type=common_pb2.VALUE_TYPE_DOUBLE),
                  fpb.Feature(name="hist", type=common_pb2.VALUE_TYPE_DOUBLE_LIST)])))


def row(driver, event, count=None, rate=None):
    features = {}
    if count is not None:
        features["count"] = common_pb2.Value(int64_value=count)
    if rate is not None:
        features["rate"] = common_pb2.Value(double_value=rate)
    return fpb.FeatureRow(entity_key=key(driver), event_time=ts(event), created_time=ts(event), features=features)


def test_push_read_join_materialize_and_check_through_the_gateway(platform):
    with platform.channel("gateway") as channel:
        stub = features_pb2_grpc.FeatureStoreServiceStub(channel)
        define(stub, "py_trips")
        written = stub.Push(fpb.PushRequest(feature_view="py_trips", rows=[
            row(1, NOW - 60, 10, 0.5), row(1, NOW - 120, 9, 0.4), row(2, NOW - 7200, 3, 0.1)]))
        assert (written.rows_written, written.rows_superseded) == (3, 1)
        online = stub.GetOnlineFeatures(fpb.GetOnlineFeaturesRequest(
            features=["py_trips:count", "py_trips:hist"],
            entity_rows=[common_pb2.Row(values=key(d)) for d in (1, 2, 3)]))
        statuses = [[v.status for v in r.values] for r in online.results]
        assert statuses == [[fpb.FEATURE_STATUS_PRESENT, fpb.FEATURE_STATUS_NULL_VALUE],
                            [fpb.FEATURE_STATUS_OUTSIDE_MAX_AGE] * 2, [fpb.FEATURE_STATUS_NOT_FOUND] * 2]
        assert online.results[0].values[0].value.int64_value == 10

        joined = []
        for message in stub.GetHistoricalFeatures(fpb.GetHistoricalFeaturesRequest(
                features=["py_trips:count"],
                entity_rows=[fpb.EntityTimestampRow(entity_key=key(1), event_time=ts(NOW - 90)),
                             fpb.EntityTimestampRow(entity_key=key(1), event_time=ts(NOW)),
                             fpb.EntityTimestampRow(entity_key=key(1), event_time=ts(NOW - 500))])):
            joined += message.rows
        values = {r.row_index: r.values[0] for r in joined}
        assert values[0].value.int64_value == 9 and values[1].value.int64_value == 10
        assert values[2].status == fpb.FEATURE_STATUS_NOT_FOUND

        stub.Push(fpb.PushRequest(feature_view="py_trips", rows=[row(5, NOW - 30, 50)], to=fpb.PUSH_TARGET_OFFLINE))
        result = stub.MaterializeIncremental(fpb.MaterializeIncrementalRequest(feature_views=["py_trips"], end_time=ts(NOW + 1)))
        assert result.results[0].rows_written == 1  # driver 5; the others are already online
        check = stub.CheckConsistency(fpb.CheckConsistencyRequest(feature_views=["py_trips"]))
        assert check.values_checked == 9 and not check.mismatches

        with pytest.raises(grpc.RpcError) as error:
            bad = row(1, NOW)
            bad.features["count"].CopyFrom(common_pb2.Value(string_value="x"))
            stub.Push(fpb.PushRequest(feature_view="py_trips", rows=[row(9, NOW, 1), bad]))
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "rows[1].features.count" in error.value.details()


def test_features_from_the_command_line(platform, tmp_path):
    definitions = tmp_path / "features.json"
    definitions.write_text(json.dumps({
        "entities": [{"name": "rider", "join_key": "rider_id", "value_type": "string"}],
        "feature_views": [{"name": "rider_stats", "entities": ["rider"], "ttl_seconds": 86400,
                           "features": [{"name": "trips", "type": "int64"}, {"name": "score", "type": "double"},
                                        {"name": "tags", "type": "string_list"}]}],
        "feature_services": [{"name": "rider_model", "features": ["rider_stats:trips", "rider_stats:score"]}]}))
    applied = platform.mlops("features", "apply", str(definitions))
    assert applied.returncode == 0, applied.stderr
    assert "feature view rider_stats v1" in applied.stdout
    again = platform.mlops("features", "apply", str(definitions))
    assert "(unchanged)" in again.stdout

    rows = tmp_path / "rows.csv"
    rows.write_text("rider_id,event_timestamp,trips,score,tags\n"
                    f"r1,{NOW - 10},4,0.5,\"[\"\"a\"\",\"\"b\"\"]\"\n"
                    f"r2,{NOW - 20},7,,[]\n")
    pushed = platform.mlops("features", "push", "rider_stats", str(rows))
    assert pushed.returncode == 0, pushed.stderr
    assert "2 rows written" in pushed.stdout

    got = platform.mlops("features", "get", "rider_stats:trips,rider_stats:score,rider_stats:tags",
                         "--entity", "rider_id=r1", "--entity", "rider_id=r2", "--entity", "rider_id=nobody")
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0] == "rider_id=r1" and "4" in lines[1] and "0.5" in lines[2] and "[\"a\", \"b\"]" in lines[3]
    assert "null" in lines[6] and "NOT_FOUND" in lines[9]

    listed = platform.mlops("features", "list")
    assert "rider_stats" in listed.stdout and "86400s" in listed.stdout
    materialized = platform.mlops("features", "materialize", "--views", "rider_stats")
    assert materialized.returncode == 0 and "rider_stats: 0 rows written" in materialized.stdout
    checked = platform.mlops("features", "check", "--views", "rider_stats")
    assert checked.returncode == 0 and "6 values checked, 0 mismatches" in checked.stdout

    # Bad data is a data error: exit 1 and one line naming the file, the line and the column
    # (or the key), never the usage text of a mistyped command.
    bad = tmp_path / "bad.csv"
    for content, says in [
        ("rider_id,event_timestamp,trips\nr3,now,1\n", "line 2, column event_timestamp"),
        ("rider_id,event_timestamp,trips\nr3,1700000000,many\n", "line 2, column trips: 'many'"),
        ("rider_id,event_timestamp,nonsense\nr3,1700000000,1\n", "column 'nonsense' is not a join key"),
    ]:
        bad.write_text(content)
        refused = platform.mlops("features", "push", "rider_stats", str(bad))
        assert refused.returncode == 1, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and str(bad) in lines[0] and says in lines[0] and "USAGE" not in refused.stderr, refused.stderr
    wrong_key = platform.mlops("features", "get", "rider_stats:trips", "--entity", "driver=r3")
    assert wrong_key.returncode == 1 and "--entity driver=r3" in wrong_key.stderr and "USAGE" not in wrong_key.stderr, wrong_key.stderr


def test_acknowledged_pushes_survive_kill_9():
    from conftest import BIN, free_base_port, serving
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-features-")
    port = free_base_port() + 3
    args = [os.path.join(BIN, "feature-server"), f"--port={port}", f"--data-dir={data_dir}"]
    with serving(args, port, kill=True):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = features_pb2_grpc.FeatureStoreServiceStub(channel)
            define(stub)
            for batch in range(10):
                stub.Push(fpb.PushRequest(feature_view="trips", rows=[row(batch * 100 + i, NOW - 5, batch, 1.0) for i in range(100)]))
    with serving(args, port):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = features_pb2_grpc.FeatureStoreServiceStub(channel)
            online = stub.GetOnlineFeatures(fpb.GetOnlineFeaturesRequest(
                features=["trips:count"], entity_rows=[common_pb2.Row(values=key(d)) for d in range(1000)]))
            assert [r.values[0].value.int64_value for r in online.results] == [d // 100 for d in range(1000)]
            check = stub.CheckConsistency(fpb.CheckConsistencyRequest())
            assert check.values_checked == 3000 and not check.mismatches


def test_help_examples_read_whole_at_80_columns(platform):
    """The examples in `features apply` and `features push` help survive the help's wrapping:
    the JSON parses and the CSV header is one line (they used to break mid-object)."""
    import subprocess
    from conftest import BIN
    environment = dict(os.environ, COLUMNS="80")
    apply_help = subprocess.run([os.path.join(BIN, "mlops"), "features", "apply", "--help"], capture_output=True, text=True,
                                env=environment).stdout
    example = apply_help.split("For example:\n", 1)[1].split("\n\n", 1)[0]
    assert set(json.loads(example)) == {"entities", "feature_views", "feature_services"}
    push_help = subprocess.run([os.path.join(BIN, "mlops"), "features", "push", "--help"], capture_output=True, text=True,
                               env=environment).stdout
    assert "\ndriver_id,event_timestamp,conv_rate,tags\n" in push_help
