"""Deployments: serve a registered model, predict, and roll out new versions as canaries."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from google.protobuf import duration_pb2

from mlops._transport import Transport
from mlops._values import from_value, records, to_row
from mlops.common.v1 import common_pb2
from mlops.serving.v1 import serving_pb2 as spb
from mlops.serving.v1 import serving_pb2_grpc

Rows: TypeAlias = pd.DataFrame | Sequence[Mapping[str, Any]] | Mapping[str, Any]


@dataclass(frozen=True)
class Prediction:
    """A Predict answer: the outputs (a row per input row) and who made them."""

    outputs: pd.DataFrame
    variant: str
    model_name: str
    model_version: int
    request_id: str
    cached: bool


def model_ref(model: str, version: int | None = None, alias: str | None = None) -> common_pb2.ModelRef:
    """A registered model by version or by alias (exactly one)."""
    if (version is None) == (alias is None):
        raise ValueError("name exactly one of version and alias")
    return common_pb2.ModelRef(model_name=model, version=version) if version is not None else common_pb2.ModelRef(model_name=model, alias=alias)


class Deployments:
    """``client.deployments``: the inference router's deployments."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._router = serving_pb2_grpc.InferenceRouterServiceStub(transport.channel)

    def create(
        self, name: str, model: str, version: int | None = None, alias: str | None = None, *,
        enrichment: Sequence[str] = (), refuse_missing_features: bool = False, monitor_sample_rate: float = 0.0,
        description: str = "",
    ) -> spb.Deployment:
        """Serves ``model`` (by version, or by alias: the deployment then follows the alias) as
        deployment ``name``. ``enrichment`` names online features (``"view:feature"``) fetched for
        each request's entity keys; ``monitor_sample_rate`` is the share of predictions sent to
        the deployment's monitors. Returns once the model is loaded and warm."""
        deployment = spb.Deployment(
            name=name, description=description, strategy=spb.STRATEGY_SINGLE, monitor_sample_rate=monitor_sample_rate,
            variants=[spb.Variant(name="main", role=spb.VARIANT_ROLE_PRIMARY, model=model_ref(model, version, alias))],
        )
        if enrichment:
            deployment.enrichment.CopyFrom(spb.FeatureEnrichment(features=list(enrichment), refuse_missing=refuse_missing_features))
        return self.create_from(deployment)

    def create_from(self, deployment: spb.Deployment) -> spb.Deployment:
        """Creates a deployment from its full message (A/B, shadows, routing, cache…)."""
        return self._transport.unary(self._router.CreateDeployment, spb.CreateDeploymentRequest(deployment=deployment), timeout=120).deployment

    def canary(
        self, name: str, model: str, version: int | None = None, alias: str | None = None, *,
        steps: Sequence[float] = (10, 50), interval: timedelta = timedelta(minutes=1), max_error_rate: float = 0.01,
        max_latency_p99_ms: float = 0.0, min_requests: int = 0, use_monitor_alerts: bool = True, failure_limit: int = 1,
    ) -> spb.Deployment:
        """Rolls ``model`` out as the canary of deployment ``name``: it takes ``steps`` percent of
        traffic in turn, each for ``interval``, promoted when every analysis passes and rolled
        back automatically after ``failure_limit`` failed ones (error rate, p99 latency, open
        monitor alerts)."""
        current = self.get(name)
        updated = spb.Deployment()
        updated.CopyFrom(current)
        updated.strategy = spb.STRATEGY_CANARY
        del updated.variants[:]
        updated.variants.extend(v for v in current.variants if v.role != spb.VARIANT_ROLE_CANARY)
        updated.variants.append(spb.Variant(name="canary", role=spb.VARIANT_ROLE_CANARY, model=model_ref(model, version, alias)))
        updated.canary.CopyFrom(spb.CanaryPolicy(
            step_weights=[float(s) for s in steps], interval=duration_pb2.Duration(seconds=int(interval.total_seconds())),
            failure_limit=failure_limit, auto_promote=True,
            analysis=spb.AnalysisCriteria(
                max_error_rate=max_error_rate, max_latency_p99_ms=max_latency_p99_ms, min_requests=min_requests,
                use_monitor_alerts=use_monitor_alerts),
        ))
        request = spb.UpdateDeploymentRequest(deployment=updated, expected_generation=current.generation)
        return self._transport.unary(self._router.UpdateDeployment, request, timeout=120).deployment

    def get(self, name: str) -> spb.Deployment:
        """A deployment as stored, with each variant's resolved version."""
        return self._transport.unary(self._router.GetDeployment, spb.GetDeploymentRequest(name=name)).deployment

    def list(self) -> list[spb.Deployment]:
        """Every deployment."""
        found: list[spb.Deployment] = []
        token = ""
        while True:
            answer = self._transport.unary(self._router.ListDeployments, spb.ListDeploymentsRequest(page=common_pb2.PageRequest(page_token=token)))
            found.extend(answer.deployments)
            token = answer.next_page_token
            if not token:
                return found

    def delete(self, name: str) -> None:
        """Stops serving and forgets the deployment."""
        self._transport.unary(self._router.DeleteDeployment, spb.DeleteDeploymentRequest(name=name))

    def predict(self, name: str, rows: Rows = (), *, entities: Sequence[Mapping[str, Any]] = (), routing_key: str = "") -> Prediction:
        """Runs the deployment on ``rows``: a DataFrame or dicts whose keys are the model's
        inputs (a cell may be a list or array for a tensor input such as ``X``), or a mapping of
        input name to a 2-D array (one row per line). ``entities`` gives each row's entity keys
        when the deployment enriches rows with online features. All rows run as one batch."""
        inputs = _input_rows(rows)
        count = max(len(inputs), len(entities))
        instances = [
            spb.PredictInstance(
                features=to_row(inputs[i]) if i < len(inputs) else {},
                entity_key=to_row(entities[i]) if i < len(entities) else {},
            )
            for i in range(count)
        ]
        answer = self._transport.unary(self._router.Predict, spb.PredictRequest(deployment=name, instances=instances, routing_key=routing_key))
        outputs = pd.DataFrame([{k: from_value(v) for k, v in row.values.items()} for row in answer.outputs])
        return Prediction(outputs, answer.variant, answer.model_name, answer.model_version, answer.request_id, answer.cached)

    def status(self, name: str) -> spb.RolloutStatus:
        """The rollout's phase, step, canary weight and each variant's analysis figures."""
        return self._transport.unary(self._router.GetRolloutStatus, spb.GetRolloutStatusRequest(deployment=name)).status

    def watch(self, name: str, timeout: float | None = None) -> Iterator[spb.RolloutStatus]:
        """Rollout statuses as they change (the current one first), until the caller stops."""
        for answer in self._transport.server_stream(self._router.WatchRollout, spb.WatchRolloutRequest(deployment=name), timeout=timeout):
            yield answer.status

    def promote(self, name: str, comment: str = "") -> spb.RolloutStatus:
        """Promotes the canary now, whatever step it is at: it takes all traffic and becomes the
        primary."""
        return self._transport.unary(self._router.Promote, spb.PromoteRequest(deployment=name, comment=comment)).status

    def rollback(self, name: str, reason: str = "") -> spb.RolloutStatus:
        """Sends all traffic back to the primary and drops the canary."""
        return self._transport.unary(self._router.Rollback, spb.RollbackRequest(deployment=name, reason=reason)).status


def _input_rows(rows: Rows) -> list[dict[str, Any]]:
    if isinstance(rows, Mapping):
        arrays = {name: np.asarray(value) for name, value in rows.items()}
        count = len(next(iter(arrays.values()))) if arrays else 0
        return [{name: array[i] for name, array in arrays.items()} for i in range(count)]
    return records(rows)
