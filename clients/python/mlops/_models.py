"""The model registry: register a model file, alias, review and stage its versions."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mlops._files import pieces, sha256_of, upload_progress
from mlops._transport import Transport
from mlops._values import value_type
from mlops.common.v1 import common_pb2
from mlops.errors import AlreadyExists
from mlops.registry.v1 import registry_pb2 as rpb
from mlops.registry.v1 import registry_pb2_grpc

# A column of a signature: ("float", [-1, 8]) or just "int64" for a scalar per row.
ColumnSpec = str | tuple[str, Sequence[int]]


def signature(inputs: Mapping[str, ColumnSpec], outputs: Mapping[str, ColumnSpec]) -> rpb.ModelSignature:
    """A model signature from ``{"X": ("float", [-1, 8])}``-style mappings of name to type (and
    shape): the registry checks it against the ONNX graph, the router checks requests by it."""
    return rpb.ModelSignature(inputs=_columns(inputs), outputs=_columns(outputs))


def _columns(spec: Mapping[str, ColumnSpec]) -> list[common_pb2.ColumnSchema]:
    columns = []
    for name, described in spec.items():
        kind, shape = (described, ()) if isinstance(described, str) else described
        columns.append(common_pb2.ColumnSchema(name=name, type=value_type(kind), shape=list(shape)))
    return columns


class Models:
    """``client.models``: registered models and their versions."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._registry = registry_pb2_grpc.RegistryServiceStub(transport.channel)

    def register(
        self,
        name: str,
        path: str | os.PathLike[str],
        *,
        run_id: str,
        signature: rpb.ModelSignature,
        format: str = "onnx",
        description: str = "",
        tags: Mapping[str, str] | None = None,
    ) -> rpb.ModelVersion:
        """Registers the model file at ``path`` as the next version of ``name`` (the model is
        created on first use), made by run ``run_id``; returns the version once its upload is
        verified (digest, signature against the graph) and it is READY."""
        self._ensure_model(name)
        request = rpb.CreateModelVersionRequest(
            name=name, run_id=run_id, format=format, signature=signature, description=description,
            tags=[common_pb2.Tag(key=k, value=v) for k, v in (tags or {}).items()],
        )
        version = self._transport.unary(self._registry.CreateModelVersion, request).model_version
        return self._upload(name, version.version, os.fspath(path))

    def _ensure_model(self, name: str) -> None:
        try:
            self._transport.unary(self._registry.CreateRegisteredModel, rpb.CreateRegisteredModelRequest(name=name))
        except AlreadyExists:
            pass

    def _upload(self, name: str, version: int, path: str) -> rpb.ModelVersion:
        size = os.path.getsize(path)
        digest = sha256_of(path)
        progress = upload_progress(size, f"upload {name} v{version}")

        def parts() -> Iterator[rpb.UploadModelArtifactRequest]:
            header = rpb.ModelArtifactHeader(name=name, version=version, expected_sha256=digest, size_bytes=size)
            yield rpb.UploadModelArtifactRequest(header=header)
            for chunk in pieces(path, progress):
                yield rpb.UploadModelArtifactRequest(chunk=chunk)

        try:
            return self._transport.client_stream(self._registry.UploadModelArtifact, parts(), timeout=None).model_version
        finally:
            progress.close()

    def get(self, name: str, version: int | None = None, alias: str | None = None) -> rpb.ModelVersion:
        """One version, by number or by alias (exactly one of them)."""
        if (version is None) == (alias is None):
            raise ValueError("name exactly one of version and alias")
        if alias is not None:
            request: Any = rpb.GetModelVersionByAliasRequest(name=name, alias=alias)
            return self._transport.unary(self._registry.GetModelVersionByAlias, request).model_version
        request = rpb.GetModelVersionRequest(name=name, version=version)
        return self._transport.unary(self._registry.GetModelVersion, request).model_version

    def versions(self, name: str) -> list[rpb.ModelVersion]:
        """Every version of ``name``, newest first."""
        found: list[rpb.ModelVersion] = []
        token = ""
        while True:
            request = rpb.SearchModelVersionsRequest(filter=f"name = '{_quoted(name)}'", page_token=token)
            answer = self._transport.unary(self._registry.SearchModelVersions, request)
            found.extend(answer.model_versions)
            token = answer.next_page_token
            if not token:
                return sorted(found, key=lambda v: -v.version)

    def alias(self, name: str, alias: str, version: int) -> None:
        """Points ``alias`` (``champion``) at ``version``; deployments that follow the alias move
        with it. Through the gateway this is checked against the deployment policy."""
        self._transport.unary(self._registry.SetAlias, rpb.SetAliasRequest(name=name, alias=alias, version=version))

    def review(self, name: str, version: int, approve: bool = True, comment: str = "") -> rpb.ModelVersion:
        """Records the caller's review of a version (approve or reject, with a comment)."""
        decision = rpb.REVIEW_DECISION_APPROVE if approve else rpb.REVIEW_DECISION_REJECT
        request = rpb.ReviewModelVersionRequest(name=name, version=version, decision=decision, comment=comment)
        return self._transport.unary(self._registry.ReviewModelVersion, request).model_version

    def stage(self, name: str, version: int, stage: str, archive_existing: bool = False, comment: str = "") -> rpb.ModelVersion:
        """Moves a version to ``stage`` (none, staging, production, archived)."""
        request = rpb.TransitionStageRequest(
            name=name, version=version, stage=rpb.Stage.Value("STAGE_" + stage.upper()),
            archive_existing_versions=archive_existing, comment=comment,
        )
        return self._transport.unary(self._registry.TransitionStage, request).model_version


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
