"""``gigpolicy serve`` under a bounded load: a real uvicorn server on 127.0.0.1 and several clients.

Correctness only: how fast it answers is measured by ``benchmarks/serve_load.py``, never asserted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import httpx2
import pytest
from tests.load import MIX, calls, send, server_in_thread

REQUESTS: Final = 400
CLIENTS: Final = 8
WITHIN: Final = 120.0
"""Seconds the whole load may take: a few on this machine, far more on a loaded one."""


@pytest.fixture
def url() -> Iterator[str]:
    with server_in_thread() as address:
        yield address


def test_every_request_is_answered_with_its_status(url: str) -> None:
    """Good and malformed requests from several clients at once: each gets its own status, none a 5xx."""
    load = calls(REQUESTS)
    answers = send(url, load, clients=CLIENTS, within=WITHIN)

    assert [] == [(a.call.kind, a.status) for a in answers if a.status is not None and a.status >= 500]
    assert [] == [(a.call.kind, a.failure) for a in answers if a.status is None]
    assert len(load) == len(answers)
    assert [] == [(a.call.kind, a.call.expected, a.status) for a in answers if a.status != a.call.expected]
    assert [] == [a.call.kind for a in answers if a.call.expected >= 400 and not a.errors_shape]
    bodies = {call.kind: {a.digest for a in answers if a.call.kind == call.kind} for call in MIX}
    assert [] == [kind for kind, digests in bodies.items() if len(digests) != 1]  # no answer mixed up with another
    with httpx2.Client(base_url=url, timeout=10) as http:
        health = http.get("/healthz")
    assert (200, {"status": "ok"}) == (health.status_code, health.json())
