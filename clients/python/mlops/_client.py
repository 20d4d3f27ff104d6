"""``Client``: the one object a Python user creates."""
from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import pandas as pd

from mlops._deployments import Deployments
from mlops._features import Features
from mlops._models import Models
from mlops._monitoring import Monitoring
from mlops._tracking import Run, Tracking
from mlops._transport import Transport
from mlops.gateway.v1 import gateway_pb2 as gpb
from mlops.gateway.v1 import gateway_pb2_grpc
from mlops.tracker.v1 import tracker_pb2 as tpb


class Client:
    """The platform, reached through its gateway.

    ``Client("127.0.0.1:7000", api_key=...)``; without arguments it reads ``MLOPS_HOST`` and
    ``MLOPS_BASE_PORT`` (as the ``mlops`` CLI does) and ``MLOPS_API_KEY``. Areas hang off it:
    ``client.models``, ``client.features``, ``client.deployments``, ``client.monitor``; runs
    start with ``client.start_run``. Every failed call raises an :mod:`mlops.errors` exception.
    """

    def __init__(
        self, target: str | None = None, api_key: str | None = None, *, timeout: float = 30.0,
        max_message_bytes: int = 64 << 20,
    ) -> None:
        if target is None:
            target = f"{os.environ.get('MLOPS_HOST', '127.0.0.1')}:{os.environ.get('MLOPS_BASE_PORT', '7000')}"
        self._transport = Transport(target, api_key if api_key is not None else os.environ.get("MLOPS_API_KEY"), timeout, max_message_bytes)
        self._tracking = Tracking(self._transport)
        self.models = Models(self._transport)
        self.features = Features(self._transport)
        self.deployments = Deployments(self._transport)
        self.monitor = Monitoring(self._transport)
        self._gateway = gateway_pb2_grpc.GatewayServiceStub(self._transport.channel)

    def start_run(self, experiment: str, run_name: str = "", tags: Mapping[str, Any] | None = None) -> Run:
        """Starts a run in ``experiment`` (created on first use). Use it in a ``with`` block:
        the run ends FINISHED, or FAILED when the block raises."""
        return self._tracking.start_run(experiment, run_name, tags)

    def get_run(self, run_id: str) -> tpb.Run:
        """A run with its params, latest metrics and tags."""
        return self._tracking.get_run(run_id)

    def search_runs(self, experiment: str, filter: str = "", order_by: list[str] | None = None, max_results: int = 1000) -> pd.DataFrame:
        """Runs matching an MLflow-style filter, one DataFrame row each."""
        return self._tracking.search_runs(experiment, filter, order_by, max_results)

    def metric_history(self, run_id: str, key: str) -> pd.DataFrame:
        """Every logged value of one metric of a run."""
        return self._tracking.metric_history(run_id, key)

    def status(self) -> dict[str, str]:
        """Each process's health as the gateway sees it (``{"tracker": "SERVING", …}``): the
        first thing to check when calls fail with ``Unavailable``."""
        answer = self._transport.unary(self._gateway.GetPlatformStatus, gpb.GetPlatformStatusRequest())
        return {service.name: service.status for service in answer.services}

    def lineage(self, deployment: str) -> gpb.GetModelLineageResponse:
        """Where a deployment's models came from (versions, stages, runs with their params and
        metrics, feature views) and which monitors watch it."""
        return self._transport.unary(self._gateway.GetModelLineage, gpb.GetModelLineageRequest(deployment=deployment))

    def close(self) -> None:
        """Closes the connection."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()
