"""``gigpolicy serve``: the web page and the JSON API over HTTP, a Starlette application run by uvicorn.

Needs the ``serve`` extra (``pip install 'gigpolicy[serve]'``); ``import gigpolicy`` never imports
this package. Every answer body is the very text the command line prints for the same question
(:func:`gigpolicy._report_json.json_text` of :func:`~gigpolicy._report_json.report_data`,
:func:`~gigpolicy._report_json.options_data`, :func:`~gigpolicy._report_json.policies_data` and
:func:`~gigpolicy._schema.schema`; ``/v1/timeline`` answers the SVG of ``gigpolicy timeline --svg``).

``GET /`` is the page for people: ``static/index.html``, with its script and style under
``/static/``, hand-written and served from this package (nothing from another host). It builds
a record from a form and asks the API above, as any other program would.

Errors are ``{"errors": [{"path": ..., "message": ...}]}``: 422 for an invalid record (every
problem, capped as :class:`~gigpolicy.errors.InvalidRecord` caps them), 400 for a body that is not
a JSON object or a missing or wrong ``at``, ``as`` or ``policy``, 413 for a body over
:data:`MAX_BODY` bytes, 404 and 405 for a wrong address or method, and 503 for a request that took
longer than :data:`TIME_LIMIT` seconds. A request's work runs in a worker thread; one that runs out
of time is answered at once, and its thread finishes in the background (a thread cannot be stopped).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Final

import anyio
import anyio.to_thread
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gigpolicy._codec import parse_json, refuse_too_many_items, structure_record
from gigpolicy._context import in_decimal_context
from gigpolicy._evaluate import evaluate
from gigpolicy._options import options
from gigpolicy._process import tune_collector
from gigpolicy._record import ContractRecord
from gigpolicy._report_json import json_text, options_data, policies_data, report_data
from gigpolicy._schema import schema
from gigpolicy._time import parse_instant
from gigpolicy._timeline import timeline, timeline_svg
from gigpolicy.errors import GigPolicyError, InvalidRecord, UnknownPolicy

__all__ = ["MAX_BODY", "SECURITY_HEADERS", "TIME_LIMIT", "create_app", "run"]

MAX_BODY: Final = 16 * 1024 * 1024
"""The largest request body, in bytes, the server reads: past it the answer is 413. Smaller than
the 64 MiB a record file may have, because a server holds many requests at once."""
TIME_LIMIT: Final = 10.0
"""Seconds a request may take before it is answered with 503."""
SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
"""Sent with every answer: no sniffing, no script, style or image from another host, no framing.
(``blob:`` images are the page's own: the timeline's SVG, shown through an object URL.)"""

_JSON: Final = "application/json"
_SVG: Final = "image/svg+xml"
_STATIC: Final = Path(__file__).parent / "static"
_PARTIES: Final = ("client", "freelancer")


class _BadRequest(Exception):
    """A request the server refuses before judging any record: answered with *status*."""

    def __init__(self, status: int, errors: list[InvalidRecord]) -> None:
        super().__init__(status)
        self.status = status
        self.errors = errors


def _bad(path: str, message: str, status: int = 400) -> _BadRequest:
    return _BadRequest(status, [InvalidRecord(path, message)])


def _errors_text(errors: list[InvalidRecord]) -> str:
    return json_text({"errors": [{"path": error.path, "message": error.problem} for error in errors]})


def _answer(status: int, text: str, media_type: str = _JSON) -> Response:
    return Response(text, status_code=status, media_type=media_type)


# -- the work of one request, run in a worker thread -------------------------------------------


@in_decimal_context
def _parse(body: bytes, fields: tuple[str, ...]) -> dict[str, object]:
    """The request's JSON object, read as strictly as a record file; only *fields* are allowed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad("", f"the body is not UTF-8 text (byte {error.start})") from None
    try:
        refuse_too_many_items(text)
        data = parse_json(text)
    except InvalidRecord as error:
        raise _bad("", f"the body: {error.problem}") from None
    if not isinstance(data, dict):
        raise _bad("", "the body must be a JSON object")
    unknown = [InvalidRecord(key, "is not a field of this request") for key in data if key not in fields]
    if unknown:
        raise _BadRequest(400, unknown)
    if "record" not in data:
        raise _bad("record", "is required")
    return data


@in_decimal_context
def _record(data: dict[str, object]) -> ContractRecord:
    try:
        return structure_record(data["record"])
    except InvalidRecord as error:
        raise _BadRequest(422, list(error.errors)) from None


def _instant(data: dict[str, object]) -> datetime:
    if "at" not in data:
        raise _bad("at", "is required: the instant to judge, as 2026-11-03T10:00:00Z")
    try:
        return parse_instant(data["at"])
    except InvalidRecord as error:
        raise _bad("at", error.problem) from None


def _policy(data: dict[str, object]) -> str | None:
    policy = data.get("policy")
    if policy is not None and not isinstance(policy, str):
        raise _bad("policy", "must be a policy name, as upwork or upwork@2024-01-01, or null")
    return policy


def _judged(data: dict[str, object], judge: Callable[[ContractRecord, datetime, str | None], str]) -> str:
    """Check the request's fields, then the record, then judge it; map each refusal to its answer."""
    at, policy = _instant(data), _policy(data)
    record = _record(data)
    try:
        return judge(record, at, policy)
    except UnknownPolicy as error:
        if policy is not None:
            raise _bad("policy", str(error)) from None
        raise _bad("contract.marketplace", str(error), 422) from None
    except InvalidRecord as error:
        if error.path == "at":
            raise _bad("at", error.problem) from None
        raise _BadRequest(422, list(error.errors)) from None
    except GigPolicyError as error:
        raise _bad("", str(error), 422) from None


def _evaluate_text(body: bytes) -> str:
    data = _parse(body, ("record", "at", "policy"))
    return _judged(
        data, lambda record, at, policy: json_text(report_data(evaluate(record, at=at, policy=policy), record))
    )


def _timeline_text(body: bytes) -> str:
    data = _parse(body, ("record", "at", "policy"))
    return _judged(
        data, lambda record, at, policy: timeline_svg(timeline(record, evaluate(record, at=at, policy=policy)))
    )


def _options_text(body: bytes) -> str:
    data = _parse(body, ("record", "at", "policy", "as"))
    party = data.get("as")
    if not isinstance(party, str) or party not in _PARTIES:
        raise _bad("as", "must be 'client' or 'freelancer'")
    return _judged(
        data, lambda record, at, policy: json_text(options_data(options(record, party=party, at=at, policy=policy)))
    )


def _validate_text(body: bytes) -> str:
    _record(_parse(body, ("record",)))
    return json_text({"valid": True})


# -- the application ----------------------------------------------------------------------------


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read in chunks; past *limit* bytes, stop reading and refuse it."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _bad("", f"the body is larger than {limit} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _post(
    work: Callable[[bytes], str], limit: int, seconds: float, media_type: str = _JSON
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that reads the body, runs *work* on it in a worker thread, and answers its text.

    The text is of *media_type*; every refusal is JSON, whatever *media_type* is.
    """

    async def endpoint(request: Request) -> Response:
        try:
            body = await _body(request, limit)
            with anyio.fail_after(seconds):
                text = await anyio.to_thread.run_sync(work, body, abandon_on_cancel=True)
        except _BadRequest as refused:
            return _answer(refused.status, _errors_text(refused.errors))
        except TimeoutError:
            return _answer(503, _errors_text([InvalidRecord("", f"took longer than {seconds:g} seconds")]))
        return _answer(200, text, media_type)

    return endpoint


async def _policies(request: Request) -> Response:
    del request
    return _answer(200, json_text(policies_data()))


async def _schema(request: Request) -> Response:
    del request
    return _answer(200, json_text(schema()))


async def _health(request: Request) -> Response:
    del request
    return _answer(200, json_text({"status": "ok"}))


async def _page(request: Request) -> Response:
    del request
    return FileResponse(_STATIC / "index.html", media_type="text/html; charset=utf-8")


async def _http_error(request: Request, error: Exception) -> Response:
    del request
    assert isinstance(error, HTTPException)  # noqa: S101 - registered for HTTPException only
    answer = _answer(error.status_code, _errors_text([InvalidRecord("", error.detail)]))
    answer.headers.update(error.headers or {})
    return answer


async def _internal_error(request: Request, error: Exception) -> Response:
    del request, error
    return _answer(500, _errors_text([InvalidRecord("", "internal error")]))


class _SecurityHeaders:
    """Pure ASGI middleware: adds :data:`SECURITY_HEADERS` to every HTTP answer, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items())
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(*, cors: str | None = None, max_body: int = MAX_BODY, time_limit: float = TIME_LIMIT) -> Starlette:
    """The ASGI application of ``gigpolicy serve``.

    Args:
        cors: An origin allowed to call the API from a browser (``https://example.com``); by
            default none is, and no CORS header is sent.
        max_body: The largest request body in bytes; past it the answer is 413.
        time_limit: Seconds a request may take; past it the answer is 503.
    """
    middleware = [Middleware(_SecurityHeaders)]
    if cors is not None:
        middleware.append(
            Middleware(
                CORSMiddleware, allow_origins=[cors], allow_methods=["GET", "POST"], allow_headers=["content-type"]
            )
        )
    routes = [
        Route("/", _page, methods=["GET"]),
        Mount("/static", StaticFiles(directory=_STATIC), name="static"),
        Route("/v1/evaluate", _post(_evaluate_text, max_body, time_limit), methods=["POST"]),
        Route("/v1/options", _post(_options_text, max_body, time_limit), methods=["POST"]),
        Route("/v1/timeline", _post(_timeline_text, max_body, time_limit, _SVG), methods=["POST"]),
        Route("/v1/validate", _post(_validate_text, max_body, time_limit), methods=["POST"]),
        Route("/v1/policies", _policies, methods=["GET"]),
        Route("/v1/schema", _schema, methods=["GET"]),
        Route("/healthz", _health, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )


def run(*, host: str = "127.0.0.1", port: int = 8000, cors: str | None = None) -> None:
    """Serve :func:`create_app` with uvicorn on *host* and *port* until interrupted."""
    tune_collector()
    uvicorn.run(create_app(cors=cors), host=host, port=port, server_header=False)
