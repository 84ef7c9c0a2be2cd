"""A record read but not checked, then checked by the fold that replays it (what ``batch`` does).

``checked_and_replayed`` must give exactly what checking the record on its own, then replaying
it, gives: the same state, or the same error with the same problems; and a batch line must be
the line ``loads`` then ``evaluate`` give. These tests hold it to that for records drawn under
every set of replay rules, replayed under any of them, whole or broken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import localcontext
from typing import Final

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.test_batch import plain_line
from tests.test_properties import RULES, moments

from gigpolicy import (
    ContractRecord,
    ContractState,
    GigPolicyError,
    InvalidRecord,
    Money,
    Party,
    dumps,
    get_policy,
    loads,
)
from gigpolicy._batch import _failure, _job, _result
from gigpolicy._codec import read_here
from gigpolicy._context import DECIMAL
from gigpolicy._events import ContractEnded, MilestoneFunded, RefundIssued, WorkSubmitted
from gigpolicy._record import _RECORD
from gigpolicy._replay import checked_and_replayed, replayed_under
from gigpolicy._state import ReplayRules
from gigpolicy.testing import records

Outcome = tuple[str, object]
_START: Final = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _valid_line() -> str:
    """A fixed-price record funded, submitted, released and ended (the benchmarks' four events)."""
    return json.dumps(
        {
            "format": "gigpolicy/1",
            "contract": {
                "id": "c-4",
                "kind": "fixed_price",
                "currency": "USD",
                "client": "cl",
                "freelancer": "fl",
                "started_at": "2026-01-05T09:00:00Z",
            },
            "events": [
                {"type": "milestone_funded", "at": "2026-01-05T09:05:00Z", "milestone": "m1", "amount": "500.00"},
                {"type": "work_submitted", "at": "2026-01-08T09:00:00Z", "milestone": "m1"},
                {"type": "milestone_released", "at": "2026-01-09T09:00:00Z", "milestone": "m1", "amount": "500.00"},
                {"type": "contract_ended", "at": "2026-01-09T10:00:00Z", "by": "freelancer"},
            ],
        }
    )


def _outcome(call: Callable[[], ContractState]) -> Outcome:
    """What *call* gives: the state, or the error's type, text and problems (path and problem of each)."""
    try:
        return "state", call()
    except GigPolicyError as error:
        problems = [(e.path, e.problem) for e in error.errors] if isinstance(error, InvalidRecord) else []
        return type(error).__name__, (str(error), problems)


@st.composite
def broken(draw: st.DrawFn, record: ContractRecord) -> tuple[ContractRecord, str]:
    """*record* as it is, or with one event left out, repeated or moved: often no longer valid.

    Built without a check (as ``read_here`` leaves a record), so that its replay is what checks it.
    """
    events = list(record.events)
    how = draw(st.sampled_from(["whole", "left out", "repeated", "moved"] if events else ["whole"]))
    if how != "whole":
        index = draw(st.integers(0, len(events) - 1))
        item = events[index] if how == "repeated" else events.pop(index)
        events.insert(draw(st.integers(0, len(events))), item)
    return _RECORD(record.contract, tuple(events)), how


class TestCheckedAndReplayed:
    """One fold that replays a record and checks it gives what the check and the replay give apart."""

    @settings(max_examples=500)
    @given(st.data())
    def test_it_gives_what_a_check_then_a_replay_give(self, data: st.DataObject) -> None:
        """For a record whole or broken, under any rules, at any instant: the same state, or the same error.

        Where it keeps the ledger, the ledger holds that state: going on from it is replaying further.
        """
        drawn = data.draw(records(rules=data.draw(st.sampled_from(RULES))))
        record, how = data.draw(broken(drawn))
        rules: ReplayRules = data.draw(st.sampled_from(RULES))  # often not the ones it was drawn for
        at = data.draw(moments(drawn))
        kept = []

        def one_fold() -> ContractState:
            ledger, state = checked_and_replayed(record, at=at, rules=rules)
            kept.append(ledger)
            return state

        with localcontext(DECIMAL):
            expected = _outcome(lambda: replayed_under(record._checked(), at=at, rules=rules)[1])
            found = _outcome(one_fold)
        event(f"{how}: {expected[0]}; the ledger {'-' if not kept else 'spent' if kept[0] is None else 'kept'}")
        assert expected == found
        if kept and kept[0] is not None:
            state = found[1]
            assert isinstance(state, ContractState)
            later = at + data.draw(st.sampled_from([timedelta(0), timedelta(days=3), timedelta(days=30)]))
            kept[0].advance(later)
            prefix = record._prefix(state.events_applied)
            assert replayed_under(prefix, at=later, rules=rules)[1] == kept[0].snapshot(later)


# Upwork's rules release submitted work after 14 days; the record does not log that release, and
# the freelancer then refunds part of it: replay, which takes the release, allows the refund, but
# the record's check, which takes no automatic step, finds nothing paid to refund.
_UNLOGGED_RELEASE: Final = _RECORD(
    loads(_valid_line()).contract,
    (
        MilestoneFunded(at=_START + timedelta(minutes=5), milestone="m1", amount=Money.of("500.00", "USD")),
        WorkSubmitted(at=_START + timedelta(days=1), milestone="m1"),
        RefundIssued(at=_START + timedelta(days=20), amount=Money.of("100.00", "USD")),
    ),
)


class TestAStepTheCheckDoesNotTake:
    """Replay allows what a step it took made possible; the record is still judged by its own check."""

    @pytest.mark.parametrize(
        ("days", "where"),
        [
            (30, "the step falls before the last event, all before the instant"),
            (16, "the step falls after the last event before the instant, and events follow"),
            (3, "the step falls after the instant, among the events after it"),
        ],
    )
    def test_the_check_refuses_what_replay_allows(self, days: int, where: str) -> None:
        """Whichever side of the instant judged the step falls on: the record's problem, as ``loads`` finds it."""
        at = _START + timedelta(days=days)
        rules = get_policy("upwork", on=at.date()).replay_rules
        with localcontext(DECIMAL):
            alone = replayed_under(_UNLOGGED_RELEASE, at=at, rules=rules)[1]  # the replay alone allows the refund
            expected = _outcome(lambda: replayed_under(_UNLOGGED_RELEASE._checked(), at=at, rules=rules)[1])
            found = _outcome(lambda: checked_and_replayed(_UNLOGGED_RELEASE, at=at, rules=rules)[1])
        assert alone.events_applied == (3 if days == 30 else 2), where
        assert expected == found, where
        assert found[0] == "InvalidTransition"
        problem = "refunds 100.00 USD, more than the 0.00 USD paid and not yet refunded"
        assert found[1] == (f"events[2]: {problem}", [("events[2]", problem)]), where

    def test_a_step_the_check_does_not_take_refuses_what_it_allows(self) -> None:
        """The record is valid, but under Fiverr's rules the order completed by itself before it is funded again.

        The check passes; replay's refusal is the error, as when the record is checked on its own first.
        """
        events = (
            MilestoneFunded(at=_START + timedelta(minutes=5), milestone="m1", amount=Money.of("100.00", "USD")),
            WorkSubmitted(at=_START + timedelta(days=1), milestone="m1"),
            MilestoneFunded(at=_START + timedelta(days=5), milestone="m1", amount=Money.of("50.00", "USD")),
        )
        record = _RECORD(_UNLOGGED_RELEASE.contract, events)
        at = _START + timedelta(days=6)
        rules = get_policy("fiverr", on=at.date()).replay_rules
        with localcontext(DECIMAL):
            assert record._checked() is record
            expected = _outcome(lambda: replayed_under(record, at=at, rules=rules)[1])
            found = _outcome(lambda: checked_and_replayed(record, at=at, rules=rules)[1])
        assert expected == found
        assert found[0] == "InvalidTransition"
        assert "after the contract ended" in str(found[1])

    def test_a_step_by_the_instant_and_events_after_it(self) -> None:
        """A valid record whose work released itself by the instant judged, and ended after it.

        The same state as the record's check then its replay, and the ledger kept to go on from
        (drawn records take this way only now and then).
        """
        events = (
            MilestoneFunded(at=_START + timedelta(minutes=5), milestone="m1", amount=Money.of("500.00", "USD")),
            WorkSubmitted(at=_START + timedelta(days=1), milestone="m1"),
            ContractEnded(at=_START + timedelta(days=20), by=Party.FREELANCER),
        )
        at = _START + timedelta(days=16)
        rules = get_policy("upwork", on=at.date()).replay_rules
        with localcontext(DECIMAL):
            expected = replayed_under(_RECORD(_UNLOGGED_RELEASE.contract, events)._checked(), at=at, rules=rules)[1]
            ledger, found = checked_and_replayed(_RECORD(_UNLOGGED_RELEASE.contract, events), at=at, rules=rules)
        assert (expected, True, 2) == (found, ledger is not None, found.events_applied)
        assert [step.code for step in found.automatic] == ["AUTO_RELEASE"]


def _line_of_loads_then_evaluate(text: str, at: datetime) -> str:
    """The batch line of *text*, as ``loads`` then ``evaluate`` make it: the line ``_result`` must equal."""
    try:
        record = loads(text)
        return plain_line(record, at, None, 1)
    except GigPolicyError as error:
        return _failure(1, text, error)


_AT: Final = datetime(2026, 11, 27, tzinfo=UTC)


class TestBatchLines:
    """SPEC: a batch line is what ``loads`` and ``evaluate`` give for its record, error or report."""

    @settings(max_examples=300)
    @given(st.data())
    def test_a_line_is_that_of_loads_then_evaluate(self, data: st.DataObject) -> None:
        """Whole or broken records of any marketplace, at instants within, before and after their events.

        Judged within, a record's later events are checked but not replayed; its decisions that
        look ahead replay it again, the ledger having gone on past the state.
        """
        drawn = data.draw(records(rules=data.draw(st.sampled_from(RULES))))
        record, how = data.draw(broken(drawn))
        text = dumps(record, indent=None)
        at = data.draw(moments(drawn))
        with localcontext(DECIMAL):
            found, ok = _result(_job(at, None, None, 1), 1, text, {})
        expected = _line_of_loads_then_evaluate(text, at)
        event(f"{how}: {'report' if ok else 'error'}")
        assert expected == found
        assert ok == ('"errors"' not in expected)

    def test_an_unknown_marketplace_comes_after_the_records_own_problems(self) -> None:
        """A record both broken and of an unknown marketplace gives the problems ``loads`` finds in it.

        Its policy is looked up before its replay checks it: the record is checked first.
        """
        data = json.loads(_valid_line())
        data["contract"]["marketplace"] = "nowhere"
        line, ok = self._line(json.dumps(data))
        assert (ok, "unknown policy 'nowhere'" in line) == (False, True)
        # read whole, by the decoder's full path (a lowercase "t"), the record is checked when read
        whole = json.dumps(data).replace("2026-01-05T09:00:00Z", "2026-01-05t09:00:00Z")
        with localcontext(DECIMAL):
            assert read_here(whole)[1]
        assert self._line(whole) == (line, False)
        data["events"].append(data["events"][0])  # a funding earlier than the end before it
        broken = json.dumps(data)
        line, ok = self._line(broken)
        assert not ok
        assert line == _line_of_loads_then_evaluate(broken, _AT)
        assert json.loads(line)["errors"][0]["path"].startswith("events[")

    def test_a_broken_event_after_the_instant_is_found(self) -> None:
        """An event that breaks the ledger after the instant judged makes the line an error, as in ``loads``."""
        data = json.loads(_valid_line())
        last = data["events"][-1]
        data["events"].append({**data["events"][0], "at": last["at"]})  # funding after the end
        text = json.dumps(data)
        at = datetime.fromisoformat(data["events"][0]["at"]) + timedelta(seconds=1)
        with localcontext(DECIMAL):
            line, ok = _result(_job(at, None, None, 1), 1, text, {})
        assert not ok
        assert line == _line_of_loads_then_evaluate(text, at)

    @staticmethod
    def _line(text: str) -> tuple[str, bool]:
        with localcontext(DECIMAL):
            return _result(_job(_AT, None, None, 1), 1, text, {})
