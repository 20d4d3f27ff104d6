"""Python client for the MLOps platform.

>>> from mlops import Client
>>> client = Client("127.0.0.1:7000", api_key=open("data/gateway/admin.key").read().strip())
>>> with client.start_run("churn") as run:
...     run.log_params({"depth": 8})
...     run.log_metrics({"auc": 0.91}, step=1)

The generated protobuf modules live beside it (``mlops.tracker.v1.tracker_pb2``…) for anything
the client does not wrap.
"""
from mlops._client import Client
from mlops._deployments import Prediction, model_ref
from mlops._models import signature
from mlops._tracking import Run
from mlops.errors import (
    AlreadyExists,
    DeadlineExceeded,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    MLOpsError,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)

__all__ = [
    "AlreadyExists", "Client", "DeadlineExceeded", "FailedPrecondition", "FieldViolation", "InvalidArgument",
    "MLOpsError", "NotFound", "PermissionDenied", "Prediction", "ResourceExhausted", "Run", "Unauthenticated",
    "Unavailable", "model_ref", "signature",
]
