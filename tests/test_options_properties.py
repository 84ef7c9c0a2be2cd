"""Properties of what-if options and of the success-score estimate, over generated records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.records import day, end, feedback, fixed, fund, release

from gigpolicy import (
    ContractEnded,
    ContractKind,
    ContractRecord,
    ContractTerms,
    EscrowReturned,
    FeedbackKind,
    FeedbackLeft,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    Party,
    Question,
    Report,
    evaluate,
    job_success,
    options,
    replay,
)
from gigpolicy.testing import instants, records

PRAISE_REPORTED: Final = (
    fixed(fund(day(0)), release(day(1)), end(day(2), by=Party.CLIENT), feedback(day(2), rating="5")),
    day(2),
    Party.FREELANCER,
)
"""A freelancer whom the client praised: ``report_feedback`` is offered, and its best case (the
praise removed) is worse for the freelancer than its worst (the praise stays)."""

FAST: Final = settings(max_examples=settings().max_examples // 2, suppress_health_check=[HealthCheck.too_slow])
"""options() evaluates a record many times: half the profile's examples (25 in ``dev``) keep the suite quick."""


@st.composite
def situations(draw: st.DrawFn) -> tuple[ContractRecord, datetime, Party]:
    """A record, an instant from its start to a while after its last event, and a party."""
    record = draw(records(max_events=10))
    last = record.events[-1].at if record.events else record.contract.started_at
    at = draw(instants(after=record.contract.started_at, before=last + timedelta(days=40)))
    return record, at, draw(st.sampled_from(list(Party)))


def cut(record: ContractRecord, at: datetime) -> ContractRecord:
    """The record without the events after *at*."""
    return attrs.evolve(record, events=tuple(event for event in record.events if event.at <= at))


def shown_about(report: Report, party: Party) -> int:
    """The public feedback about *party* as it is seen: +1 praise, -1 criticism, 0 nothing shown."""
    given_ = report.state.feedback_by(party.other, FeedbackKind.PUBLIC)
    if given_ is None or not report.decision(Question.FEEDBACK_PUBLISHED, party.other).answer:
        return 0
    return 1 if given_.rating >= Decimal(4) else -1


def praised(report: Report, party: Party) -> bool:
    """Whether the other party's public feedback on *party* stands in *report* and is positive, as its policy judges."""
    given_ = report.state.feedback_by(party.other, FeedbackKind.PUBLIC)
    return given_ is not None and report.policy.is_positive((given_,))


def score_effect(report: Report) -> int:
    """The contract's effect on the freelancer's success score: +1, -1, or 0 when not counted or neutral."""
    decision = report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER)
    codes = {reason.code for reason in decision.reasons}
    if not decision.answer:
        return 0
    return 1 if "POSITIVE_FEEDBACK" in codes else -1 if "NEGATIVE_FEEDBACK" in codes else 0


@FAST
@given(situations())
def test_wait_adds_no_event(situation: tuple[ContractRecord, datetime, Party]) -> None:
    """Rule: "`wait` adds no event: nobody acts", and "every automatic step the policy would take" plays out.

    Its records are the record followed only by logs of automatic steps and the other party's
    feedback, and right after it the contract is as it stands now.
    """
    record, at, party = situation
    wait = options(record, party=party, at=at)[0]
    now = evaluate(cut(record, at), at=at)
    assert ("wait", (), now) == (wait.action, wait.events, wait.right_after)
    kept = cut(record, at).events
    for simulated in (wait.worst_record, wait.best_record):
        assert kept == simulated.events[: len(kept)]
        for event in simulated.events[len(kept) :]:
            if isinstance(event, FeedbackLeft):
                assert party.other is event.by
            else:
                assert isinstance(event, ContractEnded | MilestoneReleased | EscrowReturned)


@FAST
@example(situation=PRAISE_REPORTED)
@given(situations())
def test_worst_case_is_never_better_than_best(situation: tuple[ContractRecord, datetime, Party]) -> None:
    """Rule: the worst case follows "the other party's most damaging response", the best case the most favourable.

    On every outcome the party cares about (the feedback shown about them, the success score, the
    freelancer's net earnings, the client's money back), the worst case is no better than the best.

    But for ``report_feedback`` of praise: the specification defines that option's cases by the
    marketplace's decision (best case, the feedback removed; worst case, it stays), and removing
    praise is no gain for the party it praised.
    """
    record, at, party = situation
    for option in options(record, party=party, at=at):
        worst, best = option.worst_case, option.best_case
        if option.action == "report_feedback" and praised(worst, party):
            continue
        assert shown_about(worst, party) <= shown_about(best, party), option.action
        if party is Party.FREELANCER:
            assert score_effect(worst) <= score_effect(best), option.action
            assert worst.earnings.net <= best.earnings.net, option.action
        else:
            assert option.worst_money.back_to_client <= option.best_money.back_to_client, option.action


@FAST
@given(situations())
def test_every_option_replays(situation: tuple[ContractRecord, datetime, Party]) -> None:
    """Rule: an option's events are "the hypothetical events the action appends": the record they make is valid.

    The cut record plus the option's events is a valid record that replays at the instant of each
    case, and each case's own record replays to that case's state.
    """
    record, at, party = situation
    base = cut(record, at)
    for option in options(record, party=party, at=at):
        extended = ContractRecord(contract=record.contract, events=(*base.events, *option.events))
        assert all(event.at == at for event in option.events)
        for case, case_record in ((option.worst_case, option.worst_record), (option.best_case, option.best_record)):
            replay(extended, at=case.at)
            assert case.state == replay(case_record, at=case.at)
            assert case.at >= at


def positive_job(freelancer: str, client: str, at: datetime) -> ContractRecord:
    """A job for *freelancer* that ended a day before *at* with the client's top ratings, paid 300.00 USD."""
    start = at - timedelta(days=3)
    terms = ContractTerms(
        id="c-positive",
        kind=ContractKind.FIXED_PRICE,
        currency="USD",
        client=client,
        freelancer=freelancer,
        started_at=start,
    )
    paid = Money.of("300.00", "USD")
    ended = at - timedelta(days=1)
    events = (
        MilestoneFunded(at=start, milestone="m1", amount=paid),
        MilestoneReleased(at=start + timedelta(hours=1), milestone="m1", amount=paid),
        ContractEnded(at=ended, by=Party.CLIENT),
        FeedbackLeft(at=ended, by=Party.CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(5)),
        FeedbackLeft(at=ended, by=Party.CLIENT, kind=FeedbackKind.PRIVATE, rating=Decimal(10)),
    )
    return ContractRecord(contract=terms, events=events)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[ContractRecord], datetime]:
    """A few ended contracts of the freelancer ``fl-1``, and an instant after the last of them ended."""
    drawn = draw(st.lists(records(ended=True, max_events=8), max_size=5))
    mine = [attrs.evolve(r, contract=attrs.evolve(r.contract, freelancer="fl-1")) for r in drawn]
    last = max((r.events[-1].at for r in mine), default=datetime(2020, 1, 1, tzinfo=UTC))
    return mine, draw(instants(after=last + timedelta(days=3), before=last + timedelta(days=400)))


@FAST
@given(histories())
def test_score_bounds_and_a_positive_job_never_lowers_it(history: tuple[list[ContractRecord], datetime]) -> None:
    """Rule: "score = 100 x (positive - negative) / total, at least 0", so it lies within 0-100.

    And one more positive job, adding the same weight to the positive and the total, never lowers it.
    """
    mine, at = history
    before = job_success(mine, freelancer="fl-1", at=at)
    after = job_success([*mine, positive_job("fl-1", "client-new", at)], freelancer="fl-1", at=at)
    for estimate in (before, after):
        assert estimate is None or 0 <= estimate.score <= 100
    if before is not None:
        assert after is not None
        assert after.score >= before.score
        assert len(before.jobs) + 1 == len(after.jobs)
