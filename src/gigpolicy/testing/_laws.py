"""The laws every policy keeps, checked on a record at an instant, with the strategy of such cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from gigpolicy._codec import dumps
from gigpolicy._contract import Party
from gigpolicy._decision import Question
from gigpolicy._evaluate import evaluate
from gigpolicy._policy import Policy
from gigpolicy._record import ContractRecord
from gigpolicy._replay import replay
from gigpolicy.errors import GigPolicyError
from gigpolicy.testing._model import records
from gigpolicy.testing._strategies import instants


def check_policy_laws(policy: Policy, record: ContractRecord, at: datetime) -> None:
    """Assert the laws every policy keeps, for one record at one instant.

    The laws (a policy of your own should keep them too):

    - evaluating never raises on a valid record, is deterministic and leaves the record as it was;
    - every decision carries reasons;
    - a decision's ``until`` is the first instant its answer changes if no event is added: for the
      record as it stood at *at*, the answer at ``until`` is the other one, and halfway to it the same;
    - no public feedback is shown and no work-history entry exists while net paid is below the
      policy's ``display_threshold``;
    - fees are never negative, never more than what was paid, and net earnings never negative.

    Raises:
        AssertionError: naming the law that does not hold.
    """
    before = dumps(record)
    report = evaluate(record, at=at, policy=policy)
    at = report.at  # at its fixed offset, as evaluate takes it: halfway below is elapsed time, in any zone
    _law(report == evaluate(record, at=at, policy=policy), "evaluating twice gives different reports")
    _law(dumps(record) == before, "evaluating changed the record")
    # `until` speaks of the contract with no event added after `at`: judge the record as it stood then
    as_then = attrs.evolve(record, events=tuple(event for event in record.events if event.at <= at))
    for decision in report.decisions:
        where = f"{decision.question} for the {decision.party}"
        _law(bool(decision.reasons), f"{where} has no reasons")
        if decision.until is None:
            continue
        later = evaluate(as_then, at=decision.until, policy=policy).decision(decision.question, decision.party)
        _law(later.answer != decision.answer, f"{where}: the answer at until ({decision.until}) is the same")
        halfway = at + (decision.until - at) / 2  # `at` itself when they are a microsecond apart
        middle = evaluate(as_then, at=halfway, policy=policy).decision(decision.question, decision.party)
        _law(middle.answer == decision.answer, f"{where}: the answer changes before until ({halfway})")
    if report.state.net_paid.amount < policy.display_threshold:
        for party in Party:
            shown = report.decision(Question.FEEDBACK_PUBLISHED, party)
            _law(not shown.answer, f"the {party}'s feedback is shown below the display threshold")
        _law(not report.decision(Question.WORK_HISTORY, Party.FREELANCER).answer, "work history below threshold")
    earnings = report.earnings
    _law(Decimal(0) <= earnings.service_fee.amount <= earnings.gross.amount, f"fee out of bounds: {earnings}")
    _law(earnings.net.amount >= 0, f"negative net earnings: {earnings}")


def _law(holds: bool, broken: str) -> None:
    if not holds:
        raise AssertionError(broken)


def policy_law_cases(policy: Policy, *, max_events: int = 20) -> st.SearchStrategy[tuple[ContractRecord, datetime]]:
    """Records drawn for *policy*'s automatic steps, each with an instant to judge it at.

    Use it with :func:`check_policy_laws` to run the laws over your own policy::

        @given(policy_law_cases(MY_POLICY))
        def test_my_policy_keeps_the_laws(case):
            check_policy_laws(MY_POLICY, *case)
    """
    drawn = records(max_events=max_events, rules=policy.replay_rules, marketplaces=(None,))
    if policy.replay_rules.release_ends_contract:
        # the strategy's model does not end a contract when its escrow is paid out (Fiverr's
        # completion): keep the records whose later events that step does not contradict
        drawn = drawn.filter(lambda record: _replays(record, policy))
    return drawn.flatmap(lambda record: st.tuples(st.just(record), _instant_for(record)))


def _replays(record: ContractRecord, policy: Policy) -> bool:
    last = record.events[-1].at if record.events else record.contract.started_at
    try:
        replay(record, at=last, policy=policy)
    except GigPolicyError:
        return False
    return True


def _instant_for(record: ContractRecord) -> st.SearchStrategy[datetime]:
    start = record.contract.started_at
    last = record.events[-1].at if record.events else start
    return instants(after=start, before=last + timedelta(days=400))
