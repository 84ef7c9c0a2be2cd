"""Requests per second and latency of ``gigpolicy serve`` under a bounded load of good and bad requests.

    python -m pip install -e '.[test]'
    python benchmarks/serve_load.py                        # 4,000 requests from 8 clients (half a minute)
    python benchmarks/serve_load.py --requests 400 --clients 2
    python benchmarks/serve_load.py --server thread        # the server in this process, as the test runs it
    python benchmarks/serve_load.py --write                # also write the section of the benchmarks page

The load is the one ``tests/test_serve_load.py`` checks (``tests/load.py``): the mix of good,
malformed and refused requests, each kind in turn, split in equal shares between the clients, each
a thread with its own keep-alive connection sending one request after the other. The server runs
in a process of its own by default, as a user runs it, so the clients do not share its
interpreter. Every answer is checked for its expected status; the run exits with 1 when one is not.

``--write`` replaces the section "HTTP server under load" of docs/reference/benchmarks.md (or adds
it at the end). ``benchmarks/run.py`` writes the rest of that page afresh: run this one after it.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import multiprocessing
import multiprocessing.connection
import os
import platform
import socket
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the load is shared with the tests: tests/load.py
from page import PAGE, ROOT, interpreter, write_section  # type: ignore[import-not-found]  # beside this file
from tests.load import (
    MAX_BODY,
    MIX,
    START_SECONDS,
    Answer,
    LoadServer,
    calls,
    listening_socket,
    send,
    server_in_thread,
    url_of,
)

HEADING = "## HTTP server under load"
WITHIN = 600.0
"""Seconds the whole load may take before the run gives up."""


def _serve(sock: socket.socket, max_body: int, ready: multiprocessing.connection.Connection) -> None:
    """The server process: serve on *sock* until SIGTERM, saying on *ready* once it accepts connections."""
    LoadServer(max_body=max_body, on_started=functools.partial(ready.send, obj=True)).run(sockets=[sock])


@contextmanager
def server_in_process(*, max_body: int = MAX_BODY) -> Iterator[str]:
    """Run the server in a process of its own while the block runs; give its base address."""
    context = multiprocessing.get_context("spawn")
    sock = listening_socket()
    ready, tell = context.Pipe(duplex=False)
    process = context.Process(target=_serve, args=(sock, max_body, tell), name="gigpolicy-serve", daemon=True)
    process.start()
    try:
        if not multiprocessing.connection.wait([ready, process.sentinel], START_SECONDS) or not ready.poll():
            raise SystemExit(f"the server did not start within {START_SECONDS:g} s (exit code {process.exitcode})")
        yield url_of(sock)
    finally:
        process.terminate()  # SIGTERM: uvicorn finishes the answers in flight, then stops
        process.join(START_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        sock.close()


def percentile(seconds: Sequence[float], share: int) -> float:
    """The *share*-th percentile of *seconds* (the value below which *share* % of them lie)."""
    if len(seconds) < 2:  # noqa: PLR2004 - quantiles needs two values
        return seconds[0]
    return statistics.quantiles(seconds, n=100, method="inclusive")[share - 1]


def _ms(seconds: Sequence[float], share: int) -> str:
    return f"{percentile(seconds, share) * 1000:,.1f} ms" if seconds else "-"


def _wrong(answers: Sequence[Answer], requests: int) -> list[str]:
    """One line per kind of answer that is not the expected one: kind, expected, got, how many."""
    found: dict[str, int] = {}
    if len(answers) < requests:
        found["not sent, after a request timed out"] = requests - len(answers)
    for answer in answers:
        if answer.status != answer.call.expected:
            got = answer.failure or str(answer.status)
            line = f"{answer.call.kind}: expected {answer.call.expected}, got {got}"
            found[line] = found.get(line, 0) + 1
    return [f"{line} ({count}x)" for line, count in found.items()]


def _tables(answers: Sequence[Answer], requests: int, clients: int, seconds: float) -> list[str]:
    everything = [answer.seconds for answer in answers]
    rate = len(answers) / seconds
    count = requests - len(answers) + sum(answer.status != answer.call.expected for answer in answers)
    wrong_text = f"{count:,}" if count else "none"
    lines = [
        "| requests | clients | seconds | requests per second | p50 | p99 | answers not as expected |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        (
            f"| {requests:,} | {clients} | {seconds:.1f} | {rate:,.0f} | {_ms(everything, 50)}"
            f" | {_ms(everything, 99)} | {wrong_text} |"
        ),
        "",
        "| kind | request | status | requests | p50 | p99 |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for call in MIX:
        took = [answer.seconds for answer in answers if answer.call.kind == call.kind]
        lines.append(
            f"| {call.kind} | `{call.method} {call.path}` | {call.expected} | {len(took):,}"
            f" | {_ms(took, 50)} | {_ms(took, 99)} |"
        )
    return lines


def _section(args: argparse.Namespace, load_before: float, tables: list[str], wrong: list[str]) -> str:
    machine = f"{interpreter()}, {platform.machine()}, {os.cpu_count()} cores"
    cores = os.cpu_count() or 1
    busy = (
        "other work was running on the machine"
        if load_before >= 0.5 * cores
        else "the machine was otherwise about idle"
    )
    where = "a process of its own" if args.server == "process" else "the clients' process, in a thread"
    command = f"python benchmarks/serve_load.py --requests {args.requests} --clients {args.clients}"
    if args.server != "process":
        command += f" --server {args.server}"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"  # as uvicorn's http="auto" chooses
    versions = (
        f"uvicorn {version('uvicorn')} ({parser} {version(parser)}), Starlette {version('starlette')},"
        f" clients on httpx2 {version('httpx2')}; gigpolicy {version('gigpolicy')}"
    )
    setup = (
        f"The server (`create_app(max_body={MAX_BODY})` under uvicorn, one worker) runs in {where}; the"
        f" {args.clients} clients are threads, each with its own keep-alive connection, sending one request"
        f" after the other: each of the {len(MIX)} kinds below in turn, {args.requests:,} in all (the mix"
        " `tests/test_serve_load.py` checks, from `tests/load.py`), after one of each to warm up. A latency"
        " is the time from sending a request to having read its whole answer, as its client sees it; with"
        " several clients it includes the wait behind the other clients' requests."
    )
    parts = [
        HEADING,
        "Written by `python benchmarks/serve_load.py --write`; do not edit by hand.",
        f"```console\n$ {command} --write\n```",
        (
            f"Machine: {machine}; load average {load_before:.2f} before the run ({busy}); {versions};"
            f" measured {datetime.now(UTC):%Y-%m-%d}."
        ),
        setup,
        "\n".join(tables),
    ]
    if wrong:
        parts.append("Answers not as expected:\n\n" + "\n".join(f"- {line}" for line in wrong))
    return "\n\n".join(parts) + "\n"


def main() -> None:
    """Run the load, print the figures, and write them with ``--write``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000, help="requests in all (default: 4000)")
    parser.add_argument("--clients", type=int, default=8, help="clients sending at once (default: 8)")
    parser.add_argument("--server", choices=("process", "thread"), default="process", help="where the server runs")
    parser.add_argument("--write", action="store_true", help="write the section of docs/reference/benchmarks.md")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    running: AbstractContextManager[str] = server_in_process() if args.server == "process" else server_in_thread()
    with running as url:
        send(url, MIX, clients=1, within=WITHIN)  # the first of each kind imports and fills caches
        started = time.perf_counter()
        answers = send(url, calls(args.requests), clients=args.clients, within=WITHIN)
        seconds = time.perf_counter() - started

    wrong = _wrong(answers, args.requests)
    tables = _tables(answers, args.requests, args.clients, seconds)
    print(f"load average before the run: {load_before:.2f}")
    print("\n".join(tables))
    for line in wrong:
        print(f"NOT AS EXPECTED: {line}", file=sys.stderr)
    if args.write:
        write_section(HEADING, _section(args, load_before, tables, wrong))
        print(f"wrote the section {HEADING[3:]!r} of {PAGE.relative_to(ROOT)}")
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
