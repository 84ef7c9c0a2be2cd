"""A like-for-like Cedar yardstick: the 15 decisions of ``evaluate`` as one batch of Cedar requests.

``gigpolicy.evaluate(record, at=...)`` answers every question for every party it applies to
(15 decisions, see :data:`gigpolicy._decision.QUESTIONS`) for one contract at one instant. This
module writes the same 15 questions as Cedar policies (one action per question,
``Action::"public_feedback"`` ..., the party's ``User`` entity as principal, the contract as
resource, ``context.now`` as the instant) and answers them all with one
``cedarpy.is_authorized_batch`` call, for the benchmark's 4-event record (``records.four_events``)
judged at ``START + 6 days``: fixed price, 500.00 funded, submitted and released, ended by the
freelancer on day 4, so the feedback window is open.

What Cedar is given, and what it is not:

* The policies are parsed once, with the Upwork version's parameters (windows in seconds, the
  display threshold in cents, its switches as ``true``/``false``) written into their text.
* The facts are computed once, in Python, from gigpolicy's replayed state and passed as entities
  (not timed): instants as epoch seconds, money in cents, who left which feedback, open disputes.
  Where a rule needs what Cedar cannot compute (calendar arithmetic, the matching of refunds to
  payments, "the last rating", "the latest week"), the fact is derived in Python and Cedar compares
  it with ``context.now``; everything else (the windows added to instants, the thresholds, the
  branches on party, kind and version) is in the policies. See ``DERIVED`` below.
* The request's context is serialized once, so each call does no ``json.dumps`` of its own.

``cedar_batch_call`` checks, once, that Cedar's 15 allow/deny decisions equal gigpolicy's and that
no policy raised an error (an error in Cedar silently denies), so the comparison is honest.

    python benchmarks/cedar_batch.py
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Final

import cedarpy

import gigpolicy
from gigpolicy import ContractKind, ContractStatus, FeedbackKind, Party, UpworkPolicy
from gigpolicy._decision import APPLIES_TO, QUESTIONS
from gigpolicy.policies.upwork import _add_months, _last_paid, _refused_release

sys.path.insert(0, str(Path(__file__).parent))
from timing import median_seconds  # type: ignore[import-not-found]  # beside this file

from records import AT, four_events  # type: ignore[import-not-found]  # beside this file

REPEATS: Final = 7
NUMBER: Final = 1000

DERIVED: Final = {
    "feedback_closes": "00:00 UTC on the day after the 14th day from the end: Cedar's Long has no division or"
    " remainder to round an instant to its day, so UpworkPolicy.feedback_closes computes it",
    "jss_closes": "the end plus 24 calendar months: no calendar in Cedar's Long arithmetic",
    "newest_unrefunded_at": "the newest payment with something left once refunds are matched to payments (newest"
    " first, disputed weeks to their invoice): a loop Cedar cannot express; Cedar adds the 180-day window",
    "last_paid_at": "the last positive payment: Cedar has no maximum over a set",
    "latest_open_week": "the latest billed week not disputed (midnight of its Sunday): no maximum over a set;"
    " Cedar adds the days of the review",
    "client_public_rating / client_private_rating": "the client's last standing rating of each kind: no 'last"
    " element' in Cedar",
    "release_refused": "some milestone sent back with escrow still held: no quantifier over a set of records",
    "public_feedback_left / public_feedback_standing / private_feedback_left / last_feedback_at / edit_enabled_at /"
    " responded": "per-party facts of the feedback list (first, standing, latest), on the party's User entity",
}
"""The facts computed in Python because Cedar cannot compute them from the raw events, and why."""


def _epoch(instant: datetime) -> int:
    """*instant* as epoch seconds (Cedar's Long); the record's instants are whole seconds."""
    assert instant.microsecond == 0, instant
    return int(instant.timestamp())


def _midnight(day: date) -> int:
    return _epoch(datetime.combine(day, datetime.min.time(), tzinfo=UTC))


def _cents(amount: Decimal) -> int:
    cents = amount * 100
    assert cents == cents.to_integral_value(), amount
    return int(cents)


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _decimal(value: Decimal) -> str:
    return f"{value:.4f}"


def _extn_decimal(value: Decimal) -> dict[str, object]:
    return {"__extn": {"fn": "decimal", "arg": _decimal(value)}}


def cedar_policies(policy: UpworkPolicy) -> str:
    """The 15 questions of *policy*'s version as Cedar policies, its parameters written in."""
    both = "(principal == resource.client || principal == resource.freelancer)"
    reasons = policy.suspension_reasons
    suspended = (
        "!resource.client_suspension_reasons.isEmpty()"
        if reasons is None
        else f"resource.client_suspension_reasons.containsAny({json.dumps(list(reasons))})"
    )
    judged_private = f"({_bool(policy.private_feedback)} && resource has client_private_rating)"
    positive = (
        "((!(resource has client_public_rating) ||"
        f' resource.client_public_rating.greaterThanOrEqual(decimal("{_decimal(policy.jss_positive_public)}")))'
        f" && (!{judged_private} ||"
        f' resource.client_private_rating.greaterThanOrEqual(decimal("{_decimal(policy.jss_positive_private)}"))))'
    )
    threshold = _cents(policy.display_threshold)
    return f"""
// Either party may end a contract at any time, until it has ended.
permit(principal, action == Action::"end_contract", resource)
when {{ {both} && !resource.ended }};

// End-of-contract public feedback: in the window if not left yet, else within an edit the other enabled.
permit(principal, action == Action::"public_feedback", resource)
when {{
  {both} && resource.ended &&
  (if principal.public_feedback_left
   then principal has edit_enabled_at && context.now < principal.edit_enabled_at + {_seconds(policy.edit_window)}
   else resource has feedback_closes && context.now < resource.feedback_closes)
}};

// The client's private rating, where this version's form has one, once, in the feedback window.
permit(principal, action == Action::"private_feedback", resource)
when {{
  {_bool(policy.private_feedback)} && principal == resource.client && resource.ended &&
  resource has feedback_closes && context.now < resource.feedback_closes && !principal.private_feedback_left
}};

// Mid-contract feedback: open, old enough, a recent payment, no recent feedback from the client.
permit(principal, action == Action::"mid_contract_feedback", resource)
when {{
  principal == resource.client && !resource.ended &&
  context.now >= resource.started_at + {_seconds(policy.mid_contract_min_age)} &&
  resource has last_paid_at && context.now < resource.last_paid_at + {_seconds(policy.mid_contract_payment_within)} &&
  (!(principal has last_feedback_at) ||
   context.now >= principal.last_feedback_at + {_seconds(policy.mid_contract_feedback_gap)})
}};

// The party's standing public feedback is shown: revealed (double-blind) and net paid at least the threshold.
permit(principal, action == Action::"feedback_published", resource)
when {{
  {both} && principal.public_feedback_standing &&
  (principal.other.public_feedback_left ||
   (resource has feedback_closes && context.now >= resource.feedback_closes)) &&
  resource.net_paid >= {threshold}
}};

// A response to the other's revealed standing feedback, once, within the response period.
permit(principal, action == Action::"respond_to_feedback", resource)
when {{
  {both} && principal.other.public_feedback_standing &&
  (principal.public_feedback_left || (resource has feedback_closes && context.now >= resource.feedback_closes)) &&
  resource has ended_at && context.now < resource.ended_at + {_seconds(policy.response_window)} &&
  !principal.responded
}};

// Hourly: only the client, while the latest undisputed billed week is in review.
permit(principal, action == Action::"open_dispute", resource)
when {{
  resource.kind == "hourly" && principal == resource.client && resource has latest_open_week &&
  context.now < resource.latest_open_week + {policy.hourly_dispute_days * 86400}
}};

// Fixed price: no dispute open and escrow held; the client may ask for it back.
permit(principal, action == Action::"open_dispute", resource)
when {{
  resource.kind != "hourly" && principal == resource.client && !resource.dispute_open && resource.escrow > 0
}};

// Fixed price, the freelancer: after the end, (feedback first in this version) within the dispute period;
// before it, only against a refused release.
permit(principal, action == Action::"open_dispute", resource)
when {{
  resource.kind != "hourly" && principal == resource.freelancer && !resource.dispute_open && resource.escrow > 0 &&
  (if resource.ended
   then (!{_bool(policy.feedback_before_dispute)} || principal.public_feedback_standing) &&
        (if resource has escrow_return_due
         then context.now < resource.escrow_return_due
         else resource has ended_at &&
              context.now < resource.ended_at + {_seconds(policy.freelancer_dispute_window)})
   else resource.release_refused)
}};

// The freelancer refunds: something paid and not refunded, of a payment within the refund window.
permit(principal, action == Action::"issue_refund", resource)
when {{
  principal == resource.freelancer && resource.net_paid > 0 && resource has newest_unrefunded_at &&
  context.now < resource.newest_unrefunded_at + {_seconds(policy.refund_window)}
}};

// The contract is in the freelancer's work history once net paid reaches the threshold.
permit(principal, action == Action::"work_history", resource)
when {{ principal == resource.freelancer && resource.net_paid >= {threshold} }};

// The success score: ended, within the look-back; with feedback, positive counts if earned, negative unless the
// client was suspended; without, only where this version counts contracts without feedback.
permit(principal, action == Action::"job_success_score", resource)
when {{
  principal == resource.freelancer && resource.ended && resource has jss_closes && context.now < resource.jss_closes &&
  (if resource has client_public_rating || {judged_private}
   then (if {positive}
         then resource.net_paid > 0 || !{_bool(policy.jss_exclude_zero_positive)}
         else !({suspended}))
   else !{_bool(policy.jss_exclude_no_feedback)})
}};
"""


def _user(record: gigpolicy.ContractRecord, party: Party) -> dict[str, str]:
    terms = record.contract
    return {"type": "User", "id": terms.client if party is Party.CLIENT else terms.freelancer}


def cedar_entities(record: gigpolicy.ContractRecord, state: gigpolicy.ContractState, policy: UpworkPolicy) -> str:
    """The contract and its two parties as Cedar entities (JSON), their facts from the replayed *state*."""
    users: list[dict[str, object]] = []
    for party in (Party.CLIENT, Party.FREELANCER):
        mine = state.first_feedback(party, FeedbackKind.PUBLIC)
        attrs: dict[str, object] = {
            "other": {"__entity": _user(record, party.other)},
            "public_feedback_left": mine is not None,
            "public_feedback_standing": state.feedback_by(party, FeedbackKind.PUBLIC) is not None,
            "private_feedback_left": state.first_feedback(party, FeedbackKind.PRIVATE) is not None,
            "responded": state.has_responded(party),
        }
        last = state.last_feedback(party)
        if last is not None:
            attrs["last_feedback_at"] = _epoch(last.at)
        if mine is not None:
            enabled = [at for by, at in state.edits_enabled if by is party.other and at >= mine.at]
            if enabled:
                attrs["edit_enabled_at"] = _epoch(enabled[0])
        users.append({"uid": _user(record, party), "attrs": attrs, "parents": []})

    contract: dict[str, object] = {
        "client": {"__entity": _user(record, Party.CLIENT)},
        "freelancer": {"__entity": _user(record, Party.FREELANCER)},
        "kind": str(state.kind),
        "ended": state.status is ContractStatus.ENDED,
        "started_at": _epoch(state.started_at),
        "escrow": _cents(state.escrow.amount),
        "net_paid": _cents(state.net_paid.amount),
        "dispute_open": state.dispute is not None,
        "release_refused": _refused_release(state),
        "client_suspension_reasons": [s.reason for s in state.suspensions if s.party is Party.CLIENT],
    }
    if state.ended_at is not None:
        contract["ended_at"] = _epoch(state.ended_at)
        contract["feedback_closes"] = _epoch(policy.feedback_closes(state.ended_at))
        contract["jss_closes"] = _epoch(_add_months(state.ended_at, policy.jss_lookback_months))
    if state.escrow_return_due is not None:
        contract["escrow_return_due"] = _epoch(state.escrow_return_due)
    last_paid = _last_paid(state)
    if last_paid is not None:
        contract["last_paid_at"] = _epoch(last_paid)
    refund_closes = policy.refund_closes(state)
    if refund_closes is not None:
        contract["newest_unrefunded_at"] = _epoch(refund_closes - policy.refund_window)
    if state.kind is ContractKind.HOURLY:
        weeks = [week.week_ending for week in state.weeks if not week.disputed]
        if weeks:
            contract["latest_open_week"] = _midnight(max(weeks))
    standing = state.client_feedback()
    for kind, name in ((FeedbackKind.PUBLIC, "client_public_rating"), (FeedbackKind.PRIVATE, "client_private_rating")):
        ratings = [f.rating for f in standing if f.kind is kind]
        if ratings:
            contract[name] = _extn_decimal(ratings[-1])
    resource = {"uid": {"type": "Contract", "id": record.contract.id}, "attrs": contract, "parents": []}
    return json.dumps([*users, resource])


def _setup() -> tuple[gigpolicy.ContractRecord, UpworkPolicy]:
    record = gigpolicy.loads(four_events())
    policy = gigpolicy.get_policy("upwork", on=AT)
    assert isinstance(policy, UpworkPolicy), policy
    return record, policy


def cedar_batch_call() -> tuple[Callable[[], object], int]:
    """The call that answers the 15 questions with one Cedar batch, and the number of requests in it.

    Policies, entities and requests are built once, outside the call. Before returning, checks once
    that Cedar's decisions equal ``gigpolicy.evaluate``'s for the record at ``AT``.
    """
    record, policy = _setup()
    state = gigpolicy.replay(record, at=AT, policy=policy)
    policies = cedarpy.PolicySet.from_str(cedar_policies(policy))
    entities = cedarpy.Entities.from_json_str(cedar_entities(record, state, policy))
    context = json.dumps({"now": _epoch(AT)})
    resource = {"type": "Contract", "id": record.contract.id}
    asked = [(question, party) for question in QUESTIONS for party in APPLIES_TO[question]]
    requests: list[dict[str, object]] = [
        {
            "principal": _user(record, party),
            "action": {"type": "Action", "id": str(question)},
            "resource": resource,
            "context": context,
        }
        for question, party in asked
    ]

    results = cedarpy.is_authorized_batch(requests, policies, entities)
    expected = {(d.question, d.party): d.answer for d in gigpolicy.evaluate(record, at=AT, policy=policy).decisions}
    problems = []
    for (question, party), result in zip(asked, results, strict=True):
        errors = result.diagnostics.errors
        if errors:
            problems.append(f"{question}/{party}: Cedar policy errors {errors}")
        if result.allowed != expected.get((question, party)):
            problems.append(
                f"{question}/{party}: Cedar {'allows' if result.allowed else 'denies'},"
                f" gigpolicy answers {expected.get((question, party))}"
            )
    if len(expected) != len(asked):
        problems.append(f"gigpolicy answered {len(expected)} decisions, Cedar was asked {len(asked)}")
    if problems:
        raise AssertionError("Cedar and gigpolicy disagree: " + "; ".join(problems))

    return functools.partial(cedarpy.is_authorized_batch, requests, policies, entities), len(requests)


def main() -> None:
    """Time the Cedar batch and ``gigpolicy.evaluate`` of the same record, and print both and the ratio."""
    cedar, count = cedar_batch_call()
    record, policy = _setup()
    evaluate = functools.partial(gigpolicy.evaluate, record, at=AT, policy=policy)
    cedar_took = median_seconds(cedar, repeats=REPEATS, number=NUMBER)
    evaluate_took = median_seconds(evaluate, repeats=REPEATS, number=NUMBER)
    print(f"Cedar batch of {count} requests (cedarpy {_cedarpy_version()}): {cedar_took * 1e6:9.1f} us per call")
    print(f"gigpolicy.evaluate, {count} decisions with reasons:    {evaluate_took * 1e6:9.1f} us per call")
    print(f"ratio evaluate / Cedar batch: {evaluate_took / cedar_took:.2f}x")


def _cedarpy_version() -> str:
    from importlib.metadata import version  # noqa: PLC0415 - only for the printout

    return version("cedarpy")


if __name__ == "__main__":
    main()
