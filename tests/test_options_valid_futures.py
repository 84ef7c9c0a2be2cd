"""``options`` proposes only futures the replay accepts: for every record ``evaluate`` accepts, it raises nothing.

Two kinds of record made ``options`` raise ``InvalidTransition`` (records of ``tests/golden_outputs.py``,
shrunk here to the events that matter):

- an hourly contract with billed hours already in dispute, and a later week the client can still
  dispute: disputing it joins the open dispute, whose resolution decides every disputed week, but
  the simulated resolution split only the new week;
- a Freelancer.com contract whose public feedback from one party was removed: feedback there is
  final, and the replay refuses a second one, but the policy said the author could leave it again
  (it asked for the feedback still standing), so the other party's simulated response (or the
  author's feedback before a dispute) appended one.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests import golden_outputs as golden

from gigpolicy import (
    ContractRecord,
    DisputeResolved,
    FeedbackLeft,
    Party,
    Question,
    evaluate,
    get_policy,
    loads,
    options,
)
from gigpolicy.errors import GigPolicyError
from gigpolicy.testing import instants, records

_UPWORK_HOURLY: Final = (
    '"marketplace": "upwork", "kind": "hourly", "client": "c", "freelancer": "f", "hourly_rate": "40.00"'
)

# golden record 77, shrunk: a week in dispute, a later week billed; the client disputes that one too
DISPUTED_WEEK_THEN_ANOTHER: Final = (
    '{"format": "gigpolicy/1", "contract": {"id": "g-77", ' + _UPWORK_HOURLY + ', "currency": "USD",'
    ' "started_at": "2026-07-09T04:12:00Z"}, "events": ['
    '{"at": "2026-08-26T14:10:00Z", "type": "hours_billed", "week_ending": "2026-08-23", "hours": 20,'
    ' "amount": "5.00"},'
    ' {"at": "2026-08-28T15:50:00Z", "type": "hours_disputed", "week_ending": "2026-08-23"},'
    ' {"at": "2026-09-01T16:16:00Z", "type": "hours_billed", "week_ending": "2026-08-30", "hours": "10",'
    ' "amount": "500.99"}]}'
)
# golden record 968, shrunk: the same in rupees, the first week billed weeks before the second
DISPUTED_WEEK_THEN_ANOTHER_INR: Final = (
    '{"format": "gigpolicy/1", "contract": {"id": "g-968", ' + _UPWORK_HOURLY + ', "currency": "INR",'
    ' "started_at": "2025-06-03T15:19:00Z"}, "events": ['
    '{"at": "2025-06-04T16:51:00Z", "type": "hours_billed", "week_ending": "2025-06-01", "hours": "10",'
    ' "amount": "5.99"},'
    ' {"at": "2025-06-05T17:03:00Z", "type": "hours_disputed", "week_ending": "2025-06-01"},'
    ' {"at": "2025-07-22T23:44:00Z", "type": "hours_billed", "week_ending": "2025-07-20", "hours": "10",'
    ' "amount": "40.50"}]}'
)


def _removed(number: int, kind: str, currency: str, started: str, events: str) -> str:
    rate = ', "hourly_rate": "40.00"' if kind == "hourly" else ""
    return (
        f'{{"format": "gigpolicy/1", "contract": {{"id": "g-{number}", "marketplace": "freelancer", "kind": "{kind}",'
        f' "currency": "{currency}", "client": "c", "freelancer": "f", "started_at": "{started}"{rate}}},'
        f' "events": [{events}]}}'
    )


# golden record 171, shrunk: a fixed-price project ended, the freelancer's feedback left, then removed
FREELANCER_FEEDBACK_REMOVED: Final = _removed(
    171,
    "fixed_price",
    "JPY",
    "2025-06-15T15:46:00Z",
    '{"at": "2025-07-26T21:40:00Z", "type": "contract_ended", "by": "freelancer"},'
    ' {"at": "2025-08-29T23:26:00Z", "type": "feedback_left", "by": "freelancer", "kind": "public", "rating": 1},'
    ' {"at": "2025-08-30T00:13:00Z", "type": "feedback_removed", "author": "freelancer", "reason": "terms of service"}',
)
# golden record 219, shrunk: an hourly project ended, the client's feedback left, then removed
CLIENT_FEEDBACK_REMOVED: Final = _removed(
    219,
    "hourly",
    "EUR",
    "2026-02-01T19:01:00Z",
    '{"at": "2026-05-07T19:24:00Z", "type": "contract_ended", "by": "freelancer", "reason": "done"},'
    ' {"at": "2026-06-14T08:20:00Z", "type": "feedback_left", "by": "client", "kind": "public", "rating": "4.5"},'
    ' {"at": "2026-06-27T09:10:00Z", "type": "feedback_removed", "author": "client", "reason": "terms of service"}',
)
# golden record 435, shrunk: an hourly project, the freelancer's feedback removed weeks after it was left
FREELANCER_FEEDBACK_REMOVED_LATER: Final = _removed(
    435,
    "hourly",
    "EUR",
    "2025-10-10T11:50:00Z",
    '{"at": "2025-10-23T12:04:00Z", "type": "contract_ended", "by": "client", "reason": "done"},'
    ' {"at": "2025-11-25T12:08:00Z", "type": "feedback_left", "by": "freelancer", "kind": "public", "rating": "4.5"},'
    ' {"at": "2026-01-02T20:45:00Z", "type": "feedback_removed", "author": "freelancer", "reason": "terms of service"}',
)
# golden record 1187, shrunk: the freelancer's feedback left at once after the end, then removed
FREELANCER_FEEDBACK_REMOVED_EARLY: Final = _removed(
    1187,
    "hourly",
    "USD",
    "2025-07-04T15:41:00Z",
    '{"at": "2025-08-06T16:03:00Z", "type": "contract_ended", "by": "client"},'
    ' {"at": "2025-08-06T16:53:00Z", "type": "feedback_left", "by": "freelancer", "kind": "public", "rating": 1},'
    ' {"at": "2025-09-08T17:42:00Z", "type": "feedback_removed", "author": "freelancer", "reason": "terms of service"}',
)

# golden record 3798, shrunk: found by ``batch`` at 2026-06-01 (at the record's own instant the window had closed)
CLIENT_FEEDBACK_REMOVED_FIXED: Final = _removed(
    3798,
    "fixed_price",
    "GBP",
    "2025-12-23T04:50:00Z",
    '{"at": "2026-03-29T05:54:00Z", "type": "contract_ended", "by": "freelancer", "reason": "done"},'
    ' {"at": "2026-03-30T10:04:00Z", "type": "feedback_left", "by": "client", "kind": "public", "rating": 3},'
    ' {"at": "2026-04-07T17:28:00Z", "type": "feedback_removed", "author": "client", "reason": "terms of service"}',
)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


FOUND: Final = {
    "77-disputed-week-then-another": (DISPUTED_WEEK_THEN_ANOTHER, _at("2026-09-01T21:16:00+00:00")),
    "968-disputed-week-then-another": (DISPUTED_WEEK_THEN_ANOTHER_INR, _at("2025-07-23T04:44:00+00:00")),
    "171-freelancer-feedback-removed": (FREELANCER_FEEDBACK_REMOVED, _at("2025-09-12T08:27:00+00:00")),
    "219-client-feedback-removed": (CLIENT_FEEDBACK_REMOVED, _at("2026-06-27T17:40:00+00:00")),
    "435-freelancer-feedback-removed": (FREELANCER_FEEDBACK_REMOVED_LATER, _at("2026-01-03T01:45:00+00:00")),
    "1187-freelancer-feedback-removed": (FREELANCER_FEEDBACK_REMOVED_EARLY, _at("2025-09-21T23:36:00+00:00")),
    "3798-client-feedback-removed": (CLIENT_FEEDBACK_REMOVED_FIXED, _at("2026-06-01T00:00:00+00:00")),
}
"""Each record that made ``options`` raise, shrunk, and the instant it raised at."""


@pytest.mark.parametrize(("text", "at"), FOUND.values(), ids=FOUND.keys())
@pytest.mark.parametrize("party", list(Party))
def test_found_records_have_valid_futures(text: str, at: datetime, party: Party) -> None:
    """Every option of each found record is simulated: no future holds an event the replay refuses."""
    record = loads(text)
    evaluate(record, at=at)
    found = options(record, party=party, at=at)
    assert found[0].action == "wait"
    for option in found:
        for simulated in (option.worst_record, option.best_record, option.acted_record):
            evaluate(simulated, at=at)


@pytest.mark.parametrize(
    ("text", "at", "held", "week"),
    [
        (*FOUND["77-disputed-week-then-another"], "5.00", "500.99"),
        (*FOUND["968-disputed-week-then-another"], "5.99", "40.50"),
    ],
)
def test_disputing_another_week_resolves_the_whole_dispute(text: str, at: datetime, held: str, week: str) -> None:
    """The week joins the open dispute: each case's resolution splits every disputed week, as the replay does."""
    record = loads(text)
    dispute = next(option for option in options(record, party=Party.CLIENT, at=at) if option.action == "open_dispute")
    pool = Decimal(held) + Decimal(week)
    assert f"over the {week} {record.contract.currency} billed" in dispute.summary
    assert any(f"already open over {held} {record.contract.currency}" in told for told in dispute.assumptions)
    worst, best = (
        next(e for e in case.events if isinstance(e, DisputeResolved))
        for case in (dispute.worst_record, dispute.best_record)
    )
    assert (worst.to_freelancer.amount, worst.to_client.amount) == (pool, Decimal(0))
    assert (best.to_freelancer.amount, best.to_client.amount) == (Decimal(0), pool)
    assert not dispute.worst_case.state.dispute
    assert not dispute.best_case.state.dispute
    assert dispute.best_money.back_to_client.amount == pool


@pytest.mark.parametrize(
    ("text", "at", "author"),
    [
        (*FOUND["171-freelancer-feedback-removed"], Party.FREELANCER),
        (*FOUND["219-client-feedback-removed"], Party.CLIENT),
        (*FOUND["435-freelancer-feedback-removed"], Party.FREELANCER),
        (*FOUND["1187-freelancer-feedback-removed"], Party.FREELANCER),
        (*FOUND["3798-client-feedback-removed"], Party.CLIENT),
    ],
)
def test_removed_feedback_on_freelancer_com_stays_final(text: str, at: datetime, author: Party) -> None:
    """Freelancer.com feedback is final: its removal gives its author no second one, in the policy as in the replay."""
    record = loads(text)
    decision = evaluate(record, at=at).decision(Question.PUBLIC_FEEDBACK, author)
    assert not decision.answer
    assert ["ALREADY_LEFT"] == [reason.code for reason in decision.reasons]
    assert decision.reasons[0].message.endswith("which is final: its removal opens no new feedback.")
    for party in Party:
        for option in options(record, party=party, at=at):
            for case in (option.worst_record, option.best_record):
                added = case.events[len(record.events) :]
                assert not [e for e in added if isinstance(e, FeedbackLeft) and e.by is author]


def test_feedback_still_standing_on_freelancer_com_is_final() -> None:
    """Feedback not removed keeps its own reason: it was left, and it is final."""
    record = loads(
        _removed(
            171,
            "fixed_price",
            "JPY",
            "2025-06-15T15:46:00Z",
            '{"at": "2025-07-26T21:40:00Z", "type": "contract_ended", "by": "freelancer"},'
            ' {"at": "2025-08-29T23:26:00Z", "type": "feedback_left", "by": "freelancer", "kind": "public",'
            ' "rating": 1}',
        )
    )
    decision = evaluate(record, at=_at("2025-09-01T00:00:00+00:00")).decision(
        Question.PUBLIC_FEEDBACK, Party.FREELANCER
    )
    assert (decision.answer, [reason.code for reason in decision.reasons]) == (False, ["ALREADY_LEFT"])
    assert decision.reasons[0].message == "The freelancer already left feedback, which is final."


def test_removed_feedback_keeps_the_reason_of_a_closed_window() -> None:
    """After a removal, a closed window still says why no feedback can be left: it is the first reason."""
    record = loads(FREELANCER_FEEDBACK_REMOVED_EARLY)
    for at, code in (("2025-11-04T16:00:00+00:00", "ALREADY_LEFT"), ("2025-11-04T16:04:00+00:00", "WINDOW_CLOSED")):
        decision = evaluate(record, at=_at(at)).decision(Question.PUBLIC_FEEDBACK, Party.FREELANCER)
        assert (decision.answer, [reason.code for reason in decision.reasons]) == (False, [code])


MARKETPLACES: Final = ("upwork", "fiverr", "freelancer")


@st.composite
def judged(draw: st.DrawFn) -> tuple[ContractRecord, datetime]:
    """A record of a marketplace, consistent with its rules, and an instant from its start to after its last event."""
    marketplace = draw(st.sampled_from(MARKETPLACES))
    rules = get_policy(marketplace).replay_rules
    record = draw(records(max_events=12, rules=rules, marketplaces=(marketplace,)))
    last = record.events[-1].at if record.events else record.contract.started_at
    at = draw(instants(after=record.contract.started_at, before=last + timedelta(days=40)))
    return record, at


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(judged())
def test_options_raise_nothing_on_records_evaluate_accepts(case: tuple[ContractRecord, datetime]) -> None:
    """For every record ``evaluate`` accepts, ``options`` in either party's name raises nothing."""
    record, at = case
    try:
        evaluate(record, at=at)
    except GigPolicyError:
        assume(False)
    for party in Party:
        options(record, party=party, at=at)


GOLDEN: Final = 1_000
"""How many records of ``tests/golden_outputs.py`` the loop below takes (both parties: some seconds)."""


@pytest.mark.uncovered  # a check at scale: coverage would double its time, and the targeted tests measure it
def test_options_raise_nothing_on_the_golden_records() -> None:
    """The first golden records: where ``evaluate`` accepts one, ``options`` for each party raises nothing."""
    failed = []
    for number, (text, at) in enumerate(itertools.islice(golden.records(), GOLDEN)):
        record = loads(text)
        try:
            evaluate(record, at=at)
        except GigPolicyError:
            continue
        for party in Party:
            try:
                options(record, party=party, at=at)
            except GigPolicyError as error:
                failed.append(f"{number} {party}: {error}")
    assert [] == failed
