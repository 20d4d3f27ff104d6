"""Errors the platform answers with, as Python exceptions.

Every failed call raises a subclass of :class:`MLOpsError` chosen by its gRPC status, so callers
can ``except NotFound`` instead of comparing status codes. The platform's structured details
(``mlops-error-details-bin``: a reason, the fields that were wrong and why, the policy rules a
change broke) are parsed onto the exception, because a message alone is hard to act on in code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import grpc

from mlops.common.v1 import common_pb2

DETAILS_KEY = "mlops-error-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    """One wrong field of a request: its path (``deployment.variants[0].model``) and why."""

    field: str
    description: str


@dataclass(eq=False)
class MLOpsError(Exception):
    """A call the platform refused or could not answer.

    ``violations`` names every wrong field; ``violated_rules`` the deployment-policy rules a
    change broke; ``reason`` is a stable machine-readable code when the service gives one.
    """

    code: grpc.StatusCode
    message: str
    reason: str = ""
    violations: list[FieldViolation] = field(default_factory=list)
    violated_rules: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.message}"
        if self.violations:
            text += " (" + "; ".join(f"{v.field}: {v.description}" for v in self.violations) + ")"
        if self.violated_rules:
            text += " [rules: " + ", ".join(self.violated_rules) + "]"
        return text


class InvalidArgument(MLOpsError):
    """The request itself is wrong; see ``violations`` for the fields."""


class NotFound(MLOpsError):
    """What the request names does not exist."""


class AlreadyExists(MLOpsError):
    """A create named something that exists."""


class FailedPrecondition(MLOpsError):
    """The request is well formed but the platform's state refuses it (a policy, a stage rule)."""


class PermissionDenied(MLOpsError):
    """The API key's role may not make this call."""


class Unauthenticated(MLOpsError):
    """No API key, or one the gateway does not know."""


class Unavailable(MLOpsError):
    """A service (or a peer it needs) is not reachable; retrying later may work."""


class ResourceExhausted(MLOpsError):
    """A limit was reached (a message too large, a quota)."""


class Aborted(MLOpsError):
    """A concurrent change won (an expected generation no longer matches); reread and retry."""


class DeadlineExceeded(MLOpsError):
    """The call did not finish within its timeout."""


_BY_CODE: dict[grpc.StatusCode, type[MLOpsError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.ABORTED: Aborted,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
}


def from_rpc_error(error: grpc.RpcError) -> MLOpsError:
    """The exception for a failed gRPC call, with the platform's error details parsed."""
    call: Any = error
    code = call.code() if hasattr(call, "code") else grpc.StatusCode.UNKNOWN
    message = (call.details() if hasattr(call, "details") else None) or str(error)
    details = common_pb2.ErrorDetails()
    trailers = call.trailing_metadata() if hasattr(call, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == DETAILS_KEY and isinstance(value, bytes):
            details.ParseFromString(value)
    kind = _BY_CODE.get(code, MLOpsError)
    return kind(
        code=code,
        message=message,
        reason=details.reason,
        violations=[FieldViolation(v.field, v.description) for v in details.violations],
        violated_rules=list(details.violated_rules),
    )
