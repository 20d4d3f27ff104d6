"""`mlops experiments|runs` against a real platform (through the gateway), as a user types them."""
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc



def test_experiments_and_runs_from_the_command_line(platform):
    created = platform.mlops("experiments", "create", "cli-exp", "--description", "from the CLI")
    assert created.returncode == 0, created.stderr
    experiment_id = created.stdout.strip()
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment_id, run_name="cli-run")).run.info.run_id
        tracker.LogBatch(tracker_pb2.LogBatchRequest(
            run_id=run_id, params=[tracker_pb2.Param(key="lr", value="0.1")],
            metrics=[tracker_pb2.Metric(key="loss", value=1.0 / (s + 1), step=s) for s in range(5)]))
        tracker.UpdateRun(tracker_pb2.UpdateRunRequest(run_id=run_id, status=tracker_pb2.RUN_STATUS_FINISHED))

    listed = platform.mlops("runs", "list", "--experiment", "cli-exp", "--filter", "metrics.loss < 0.5 AND params.lr = '0.1'")
    assert listed.returncode == 0, listed.stderr
    assert run_id in listed.stdout and "FINISHED" in listed.stdout
    shown = platform.mlops("runs", "show", run_id)
    assert "lr = 0.1" in shown.stdout and "loss = 0.2 (step 4)" in shown.stdout
    # Finished without an end time, no source or environment recorded: said, not left blank.
    assert "end time not recorded" in shown.stdout and "ended -" not in shown.stdout
    assert "source:" not in shown.stdout and "environment:" not in shown.stdout
    assert "mlflow.runName = cli-run" in shown.stdout
    tailed = platform.mlops("runs", "tail", run_id)
    assert tailed.returncode == 0, tailed.stderr
    assert [line.split()[1] for line in tailed.stdout.splitlines()] == ["0", "1", "2", "3", "4"]

    bad = platform.mlops("runs", "list", "--experiment", experiment_id, "--filter", "metrics.loss >")
    assert bad.returncode == 1 and "position 15" in bad.stderr

    assert "cli-exp" in platform.mlops("experiments", "list").stdout
    assert platform.mlops("experiments", "delete", "cli-exp").returncode == 0
    assert "cli-exp" not in platform.mlops("experiments", "list").stdout
    assert "deleted" in platform.mlops("experiments", "list", "--all").stdout


def test_a_run_from_a_shell_pipeline_create_log_end(platform):
    assert platform.mlops("experiments", "create", "cli-pipeline").returncode == 0
    created = platform.mlops("runs", "create", "--experiment", "cli-pipeline", "--name", "nightly", "--tag", "team=ml")
    assert created.returncode == 0, created.stderr
    run_id = created.stdout.strip()
    assert len(run_id) == 32
    logged = platform.mlops("runs", "log", run_id, "--param", "lr=0.1", "--metric", "loss=0.5@1", "--metric", "loss=0.25@2",
                            "--tag", "stage=dev")
    assert logged.returncode == 0 and "2 metrics" in logged.stdout, logged.stderr
    ended = platform.mlops("runs", "end", run_id, "--status", "failed")
    assert ended.returncode == 0 and "FAILED" in ended.stdout, ended.stderr

    with platform.channel("gateway") as channel:
        run = tracker_pb2_grpc.TrackerServiceStub(channel).GetRun(tracker_pb2.GetRunRequest(run_id=run_id)).run
    assert run.info.run_name == "nightly" and run.info.status == tracker_pb2.RUN_STATUS_FAILED and run.info.HasField("end_time")
    assert [(p.key, p.value) for p in run.data.params] == [("lr", "0.1")]
    assert [(m.key, m.value, m.step) for m in run.data.metrics] == [("loss", 0.25, 2)]
    assert {t.key: t.value for t in run.data.tags}["team"] == "ml"

    bad = platform.mlops("runs", "log", run_id, "--metric", "loss=high")
    assert bad.returncode == 2 and "loss=high" in bad.stderr
