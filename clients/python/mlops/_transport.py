"""One channel to the gateway, the API key on every call, and errors raised as exceptions."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import grpc

from mlops.errors import from_rpc_error

Response = TypeVar("Response")


class Transport:
    """Calls the platform's services over one gRPC channel.

    The gateway (port 7000 by default) serves every service, so one channel is enough; the API
    key travels as ``authorization: Bearer <key>``, which is what the gateway checks.
    """

    def __init__(self, target: str, api_key: str | None, timeout: float, max_message_bytes: int) -> None:
        options = [
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
        ]
        self.channel = grpc.insecure_channel(target, options=options)
        self.metadata: tuple[tuple[str, str], ...] = (("authorization", f"Bearer {api_key}"),) if api_key else ()
        self.timeout = timeout

    def unary(self, method: Callable[..., Response], request: Any, timeout: float | None = None) -> Response:
        """One unary call; a failure raises the matching :class:`mlops.errors.MLOpsError`."""
        try:
            return method(request, metadata=self.metadata, timeout=timeout or self.timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    def client_stream(self, method: Callable[..., Response], requests: Iterable[Any], timeout: float | None = None) -> Response:
        """A client-streaming call fed from ``requests`` (a generator keeps memory flat)."""
        try:
            return method(iter(requests), metadata=self.metadata, timeout=timeout or self.timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None

    def server_stream(self, method: Callable[..., Iterable[Response]], request: Any, timeout: float | None = None) -> Iterator[Response]:
        """The answers of a server-streaming call as they arrive; ``timeout`` None means none.
        The call starts at once, before the first answer is asked for."""
        call: Any = method(request, metadata=self.metadata, timeout=timeout)
        return self._answers(call)

    @staticmethod
    def _answers(call: Any) -> Iterator[Response]:
        try:
            for answer in call:
                yield answer
        except grpc.RpcError as error:
            raise from_rpc_error(error) from None
        finally:
            call.cancel()  # a caller that stops iterating ends the call; harmless once it ended

    def close(self) -> None:
        """Closes the channel."""
        self.channel.close()
