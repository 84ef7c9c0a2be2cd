"""Ten thousand varied records, the same on every run, and digests of what gigpolicy prints for them.

The speed work must not change a byte of what ``explain --json``, ``options --json`` and
``batch`` print. This module makes the records (a seeded random walk over the event types, each
step kept only if the record still loads: no Hypothesis, whose draws change between its
versions) and the digests of those outputs; ``tests/golden_digests.json`` holds the digests of
the outputs before the speed work, and ``tests/test_golden_outputs.py`` compares.

Write the digests again only for a change that is meant to change outputs, and say so in its
commit::

    python -m tests.golden_outputs --write
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from tests.uncovered import uncovered

from gigpolicy import Party, evaluate, loads, options, replay
from gigpolicy._report_json import json_text, options_data, report_data
from gigpolicy.errors import GigPolicyError, InvalidRecord

RECORDS: Final = 10_000
"""How many records the digests cover (explain and batch)."""
OPTIONS: Final = 1_000
"""How many of them ``options`` is digested for, in both parties' names: it takes 10-20 ms a record today."""
CHUNK: Final = 100
"""Records per digest, so that a difference names the hundred it is in."""
SEED: Final = 20261206
DIGESTS: Final = Path(__file__).with_name("golden_digests.json")

_START: Final = datetime(2025, 3, 3, 9, tzinfo=UTC)
_MARKETPLACES: Final = ("upwork", "upwork", "fiverr", "freelancer")
_CURRENCIES: Final = ("USD", "USD", "EUR", "GBP", "JPY", "INR")
_GAPS: Final = (
    timedelta(minutes=7),
    timedelta(hours=3),
    timedelta(days=1),
    timedelta(days=4),
    timedelta(days=13),
    timedelta(days=33),
    timedelta(days=95),
)


def _at(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _amount(rng: random.Random, currency: str) -> str:
    whole = rng.choice((1, 5, 40, 250, 500, 1200))
    return str(whole * 100) if currency == "JPY" else f"{whole}.{rng.choice(('00', '50', '99'))}"


def _party(rng: random.Random) -> str:
    return rng.choice(("client", "freelancer"))


def _candidates(rng: random.Random, kind: str, currency: str, at: datetime) -> list[dict[str, object]]:
    """Events that may come next: each with its fields; the walk keeps one that leaves the record valid."""
    milestone = f"m{rng.randint(1, 3)}"
    week = at.date() - timedelta(days=(at.weekday() + 1) % 7 or 7)  # the Sunday before
    money = _amount(rng, currency)
    common: list[dict[str, object]] = [
        {"type": "bonus_paid", "amount": money},
        {"type": "refund_issued", "amount": money},
        {"type": "dispute_opened", "by": _party(rng)},
        {"type": "dispute_resolved", "to_freelancer": money, "to_client": _amount(rng, currency)},
        {"type": "contract_paused", "by": "client"},
        {"type": "contract_resumed", "by": "client"},
        {"type": "job_reported", "by": "freelancer", "reason": "asked for unethical work"},
        {"type": "contract_ended", "by": _party(rng), "reason": "done"},
        {"type": "contract_ended", "by": _party(rng)},
        {"type": "feedback_left", "by": _party(rng), "kind": "public", "rating": rng.choice((1, 3, "4.5", 5))},
        {"type": "feedback_left", "by": "client", "kind": "private", "rating": rng.randint(0, 10)},
        {"type": "feedback_response", "by": _party(rng)},
        {"type": "feedback_edit_enabled", "by": _party(rng)},
        {"type": "feedback_removed", "author": _party(rng), "reason": "terms of service"},
        {"type": "account_suspended", "party": _party(rng), "reason": "terms of service violation"},
    ]
    if kind == "hourly":
        specific: list[dict[str, object]] = [
            {
                "type": "hours_billed",
                "week_ending": week.isoformat(),
                "hours": rng.choice(("2", "12.5", 20)),
                "amount": money,
            },
            {"type": "hours_billed", "week_ending": week.isoformat(), "hours": "10", "amount": money},
            {"type": "hours_disputed", "week_ending": week.isoformat()},
        ]
    else:
        specific = [
            {"type": "milestone_funded", "milestone": milestone, "amount": money},
            {"type": "milestone_funded", "milestone": milestone, "amount": money},
            {"type": "work_submitted", "milestone": milestone},
            {"type": "work_submitted", "milestone": milestone},
            {"type": "changes_requested", "milestone": milestone},
            {"type": "milestone_released", "milestone": milestone, "amount": money},
            {"type": "milestone_released", "milestone": milestone, "amount": money},
            {"type": "escrow_returned", "milestone": milestone, "amount": money},
            {"type": "dispute_opened", "by": _party(rng), "milestone": milestone},
        ]
    return specific + specific + common


def record(rng: random.Random, number: int) -> dict[str, object]:
    """One valid record: its terms drawn, then up to 14 events, each kept only if the record still loads."""
    kind = rng.choice(("fixed_price", "fixed_price", "hourly"))
    currency = rng.choice(_CURRENCIES)
    started = _START + timedelta(days=rng.randint(0, 600), minutes=rng.randint(0, 1440))
    contract: dict[str, object] = {
        "id": f"g-{number}",
        "marketplace": rng.choice(_MARKETPLACES),
        "kind": kind,
        "currency": currency,
        "client": f"client-{rng.randint(1, 40)}",
        "freelancer": f"fl-{rng.randint(1, 12)}",
        "started_at": _at(started),
    }
    if kind == "hourly":
        contract["hourly_rate"] = "40.00" if currency != "JPY" else "4000"
    if rng.random() < 0.3:
        contract["freelancer_fee_rate"] = rng.choice(("0", "0.05", "0.1", "0.15"))
    data: dict[str, object] = {"format": "gigpolicy/1", "contract": contract, "events": []}
    events: list[dict[str, object]] = []
    at = started
    for _ in range(rng.randint(0, 14)):
        at += rng.choice(_GAPS) + timedelta(minutes=rng.randint(0, 59))
        for event in rng.sample(_candidates(rng, kind, currency, at), 4):
            trial = {**data, "events": [*events, {"at": _at(at), **event}]}
            try:
                replay(loads(json.dumps(trial)), at=at)  # the policy's own transitions, automatic steps included
            except InvalidRecord:
                continue
            events = trial["events"]  # type: ignore[assignment]  # the list just built
            break
    return {**data, "events": events}


def records(count: int = RECORDS) -> Iterator[tuple[str, datetime]]:
    """The records as JSON text, each with an instant to judge it at: before, during or after its windows.

    The first *count* of one walk, made once a process: a record takes about 3 ms to make (each
    step tried is loaded and replayed), and seven test modules ask for thousands of them. Where
    :data:`CACHE` names a folder that holds the walk of this very code (:func:`write_cache`), the
    process reads it instead.
    """
    if not _MADE:
        _read_cache()
    for number in range(count):
        if number == len(_MADE):
            with uncovered():  # the records are data: the tests that judge them measure what they cover
                _MADE.append(_case(_WALK, number))
        yield _MADE[number]


CACHE: Final = "GIGPOLICY_GOLDEN_CACHE"
"""The environment variable that names a folder to keep the walk in, for the processes of one run.

``.ci/run`` makes the walk once (:func:`write_cache`) for both of its test runs and all their
workers, which would each make it again (about 20 s of a core each). The file is named by a
digest of this module, of gigpolicy's source and of the seed: a walk of other code is never read.
"""


def _cache_file() -> Path | None:
    folder = os.environ.get(CACHE)
    if not folder:
        return None
    made = hashlib.sha256(f"{SEED} {RECORDS}".encode())
    source = Path(__file__).resolve().parents[1] / "src" / "gigpolicy"
    for path in [Path(__file__), *sorted(source.rglob("*.py"))]:
        made.update(path.name.encode() + b"\0" + path.read_bytes())
    return Path(folder) / f"golden-records-{made.hexdigest()[:32]}.json"


def _read_cache() -> None:
    """Take the walk and the state its generator ended in from the cache file, if there is one."""
    file = _cache_file()
    if file is None or not file.exists():
        return
    kept = json.loads(file.read_text(encoding="utf-8"))
    _MADE.extend((text, datetime.fromisoformat(at)) for text, at in kept["records"])
    version, state, gauss = kept["state"]
    _WALK.setstate((version, tuple(state), gauss))  # the walk goes on from there past the cached records


def write_cache() -> Path:
    """Make the walk's :data:`RECORDS` records and keep them in the folder :data:`CACHE` names.

    Raises:
        SystemExit: if the variable names no folder.
    """
    file = _cache_file()
    if file is None:
        raise SystemExit(f"{CACHE} names no folder to keep the golden records in")
    kept = [(text, at.isoformat()) for text, at in records()]
    data = json.dumps({"records": kept, "state": _WALK.getstate()})
    partial = file.with_suffix(f".{os.getpid()}.part")
    partial.write_text(data, encoding="utf-8")
    partial.replace(file)  # whole or not at all, for a process that reads it meanwhile
    return file


_WALK: Final = random.Random(SEED)  # noqa: S311 - the same records on every run is the point, not secrecy
_MADE: Final[list[tuple[str, datetime]]] = []
"""The records the walk has made so far in this process, in order."""


def _case(rng: random.Random, number: int) -> tuple[str, datetime]:
    data = record(rng, number)
    events: Sequence[dict[str, object]] = data["events"]  # type: ignore[assignment]  # record() made it
    last = datetime.fromisoformat(str(events[-1]["at"] if events else data["contract"]["started_at"]))  # type: ignore[index]  # record() made it
    at = last + rng.choice(
        (timedelta(0), timedelta(hours=5), timedelta(days=10), timedelta(days=45), timedelta(days=400))
    )
    return json.dumps(data), at


def _chunks(texts: Iterator[str]) -> list[str]:
    digests, digest, count = [], hashlib.sha256(), 0
    for text in texts:
        digest.update(text.encode("utf-8"))
        count += 1
        if count % CHUNK == 0:
            digests.append(digest.hexdigest())
            digest = hashlib.sha256()
    if count % CHUNK:
        digests.append(digest.hexdigest())
    return digests


def explain_texts(cases: Sequence[tuple[str, datetime]]) -> Iterator[str]:
    """What ``explain --json --at AT`` prints for each record."""
    for text, at in cases:
        record_ = loads(text)
        try:
            yield json_text(report_data(evaluate(record_, at=at), record_))
        except (
            GigPolicyError
        ) as error:  # a record the walk kept that this instant's rules refuse: the error is the output
            yield f"error: {error}\n"


def options_texts(cases: Sequence[tuple[str, datetime]]) -> Iterator[str]:
    """What ``options --json --at AT --as PARTY`` prints, for each party in turn."""
    for index, (text, at) in enumerate(cases):
        record_ = loads(text)
        party = (Party.CLIENT, Party.FREELANCER)[index % 2]
        try:
            yield json_text(options_data(options(record_, party=party, at=at)))
        except GigPolicyError as error:
            yield f"error: {error}\n"


def digests(batch: Callable[[Sequence[tuple[str, datetime]]], Iterator[str]]) -> dict[str, list[str]]:
    """The digests of every output, per hundred records; *batch* gives the batch output per record."""
    cases = list(records())
    return {
        "explain": _chunks(explain_texts(cases)),
        "options": _chunks(options_texts(cases[:OPTIONS])),
        "batch": _chunks(batch(cases)),
    }


def main() -> None:
    """Print the digests of today's outputs, or with --write, write them to tests/golden_digests.json.

    With --cache, only make the records, in the folder :data:`CACHE` names (:func:`write_cache`).
    """
    from tests.test_golden_outputs import batch_texts  # noqa: PLC0415 - the command's own run, defined there

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--cache", action="store_true", help=f"only make the records, in the folder ${CACHE} names")
    args = parser.parse_args()
    if args.cache:
        print(write_cache())  # noqa: T201 - a command's output
        return
    found = digests(batch_texts)
    text = json.dumps(found, indent=1) + "\n"
    if args.write:
        DIGESTS.write_text(text, encoding="utf-8")
    else:
        print(text, end="")  # noqa: T201 - a command's output


if __name__ == "__main__":
    main()
