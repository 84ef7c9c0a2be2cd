"""A bounded load on ``gigpolicy serve``: the request mix, the server, and the clients that send it.

Shared by the load test (``tests/test_serve_load.py``, a few hundred requests, checked for their
answers) and the load benchmark (``benchmarks/serve_load.py``, thousands, timed), so both send the
very same requests to the very same server.

The mix is one request of each kind in :data:`MIX`, in turn: good questions about the motivating
case, the read-only addresses, and malformed or refused requests, each with the one status the
server must answer. The server is uvicorn running :func:`gigpolicy.serve.create_app` on
127.0.0.1, on a listening socket bound beforehand, so its port is known before it starts and no
other process can take it in between.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import attrs
import httpx2
import uvicorn

from gigpolicy.serve import create_app

HOST: Final = "127.0.0.1"
MAX_BODY: Final = 64 * 1024
"""The server's body limit under load: small, so a refused body is cheap to send."""
START_SECONDS: Final = 30.0
"""How long the server may take to start, or to stop, before the load gives up on it."""
REQUEST_SECONDS: Final = 30.0
"""A client's limit per request: longer than the server's own ``TIME_LIMIT``, so a slow request
shows as the server's 503, not as a client's timeout."""

RECORD_FILE: Final = Path(__file__).parent.parent / "examples" / "records" / "motivating-case.json"
AT: Final = "2026-11-03T09:00:00Z"


@attrs.frozen(kw_only=True)
class Call:
    """One request of the mix and the status the server must answer it with."""

    kind: str
    method: str
    path: str
    body: bytes | None = None
    expected: int


@attrs.frozen(kw_only=True)
class Answer:
    """What the server answered to one :class:`Call`, and how long the client waited for it."""

    call: Call
    status: int | None
    """``None`` when no answer came: :attr:`failure` says why."""
    seconds: float
    digest: str = ""
    """SHA-256 of the body: every answer to the same call must be the same bytes."""
    errors_shape: bool = False
    """The body is ``{"errors": [{"path": str, "message": str}, ...]}``, with one error at least."""
    failure: str = ""


def _json(data: object) -> bytes:
    return json.dumps(data).encode("utf-8")


def _mix() -> tuple[Call, ...]:
    record: dict[str, Any] = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    bad_amount = json.loads(json.dumps(record))
    bad_amount["events"][0]["amount"] = "-5"
    post = "POST"
    return (
        Call(kind="evaluate", method=post, path="/v1/evaluate", body=_json({"record": record, "at": AT}), expected=200),
        Call(
            kind="options",
            method=post,
            path="/v1/options",
            body=_json({"record": record, "at": AT, "as": "freelancer"}),
            expected=200,
        ),
        Call(kind="validate", method=post, path="/v1/validate", body=_json({"record": record}), expected=200),
        Call(kind="policies", method="GET", path="/v1/policies", expected=200),
        Call(kind="schema", method="GET", path="/v1/schema", expected=200),
        Call(kind="healthz", method="GET", path="/healthz", expected=200),
        Call(kind="not JSON", method=post, path="/v1/evaluate", body=b"not json", expected=400),
        Call(kind="not UTF-8", method=post, path="/v1/validate", body=b'{"record": "\xff\xfe"}', expected=400),
        Call(kind="JSON array", method=post, path="/v1/options", body=b"[1, 2]", expected=400),
        Call(
            kind="bad amount",
            method=post,
            path="/v1/evaluate",
            body=_json({"record": bad_amount, "at": AT}),
            expected=422,
        ),
        Call(kind="missing at", method=post, path="/v1/evaluate", body=_json({"record": record}), expected=400),
        Call(
            kind="wrong as",
            method=post,
            path="/v1/options",
            body=_json({"record": record, "at": AT, "as": "judge"}),
            expected=400,
        ),
        Call(
            kind="unknown field",
            method=post,
            path="/v1/evaluate",
            body=_json({"record": record, "at": AT, "extra": 1}),
            expected=400,
        ),
        Call(
            kind="over max_body",
            method=post,
            path="/v1/validate",
            body=b'{"record": "' + b"x" * MAX_BODY + b'"}',
            expected=413,
        ),
        Call(kind="wrong path", method="GET", path="/v1/nothing", expected=404),
        Call(kind="wrong method", method="GET", path="/v1/evaluate", expected=405),
    )


MIX: Final = _mix()
"""One call of each kind, in the order the load sends them."""


def calls(count: int) -> list[Call]:
    """The first *count* calls of the load: :data:`MIX` over and over."""
    return [MIX[index % len(MIX)] for index in range(count)]


# -- the server ---------------------------------------------------------------------------------


class LoadServer(uvicorn.Server):
    """uvicorn serving ``create_app(max_body=...)``; calls *on_started* once it accepts connections."""

    def __init__(self, *, max_body: int = MAX_BODY, on_started: Callable[[], object]) -> None:
        config = uvicorn.Config(
            create_app(max_body=max_body), host=HOST, log_config=None, log_level="warning", access_log=False
        )
        super().__init__(config)
        self.on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.on_started()


def listening_socket() -> socket.socket:
    """A TCP socket bound to a free port of 127.0.0.1 (for the server to listen on)."""
    # IPPROTO_TCP, as uvicorn's own sockets have: asyncio turns Nagle's algorithm off (TCP_NODELAY)
    # only on sockets that say so, and with it on, every answer waits 40 ms for a delayed ACK
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((HOST, 0))
    return sock


def url_of(sock: socket.socket) -> str:
    """The base address of the server listening on *sock*."""
    host, port = sock.getsockname()
    return f"http://{host}:{port}"


@contextmanager
def server_in_thread(*, max_body: int = MAX_BODY) -> Iterator[str]:
    """Run the server in a thread of this process while the block runs; give its base address.

    Raises:
        RuntimeError: The server did not start, or did not stop, within its time.
    """
    sock = listening_socket()
    settled = threading.Event()
    server = LoadServer(max_body=max_body, on_started=settled.set)

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        finally:
            settled.set()  # also when it failed to start: the waiting below ends at once

    thread = threading.Thread(target=serve, name="gigpolicy-serve", daemon=True)
    thread.start()
    try:
        if not settled.wait(START_SECONDS) or not server.started:
            raise RuntimeError(f"the server did not start within {START_SECONDS:g} s")
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(START_SECONDS)
        sock.close()
    if thread.is_alive():
        raise RuntimeError(f"the server did not stop within {START_SECONDS:g} s")


# -- the clients --------------------------------------------------------------------------------


def _errors_shape(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except ValueError:
        return False
    if not isinstance(data, dict) or list(data) != ["errors"]:
        return False
    errors = data["errors"]
    return (
        isinstance(errors, list)
        and len(errors) > 0
        and all(
            isinstance(error, dict)
            and sorted(error) == ["message", "path"]
            and isinstance(error["path"], str)
            and isinstance(error["message"], str)
            for error in errors
        )
    )


def _client(url: str, share: Sequence[Call], answers: list[Answer], stop: threading.Event) -> None:
    """Send *share* one call after the other on a keep-alive connection; stop when one times out."""
    headers = {"content-type": "application/json"}
    with httpx2.Client(base_url=url, timeout=REQUEST_SECONDS) as http:
        for call in share:
            if stop.is_set():
                return
            started = time.perf_counter()
            try:
                response = http.request(call.method, call.path, content=call.body, headers=headers)
            except httpx2.HTTPError as error:
                seconds = time.perf_counter() - started
                answers.append(
                    Answer(call=call, status=None, seconds=seconds, failure=f"{type(error).__name__}: {error}")
                )
                if isinstance(error, httpx2.TimeoutException):
                    stop.set()  # the server stopped answering: every client stops now, not after each timeout
                    return
                continue  # a connection closed or refused costs no wait: on with a new one
            seconds = time.perf_counter() - started
            body = response.content
            answers.append(
                Answer(
                    call=call,
                    status=response.status_code,
                    seconds=seconds,
                    digest=hashlib.sha256(body).hexdigest(),
                    errors_shape=response.status_code >= 400 and _errors_shape(body),
                )
            )


def send(url: str, load: Sequence[Call], *, clients: int, within: float) -> list[Answer]:
    """Send *load* to the server at *url* from *clients* threads, each with its own connection.

    Each client sends an equal consecutive share of *load* (so each sends every kind of the mix),
    one call after the other. The answers come back in the order of *load*, short of the calls not
    sent once a call timed out.

    Raises:
        RuntimeError: The clients were not done within *within* seconds.
    """
    shares = [load[len(load) * index // clients : len(load) * (index + 1) // clients] for index in range(clients)]
    answers: list[list[Answer]] = [[] for _ in shares]
    stop = threading.Event()
    threads = [
        threading.Thread(target=_client, args=(url, share, out, stop), name=f"load-client-{index}", daemon=True)
        for index, (share, out) in enumerate(zip(shares, answers, strict=True))
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + within
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        stop.set()  # each client stops after its request in flight
        done = sum(len(out) for out in answers)
        raise RuntimeError(f"the load was not done within {within:g} s: {done} of {len(load)} calls answered")
    return [answer for out in answers for answer in out]
