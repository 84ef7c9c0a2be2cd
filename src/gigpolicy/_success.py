"""An estimate of the Job Success Score from a freelancer's contract records.

The real score is proprietary. This estimate follows the published description (eligible
jobs in a look-back window, weights by earnings and length, exclusions, a minimum of jobs
and distinct clients); every threshold is a parameter of the policy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, runtime_checkable

import attrs

from gigpolicy._context import in_decimal_context
from gigpolicy._contract import Party
from gigpolicy._decision import Question, Reason
from gigpolicy._evaluate import Report, evaluate
from gigpolicy._money import Money
from gigpolicy._options import Option
from gigpolicy._policy import Policy, default_policy_name, get_policy, resolve_policy
from gigpolicy._record import ContractRecord
from gigpolicy._state import ContractState, Feedback
from gigpolicy._time import require_instant
from gigpolicy.errors import GigPolicyError, InvalidArgument, UnknownFreelancer

__all__ = [
    "CountedJob",
    "ExcludedJob",
    "JobSuccess",
    "ScoreEffect",
    "ScoredPolicy",
    "job_success",
    "job_weight",
    "score_effect",
]


@runtime_checkable
class ScoredPolicy(Protocol):
    """A policy whose contracts count toward a success score: what :func:`job_success` reads of it.

    Whether one contract counts is the policy's ``job_success_score`` rule; these three say how
    much it weighs, whether its client feedback is positive, and how many jobs and distinct
    clients a score needs. A marketplace of your own gets a success score by giving its policy
    these methods, as the built-in policies that have a success score do.
    """

    def score_minimums(self) -> tuple[int, int]:
        """How many counted jobs, and how many distinct clients among them, a score needs."""
        ...  # pragma: no cover - a protocol

    def job_weight(self, state: ContractState) -> Decimal:
        """The weight of a counted job whose contract stands as *state*."""
        ...  # pragma: no cover - a protocol

    def is_positive(self, feedback: tuple[Feedback, ...]) -> bool:
        """Whether the client's end-of-contract *feedback* is positive."""
        ...  # pragma: no cover - a protocol


@attrs.frozen(kw_only=True)
class CountedJob:
    """A contract that counts toward the score, with its weight."""

    contract: str
    client: str
    weight: Decimal
    positive: bool | None
    """``True`` for positive client feedback, ``False`` for negative, ``None`` for none."""
    net_paid: Money


@attrs.frozen(kw_only=True)
class ExcludedJob:
    """A contract left out of the score, and why."""

    contract: str
    reasons: tuple[Reason, ...]


@attrs.frozen(kw_only=True)
class JobSuccess:
    """The estimate: ``score = 100 x (positive - negative) / total`` weights, at least 0, rounded."""

    score: int
    jobs: tuple[CountedJob, ...]
    excluded: tuple[ExcludedJob, ...]
    positive_weight: Decimal
    negative_weight: Decimal
    total_weight: Decimal
    policy: Policy


def job_weight(report: Report, policy: ScoredPolicy) -> Decimal:
    """A counted job's weight under *policy*: ``policy.job_weight(report.state)``."""
    return policy.job_weight(report.state)


def _outcome(report: Report, policy: ScoredPolicy) -> bool | None:
    given = report.state.client_feedback()
    return policy.is_positive(given) if given else None


@in_decimal_context
def job_success(
    records: Iterable[ContractRecord],
    *,
    freelancer: str,
    at: datetime,
    policy: Policy | str | None = None,
) -> JobSuccess | None:
    """Estimate the freelancer's Job Success Score at *at* from their contract records.

    Each record is judged by the ``job_success_score`` rule of its policy (the given one, else
    its marketplace's, else Upwork's); the minimum of jobs and distinct clients comes from the
    policy in force at *at* (the given one, else Upwork's).

    Returns:
        The estimate, or ``None`` while fewer jobs or distinct clients count than required (no
        records at all is such a case: a freelancer with no jobs yet).

    Raises:
        InvalidRecord: for a naive *at*, *records* that are not an iterable of records
            (an :class:`~gigpolicy.errors.InvalidArgument`), a *freelancer* that is not a string.
        UnknownFreelancer: if there are records but none is *freelancer*'s: a misspelt name
            is not taken for a freelancer without jobs.
        GigPolicyError: if the policy has no success score parameters.
    """
    at = require_instant(at, "at")
    if not isinstance(freelancer, str):
        raise InvalidArgument("freelancer", f"must be a string, not {type(freelancer).__name__}")
    threshold_policy = _thresholds(policy, at)
    if not isinstance(records, Iterable):
        raise InvalidArgument("records", f"must be an iterable of records, not {type(records).__name__}")
    pairs = []
    for index, record in enumerate(records):
        if not isinstance(record, ContractRecord):
            raise InvalidArgument(f"records[{index}]", f"must be a ContractRecord, not {type(record).__name__}")
        pairs.append((record, at))
    known = dict.fromkeys(record.contract.freelancer for record, _ in pairs)
    if pairs and freelancer not in known:
        raise UnknownFreelancer(freelancer, tuple(known))
    return _estimate(pairs, freelancer=freelancer, policy=policy, thresholds=threshold_policy)


def _thresholds(policy: Policy | str | None, at: datetime) -> tuple[Policy, ScoredPolicy]:
    """The policy whose minimum of jobs and clients applies at *at*: the given one, else Upwork's.

    It comes twice: as the policy it is, and as the success score it has.
    """
    found = policy if isinstance(policy, Policy) else get_policy(policy or default_policy_name(), on=at)
    if not isinstance(found, ScoredPolicy):
        raise GigPolicyError(f"{found.name} has no success score for gigpolicy to estimate")
    return found, found


def _judge(
    record: ContractRecord, at: datetime, *, freelancer: str, policy: Policy | str | None
) -> CountedJob | ExcludedJob:
    """Count one contract, judged at its own instant, or say why it is left out."""
    terms = record.contract
    if terms.freelancer != freelancer:
        reason = Reason(code="OTHER_FREELANCER", message=f"The contract is {terms.freelancer}'s, not {freelancer}'s.")
        return ExcludedJob(contract=terms.id, reasons=(reason,))
    report = evaluate(record, at=at, policy=policy, questions=(Question.JOB_SUCCESS_SCORE,))
    decision = report.decision(Question.JOB_SUCCESS_SCORE, Party.FREELANCER)
    rules, _ = resolve_policy(policy, record, at)
    if not decision.answer or not isinstance(rules, ScoredPolicy):
        return ExcludedJob(contract=terms.id, reasons=decision.reasons)
    return CountedJob(
        contract=terms.id,
        client=terms.client,
        weight=job_weight(report, rules),
        positive=_outcome(report, rules),
        net_paid=report.state.net_paid,
    )


def _estimate(
    pairs: Iterable[tuple[ContractRecord, datetime]],
    *,
    freelancer: str,
    policy: Policy | str | None,
    thresholds: tuple[Policy, ScoredPolicy],
) -> JobSuccess | None:
    """The estimate over contracts each judged at its own instant."""
    judged = [_judge(record, at, freelancer=freelancer, policy=policy) for record, at in pairs]
    jobs = [job for job in judged if isinstance(job, CountedJob)]
    excluded = [job for job in judged if isinstance(job, ExcludedJob)]
    clients = {job.client for job in jobs}
    least_jobs, least_clients = thresholds[1].score_minimums()
    if len(jobs) < least_jobs or len(clients) < least_clients:
        return None
    positive = sum((job.weight for job in jobs if job.positive is True), Decimal(0))
    negative = sum((job.weight for job in jobs if job.positive is False), Decimal(0))
    total = sum((job.weight for job in jobs), Decimal(0))
    score = max(Decimal(0), 100 * (positive - negative) / total).quantize(Decimal(1), ROUND_HALF_UP)
    return JobSuccess(
        score=int(score),
        jobs=tuple(jobs),
        excluded=tuple(excluded),
        positive_weight=positive,
        negative_weight=negative,
        total_weight=total,
        policy=thresholds[0],
    )


@attrs.frozen(kw_only=True)
class ScoreEffect:
    """How one contract moves the success-score estimate, now and in an option's two cases."""

    before: JobSuccess | None
    """The estimate with the contract as it stands now."""
    worst: JobSuccess | None
    """The estimate once every window of the option's worst case has closed."""
    best: JobSuccess | None
    """The estimate once every window of the option's best case has closed."""


@in_decimal_context
def score_effect(
    history: Iterable[ContractRecord],
    option: Option,
    *,
    freelancer: str,
    policy: Policy | str | None = None,
) -> ScoreEffect:
    """The estimate with the freelancer's other contracts, before and after each case of *option*.

    The other contracts are judged at the instant the option is taken; the option's contract
    at the end of each case, so the estimate moves only by what the option does (the 24-month
    aging of the other jobs is left out).

    Raises:
        InvalidRecord: for *history* that is not an iterable of records.
        GigPolicyError: if the policy has no success score parameters.
        TypeError: if *option* is not an :class:`~gigpolicy.Option`.
    """
    if not isinstance(option, Option):
        raise TypeError(f"option must be an Option (from gigpolicy.options), not {type(option).__name__}")
    at = option.right_after.at
    others = []
    for index, record in enumerate(history):
        if not isinstance(record, ContractRecord):
            raise InvalidArgument(f"history[{index}]", f"must be a ContractRecord, not {type(record).__name__}")
        others.append((record, at))
    thresholds = _thresholds(policy, at)

    def estimate(record: ContractRecord, instant: datetime) -> JobSuccess | None:
        return _estimate([*others, (record, instant)], freelancer=freelancer, policy=policy, thresholds=thresholds)

    return ScoreEffect(
        before=estimate(_before(option), at),
        worst=estimate(option.worst_record, option.worst_case.at),
        best=estimate(option.best_record, option.best_case.at),
    )


def _before(option: Option) -> ContractRecord:
    """The contract as it stood before the option's events: the record its steps start from."""
    kept = option.right_after.state.events_applied - len(option.events)
    return option.worst_record._prefix(kept)  # noqa: SLF001 - a simulated record may pass MAX_EVENTS
