"""The gateway decides who may do what: API keys with roles, checked on every call of every
service from Python, the caller's identity set from the key, and secrets kept out of logs,
listings and the database."""
import glob
import os

import grpc
import pytest

from mlops.features.v1 import features_pb2 as fpb, features_pb2_grpc
from mlops.gateway.v1 import gateway_pb2 as gpb, gateway_pb2_grpc
from mlops.monitor.v1 import monitor_pb2 as mpb, monitor_pb2_grpc
from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
from mlops.serving.v1 import serving_pb2 as spb, serving_pb2_grpc
from mlops.tracker.v1 import tracker_pb2 as tpb, tracker_pb2_grpc

ROLES = ["viewer", "editor", "deployer", "admin"]

# One read and one write of every service: (service, needed role, call). A call the role may make
# answers anything but UNAUTHENTICATED or PERMISSION_DENIED (the request itself may be refused).
CALLS = [
    ("tracker read", "viewer", lambda ch: tracker_pb2_grpc.TrackerServiceStub(ch).SearchExperiments(tpb.SearchExperimentsRequest())),
    ("tracker write", "editor", lambda ch: tracker_pb2_grpc.TrackerServiceStub(ch).CreateExperiment(tpb.CreateExperimentRequest(name=""))),
    ("registry read", "viewer", lambda ch: registry_pb2_grpc.RegistryServiceStub(ch).SearchRegisteredModels(rpb.SearchRegisteredModelsRequest())),
    ("registry write", "editor", lambda ch: registry_pb2_grpc.RegistryServiceStub(ch).CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name=""))),
    ("registry alias", "deployer", lambda ch: registry_pb2_grpc.RegistryServiceStub(ch).SetAlias(rpb.SetAliasRequest(name="", alias="a", version=1))),
    ("features read", "viewer", lambda ch: features_pb2_grpc.FeatureStoreServiceStub(ch).ListFeatureViews(fpb.ListFeatureViewsRequest())),
    ("features write", "editor", lambda ch: features_pb2_grpc.FeatureStoreServiceStub(ch).ApplyEntity(fpb.ApplyEntityRequest())),
    ("router read", "viewer", lambda ch: serving_pb2_grpc.InferenceRouterServiceStub(ch).ListDeployments(spb.ListDeploymentsRequest())),
    ("router write", "deployer", lambda ch: serving_pb2_grpc.InferenceRouterServiceStub(ch).CreateDeployment(spb.CreateDeploymentRequest())),
    ("monitor read", "viewer", lambda ch: monitor_pb2_grpc.MonitorServiceStub(ch).ListMonitors(mpb.ListMonitorsRequest())),
    ("monitor write", "editor", lambda ch: monitor_pb2_grpc.MonitorServiceStub(ch).CreateMonitor(mpb.CreateMonitorRequest())),
    ("gateway read", "viewer", lambda ch: gateway_pb2_grpc.GatewayServiceStub(ch).GetPlatformStatus(gpb.GetPlatformStatusRequest())),
    ("gateway write", "admin", lambda ch: gateway_pb2_grpc.GatewayServiceStub(ch).ListApiKeys(gpb.ListApiKeysRequest())),
]


def outcome(channel, call):
    try:
        call(channel)
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as error:
        return error.code(), error.details()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_make_exactly_the_calls_of_its_level(platform, role):
    key = platform.key_for(f"matrix-{role}", role)
    with platform.channel("gateway", key=key) as channel:
        for name, needed, call in CALLS:
            code, details = outcome(channel, call)
            if ROLES.index(role) >= ROLES.index(needed):
                assert code not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED), (name, code, details)
            else:
                assert code == grpc.StatusCode.PERMISSION_DENIED and f"needs the {needed} role" in details, (name, code, details)


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer mlk_000000000000_" + "x" * 43])
def test_calls_without_a_valid_key_are_unauthenticated(platform, header):
    with platform.bare_channel("gateway") as channel:
        metadata = [("authorization", header)] if header else None
        with pytest.raises(grpc.RpcError) as error:
            tracker_pb2_grpc.TrackerServiceStub(channel).SearchExperiments(tpb.SearchExperimentsRequest(), metadata=metadata)
        assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED and "authorization" in error.value.details()


def test_keys_from_the_command_line_and_revocation_at_the_next_call(platform):
    created = platform.mlops("keys", "create", "ci-bot", "--role", "editor")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("mlk_") and "ci-bot" in created.stderr
    listed = platform.mlops("keys", "list")
    assert "ci-bot" in listed.stdout and secret not in listed.stdout and "editor" in listed.stdout
    key_id = next(line.split()[0] for line in listed.stdout.splitlines() if "ci-bot" in line)
    with platform.channel("gateway", key=secret) as channel:
        tracker_pb2_grpc.TrackerServiceStub(channel).CreateExperiment(tpb.CreateExperimentRequest(name="by-ci-bot"))
    assert platform.mlops("keys", "revoke", key_id).returncode == 0
    with platform.channel("gateway", key=secret) as channel:
        code, details = outcome(channel, lambda ch: tracker_pb2_grpc.TrackerServiceStub(ch).SearchExperiments(tpb.SearchExperimentsRequest()))
    assert code == grpc.StatusCode.UNAUTHENTICATED and "revoked" in details
    refused = platform.mlops("keys", "list", key=platform.key_for("just-a-viewer", "viewer"))
    assert refused.returncode != 0 and "needs the admin role" in refused.stderr


def test_no_secret_reaches_a_log_a_listing_or_the_database(platform):
    secret = platform.key_for("secret-keeper", "editor")
    with platform.channel("gateway", key=secret) as channel:
        tracker_pb2_grpc.TrackerServiceStub(channel).SearchExperiments(tpb.SearchExperimentsRequest())
    with platform.channel("gateway") as channel:
        listed = gateway_pb2_grpc.GatewayServiceStub(channel).ListApiKeys(gpb.ListApiKeysRequest(include_revoked=True))
    assert secret not in str(listed) and platform.key not in str(listed)
    files = [f for f in glob.glob(os.path.join(platform.data_dir, "**", "*"), recursive=True)
             if os.path.isfile(f) and not f.endswith("admin.key")]
    assert files, "the platform's data dir holds files"
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        assert secret.encode() not in data and platform.key.encode() not in data, path
