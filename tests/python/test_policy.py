"""Deployment policy at the gateway: a deployment whose version is not staged, reviewed, watched
or good enough is refused with every violated rule; the same deployment passes once the version
is approved and staged and a monitor watches it; switching its primary directly is refused when
the policy asks for canaries; every decision is in the gateway's audit."""
import hashlib
import os

import grpc
import pytest

from mlops.common.v1 import common_pb2
from mlops.gateway.v1 import gateway_pb2 as gpb, gateway_pb2_grpc
from mlops.monitor.v1 import monitor_pb2 as mpb, monitor_pb2_grpc
from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
from mlops.serving.v1 import serving_pb2 as spb, serving_pb2_grpc
from mlops.tracker.v1 import tracker_pb2 as tpb, tracker_pb2_grpc
from test_registry import upload

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsRuntimeTests", "Fixtures")
SIGNATURE = rpb.ModelSignature(
    inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 8])],
    outputs=[common_pb2.ColumnSchema(name="output_label", type=common_pb2.VALUE_TYPE_INT64)])


def register(channel, model, fixture, auc):
    tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
    registry = registry_pb2_grpc.RegistryServiceStub(channel)
    experiment = tracker.CreateExperiment(tpb.CreateExperimentRequest(name=f"{model}-{auc}")).experiment.experiment_id
    run_id = tracker.CreateRun(tpb.CreateRunRequest(experiment_id=experiment)).run.info.run_id
    tracker.LogMetric(tpb.LogMetricRequest(run_id=run_id, key="auc", value=auc, step=1))
    version = registry.CreateModelVersion(rpb.CreateModelVersionRequest(
        name=model, run_id=run_id, format="onnx", signature=SIGNATURE)).model_version.version
    data = open(os.path.join(FIXTURES, fixture), "rb").read()
    assert upload(registry, model, version, data).status == rpb.MODEL_VERSION_STATUS_READY
    return version


def deployment(name, model, version):
    return spb.Deployment(name=name, variants=[spb.Variant(
        name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name=model, version=version))])


def violations(error):
    details = dict(error.trailing_metadata() or ())
    parsed = common_pb2.ErrorDetails()
    parsed.ParseFromString(details["mlops-error-details-bin"])
    return {v.field for v in parsed.violations}


def test_a_refused_deployment_lists_every_violated_rule_and_passes_once_the_version_qualifies(platform):
    deployer = platform.key_for("release-bot", "deployer")
    with platform.channel("gateway") as admin:
        registry_pb2_grpc.RegistryServiceStub(admin).CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="policy-churn"))
        good = register(admin, "policy-churn", "logreg_binary.onnx", 0.93)
        weak = register(admin, "policy-churn", "decision_tree_classifier.onnx", 0.61)
        policy = gpb.Policy(
            scope="policy-prod", required_stage="Production", required_approvals=1, require_signature=True,
            metric_thresholds=[gpb.MetricThreshold(metric="auc", op=">=", value=0.9)], require_reference_profile=True,
            require_canary=True, max_canary_step=25)
        stored = gateway_pb2_grpc.GatewayServiceStub(admin).SetPolicy(gpb.SetPolicyRequest(policy=policy)).policy
        assert stored.updated_by == "admin" and stored.required_approvals == 1

    with platform.channel("gateway", key=deployer) as channel:
        router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
        gateway = gateway_pb2_grpc.GatewayServiceStub(channel)
        with pytest.raises(grpc.RpcError) as error:
            router.CreateDeployment(spb.CreateDeploymentRequest(deployment=deployment("policy-prod", "policy-churn", weak)))
        assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert violations(error.value) == {"required_stage", "required_approvals", "metric_thresholds[0]", "require_reference_profile"}
        assert "needs >= 0.9" in error.value.details() and "0 of 1 approvals" in error.value.details()
        dry = gateway.EvaluatePolicy(gpb.EvaluatePolicyRequest(
            action=gpb.POLICY_ACTION_CREATE_DEPLOYMENT, deployment="policy-prod",
            model=common_pb2.ModelRef(model_name="policy-churn", version=good)))
        assert not dry.allowed and dry.policy_scope == "policy-prod"
        outcome = {o.rule: o.passed for o in dry.outcomes}
        assert outcome == {"required_stage": False, "required_approvals": False, "require_signature": True,
                           "metric_thresholds[0]": True, "require_reference_profile": False}
        with pytest.raises(grpc.RpcError) as error:
            router.GetDeployment(spb.GetDeploymentRequest(name="policy-prod"))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND, "a refused deployment was not created"

    # Approve and stage the good version, watch the deployment: now it passes.
    with platform.channel("gateway", key=platform.key_for("reviewer-ana", "editor")) as channel:
        registry_pb2_grpc.RegistryServiceStub(channel).ReviewModelVersion(rpb.ReviewModelVersionRequest(
            name="policy-churn", version=good, decision=rpb.REVIEW_DECISION_APPROVE, comment="holdout ok"))
    with platform.channel("gateway", key=deployer) as channel:
        registry_pb2_grpc.RegistryServiceStub(channel).TransitionStage(rpb.TransitionStageRequest(
            name="policy-churn", version=good, stage=rpb.STAGE_PRODUCTION))
        monitors = monitor_pb2_grpc.MonitorServiceStub(channel)
    with platform.channel("gateway") as channel:
        monitors = monitor_pb2_grpc.MonitorServiceStub(channel)
        monitors.CreateMonitor(mpb.CreateMonitorRequest(monitor=mpb.Monitor(
            name="policy-watch", deployment="policy-prod", window=mpb.WindowSpec(size=100),
            columns=[mpb.MonitoredColumn(name="X_0", kind=mpb.COLUMN_KIND_NUMERICAL)])))

        def rows():
            yield mpb.SetReferenceRequest(header=mpb.ReferenceHeader(monitor="policy-watch"))
            yield mpb.SetReferenceRequest(rows=mpb.ReferenceRows(rows=[
                common_pb2.Row(values={"X_0": common_pb2.Value(double_value=float(i))}) for i in range(200)]))
        monitors.SetReference(rows())
    with platform.channel("gateway", key=deployer) as channel:
        router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
        created = router.CreateDeployment(spb.CreateDeploymentRequest(deployment=deployment("policy-prod", "policy-churn", good)))
        assert created.deployment.generation == 1
        # Switching the primary directly is refused: the policy asks for a canary.
        with pytest.raises(grpc.RpcError) as error:
            router.UpdateDeployment(spb.UpdateDeploymentRequest(deployment=deployment("policy-prod", "policy-churn", weak)))
        assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "require_canary" in violations(error.value)
        # A canary with a step above 25% is refused too (and its weak version still fails).
        proposal = deployment("policy-prod", "policy-churn", good)
        proposal.strategy = spb.STRATEGY_CANARY
        proposal.variants.append(spb.Variant(name="next", role=spb.VARIANT_ROLE_CANARY,
                                             model=common_pb2.ModelRef(model_name="policy-churn", version=good)))
        proposal.canary.CopyFrom(spb.CanaryPolicy(step_weights=[10, 50], failure_limit=1))
        with pytest.raises(grpc.RpcError) as error:
            router.UpdateDeployment(spb.UpdateDeploymentRequest(deployment=proposal))
        assert violations(error.value) == {"max_canary_step"}

    with platform.channel("gateway") as channel:
        events = gateway_pb2_grpc.GatewayServiceStub(channel).ListAuditEvents(
            gpb.ListAuditEventsRequest(deployment="policy-prod")).events
    decisions = [(e.method.split("/")[1], e.code, e.actor) for e in events]
    assert decisions == [("CreateDeployment", "REFUSED", "release-bot"), ("CreateDeployment", "ALLOWED", "release-bot"),
                         ("UpdateDeployment", "REFUSED", "release-bot"), ("UpdateDeployment", "REFUSED", "release-bot")]
    assert "FAIL required_stage" in events[0].detail and "pass require_signature" in events[0].detail


def test_policies_need_an_admin_and_name_bad_fields(platform):
    with platform.channel("gateway", key=platform.key_for("policy-viewer", "viewer")) as channel:
        with pytest.raises(grpc.RpcError) as error:
            gateway_pb2_grpc.GatewayServiceStub(channel).SetPolicy(gpb.SetPolicyRequest(policy=gpb.Policy(scope="x")))
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED and "admin" in error.value.details()
    with platform.channel("gateway") as channel:
        gateway = gateway_pb2_grpc.GatewayServiceStub(channel)
        for policy, field in [(gpb.Policy(scope=""), "policy.scope"),
                              (gpb.Policy(scope="x", required_stage="Prod"), "policy.required_stage"),
                              (gpb.Policy(scope="x", metric_thresholds=[gpb.MetricThreshold(metric="auc", op="!=")]), "policy.metric_thresholds[0].op"),
                              (gpb.Policy(scope="x", max_canary_step=120), "policy.max_canary_step")]:
            with pytest.raises(grpc.RpcError) as error:
                gateway.SetPolicy(gpb.SetPolicyRequest(policy=policy))
            assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field in error.value.details()
        with pytest.raises(grpc.RpcError) as error:
            gateway.GetPolicy(gpb.GetPolicyRequest(scope="never-set"))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_lineage_of_a_deployment_comes_from_four_live_services(platform):
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        registry = registry_pb2_grpc.RegistryServiceStub(channel)
        experiment = tracker.CreateExperiment(tpb.CreateExperimentRequest(name="lineage-e")).experiment.experiment_id
        run_id = tracker.CreateRun(tpb.CreateRunRequest(experiment_id=experiment)).run.info.run_id
        tracker.LogBatch(tpb.LogBatchRequest(
            run_id=run_id, metrics=[tpb.Metric(key="auc", value=0.91, step=1)], params=[tpb.Param(key="C", value="0.5")]))
        tracker.LogInputs(tpb.LogInputsRequest(run_id=run_id, datasets=[tpb.DatasetInput(
            dataset=tpb.Dataset(name="churn-2026-11", digest="d41d8", source="s3://data/churn.parquet"), context="training")]))
        registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="lineage-model"))
        version = registry.CreateModelVersion(rpb.CreateModelVersionRequest(
            name="lineage-model", run_id=run_id, format="onnx", signature=SIGNATURE)).model_version.version
        data = open(os.path.join(FIXTURES, "logreg_binary.onnx"), "rb").read()
        ready = upload(registry, "lineage-model", version, data)
        registry.SetAlias(rpb.SetAliasRequest(name="lineage-model", alias="champion", version=version))
        proposal = spb.Deployment(name="lineage-d", variants=[spb.Variant(
            name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name="lineage-model", alias="champion"))],
            enrichment=spb.FeatureEnrichment(features=["customer_stats:X", "customer_stats:tenure"]))
        serving_pb2_grpc.InferenceRouterServiceStub(channel).CreateDeployment(spb.CreateDeploymentRequest(deployment=proposal))
        monitor_pb2_grpc.MonitorServiceStub(channel).CreateMonitor(mpb.CreateMonitorRequest(monitor=mpb.Monitor(
            name="lineage-watch", deployment="lineage-d", window=mpb.WindowSpec(size=100),
            columns=[mpb.MonitoredColumn(name="X_0", kind=mpb.COLUMN_KIND_NUMERICAL)])))
        gateway = gateway_pb2_grpc.GatewayServiceStub(channel)
        lineage = gateway.GetModelLineage(gpb.GetModelLineageRequest(deployment="lineage-d"))
        with pytest.raises(grpc.RpcError) as error:
            gateway.GetModelLineage(gpb.GetModelLineageRequest(deployment="nope"))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND and "'nope'" in error.value.details()
    assert lineage.deployment == "lineage-d" and len(lineage.variants) == 1
    main = lineage.variants[0]
    assert (main.variant, main.role, main.model_name, main.model_version) == ("main", "primary", "lineage-model", version)
    assert main.content_digest == ready.content_digest == hashlib.sha256(data).hexdigest() and main.stage == "None"
    assert main.run_id == run_id and main.experiment_id == experiment
    assert dict(main.run_metrics) == {"auc": 0.91} and dict(main.run_params) == {"C": "0.5"}
    assert [(d.name, d.digest, d.source, d.context) for d in main.datasets] == [
        ("churn-2026-11", "d41d8", "s3://data/churn.parquet", "training")]
    assert list(main.feature_views) == ["customer_stats"]
    assert [(m.monitor, m.has_reference, m.open_alerts) for m in lineage.monitors] == [("lineage-watch", False, 0)]
    printed = platform.mlops("lineage", "lineage-d")
    assert printed.returncode == 0, printed.stderr
    assert "variant main (primary): lineage-model version" in printed.stdout and "dataset churn-2026-11 (training)" in printed.stdout


def test_policy_and_lineage_from_the_command_line(platform):
    stored = platform.mlops("policy", "set", "cli-policy", "--stage", "Production", "--approvals", "2",
                            "--threshold", "auc>=0.8", "--require-canary")
    assert stored.returncode == 0, stored.stderr
    assert "required approvals: 2" in stored.stdout and "run metric: auc >= 0.8" in stored.stdout
    shown = platform.mlops("policy", "show", "cli-policy")
    assert "required stage: Production" in shown.stdout and "only through a canary" in shown.stdout
    with platform.channel("gateway") as channel:
        registry_pb2_grpc.RegistryServiceStub(channel).CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="policy-cli-model"))
        version = register(channel, "policy-cli-model", "logreg_binary.onnx", 0.85)
    checked = platform.mlops("policy", "check", "cli-policy", "--model", f"policy-cli-model@{version}")
    assert checked.returncode == 1, checked.stderr
    assert "FAIL  required_stage" in checked.stdout and "FAIL  required_approvals" in checked.stdout
    assert "pass  metric_thresholds[0]" in checked.stdout
    free = platform.mlops("policy", "check", "no-policy-here", "--model", f"policy-cli-model@{version}")
    assert free.returncode == 0 and "no policy applies" in free.stdout, free.stdout
