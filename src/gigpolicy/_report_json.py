"""Reports, options, comparisons and sources as JSON-ready data, and batch result lines.

``--json`` prints these, and so does ``gigpolicy batch``: :func:`report_line` writes the same
object as :func:`report_data`, straight to compact JSON text. :func:`json_text` is the text the
command line prints and ``gigpolicy serve`` answers: the two give the same bytes for the same data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring
from typing import Final

from gigpolicy._codec import CODEC
from gigpolicy._decision import MEMOS, Decision, Reason
from gigpolicy._evaluate import Difference, Report
from gigpolicy._money import Money
from gigpolicy._options import MoneyEffect, Option
from gigpolicy._policy import Policy, available_policies, policy_versions
from gigpolicy._record import ContractRecord
from gigpolicy._report_text import printable
from gigpolicy._sources import date_confirmed, policies_citing, sources
from gigpolicy._success import JobSuccess, ScoreEffect
from gigpolicy._time import format_instant, instant_key
from gigpolicy._trusted import BoundedCache

__all__ = [
    "DEADLINES_FORMAT",
    "DIFFERENCES_FORMAT",
    "ERRORS_FORMAT",
    "OPTIONS_FORMAT",
    "POLICIES_FORMAT",
    "REPORT_FORMAT",
    "SCORE_FORMAT",
    "SOURCES_FORMAT",
    "TIMELINE_FORMAT",
    "VALIDATION_FORMAT",
    "differences_data",
    "json_text",
    "options_data",
    "policies_data",
    "policy_data",
    "report_data",
    "report_line",
    "sources_data",
    "version_data",
]

# The kind and version of each JSON document the command line prints, in its "format" field. A
# document's version goes up when a field changes meaning or goes away; a new field keeps it.
# Each has a JSON Schema in docs/reference/schemas/, which the tests check outputs against.
REPORT_FORMAT: Final = "gigpolicy-report/1"
"""``explain --json``, ``POST /v1/evaluate``, each report line of ``batch``, and each case of an option."""
OPTIONS_FORMAT: Final = "gigpolicy-options/1"
"""``options --json`` and ``POST /v1/options``."""
DIFFERENCES_FORMAT: Final = "gigpolicy-differences/1"
"""``compare --json``."""
POLICIES_FORMAT: Final = "gigpolicy-policies/1"
"""``policies --json`` and ``GET /v1/policies``."""
SOURCES_FORMAT: Final = "gigpolicy-sources/1"
"""``policies --sources --json``."""
ERRORS_FORMAT: Final = "gigpolicy-errors/1"
"""Each error line of ``batch``."""
VALIDATION_FORMAT: Final = "gigpolicy-validation/1"
"""``validate --json``."""
TIMELINE_FORMAT: Final = "gigpolicy-timeline/1"
"""``timeline --json``."""
DEADLINES_FORMAT: Final = "gigpolicy-deadlines/1"
"""``deadlines --json``."""
SCORE_FORMAT: Final = "gigpolicy-score/1"
"""``score --json``."""

_REMEMBERED: Final = 4096
"""How many texts each cache below keeps before it starts afresh: memory stays bounded."""
_INSTANTS: Final[BoundedCache[timedelta, str]] = BoundedCache(_REMEMBERED)
_REASONS: Final[BoundedCache[tuple[object, object, object], str]] = BoundedCache(_REMEMBERED)
_POLICIES: Final[BoundedCache[int, tuple[Policy, str]]] = BoundedCache(_REMEMBERED)
_ASSUMPTIONS: Final[BoundedCache[tuple[str, ...], str]] = BoundedCache(_REMEMBERED)
_COMPACT: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _instant(value: datetime | None) -> str | None:
    return None if value is None else _utc(value)


def _utc(value: datetime) -> str:
    """*value* in RFC 3339 at UTC; each distinct instant is formatted once, then remembered."""
    key = instant_key(value)
    text = _INSTANTS.get(key)
    if text is None:
        text = _INSTANTS.remember(key, format_instant(value.astimezone(UTC)))
    return text


def _money(value: Money) -> str:
    return str(value.amount)


def policy_data(policy: Policy) -> dict[str, object]:
    """A policy version's identity as JSON-ready data."""
    return {
        "name": policy.name,
        "version": policy.label,
        "effective_from": policy.effective_from.isoformat(),
        "title": policy.title,
        "source": policy.source,
    }


def version_data(policy: Policy) -> dict[str, object]:
    """A version as ``gigpolicy policies --json`` lists it: its identity and whether its date is confirmed."""
    return {**policy_data(policy), "date_confirmed": date_confirmed(policy)}


def policies_data() -> dict[str, object]:
    """Every version of every registered policy, as ``gigpolicy policies --json`` lists them."""
    return {
        "format": POLICIES_FORMAT,
        "policies": [version_data(version) for name in available_policies() for version in policy_versions(name)],
    }


def json_text(data: object) -> str:
    """*data* as indented JSON text and a newline, escaping also the C1, DEL and format characters JSON leaves raw.

    The command line prints this for ``--json``; ``gigpolicy serve`` answers it as the body.
    """
    return printable(json.dumps(data, indent=2, ensure_ascii=False), lines=True, json_escapes=True) + "\n"


def sources_data() -> dict[str, object]:
    """Every listed source as JSON-ready data, sorted by URL, with the policies that cite it."""
    listed = [
        {
            "url": source.url,
            "kind": source.kind.value,
            "title": source.title,
            "checked": source.checked.isoformat(),
            "date_confirmed": source.date_confirmed,
            "note": source.note,
            "versions": list(source.versions),
            "cited_by": list(policies_citing(source.url)),
        }
        for source in sources()
    ]
    return {"format": SOURCES_FORMAT, "sources": listed}


def report_data(report: Report, record: ContractRecord | None = None) -> dict[str, object]:
    """The report as JSON-ready data: the same facts as the text, in stable names."""
    state = report.state
    data: dict[str, object] = {"format": REPORT_FORMAT}
    if record is not None:
        data["contract"] = record.contract.id
    data.update(
        {
            "at": _instant(report.at),
            "policy": policy_data(report.policy),
            "state": {
                "status": state.status.value,
                "ended_at": _instant(state.ended_at),
                "ended_by": None if state.ended_by is None else state.ended_by.value,
                "currency": state.currency,
                "escrow": _money(state.escrow),
                "paid": _money(state.paid),
                "refunded": _money(state.refunded),
                "net_paid": _money(state.net_paid),
                "escrow_returned": _money(state.escrow_returned),
                "deposited": _money(state.deposited),
                "automatic_steps": [
                    {
                        "at": _instant(step.at),
                        "code": step.code,
                        "milestone": step.milestone,
                        "amount": _money(step.amount),
                    }
                    for step in state.automatic
                ],
            },
            "earnings": {
                "gross": _money(report.earnings.gross),
                "service_fee": _money(report.earnings.service_fee),
                "net": _money(report.earnings.net),
                "assumptions": list(report.earnings.assumptions),
            },
            "decisions": [_decision_data(decision) for decision in report.decisions],
        }
    )
    return data


def _decision_data(decision: Decision) -> dict[str, object]:
    return {
        "question": decision.question.value,
        "party": decision.party.value,
        "answer": decision.answer,
        "until": _instant(decision.until),
        "reasons": [
            {"code": reason.code, "message": reason.message, "source": reason.source} for reason in decision.reasons
        ],
    }


def report_line(report: Report, record: ContractRecord, line: int) -> str:
    """One ``gigpolicy batch`` result line: the report as compact JSON, numbered *line*.

    The text is exactly ``json.dumps({"line": line, **report_data(report, record)},
    ensure_ascii=False, separators=(",", ":"))``, written directly: the policy, each distinct
    reason and each instant are encoded once and remembered, which makes it several times faster.
    """
    state, earnings = report.state, report.earnings
    ended_by = "null" if state.ended_by is None else f'"{state.ended_by!s}"'
    steps = ",".join(
        [
            f'{{"at":"{_utc(step.at)}","code":{encode_basestring(step.code)},'
            f'"milestone":{encode_basestring(step.milestone)},"amount":"{step.amount.amount!s}"}}'
            for step in state.automatic
        ]
    )
    decisions = _decisions_line(report.decisions)
    return (
        f'{{"line":{line:d},"format":"{REPORT_FORMAT}","contract":{encode_basestring(record.contract.id)},"at":"{_utc(report.at)}",'
        f'"policy":{_policy_line(report.policy)},"state":{{"status":"{state.status!s}",'
        f'"ended_at":{_instant_line(state.ended_at)},"ended_by":{ended_by},'
        f'"currency":{encode_basestring(state.currency)},"escrow":"{state.escrow.amount!s}",'
        f'"paid":"{state.paid.amount!s}","refunded":"{state.refunded.amount!s}",'
        f'"net_paid":"{state.net_paid.amount!s}","escrow_returned":"{state.escrow_returned.amount!s}",'
        f'"deposited":"{state.deposited.amount!s}","automatic_steps":[{steps}]}},'
        f'"earnings":{{"gross":"{earnings.gross.amount!s}","service_fee":"{earnings.service_fee.amount!s}",'
        f'"net":"{earnings.net.amount!s}","assumptions":{_assumptions_line(earnings.assumptions)}}},'
        f'"decisions":[{decisions}]}}'
    )


def _instant_line(value: datetime | None) -> str:
    return "null" if value is None else _quoted(value)


def _quoted(value: datetime) -> str:
    return f'"{_utc(value)}"'


def _assumptions_line(assumptions: tuple[str, ...]) -> str:
    # a fee schedule makes the same few assumptions for every record: each list is encoded once
    text = _ASSUMPTIONS.get(assumptions)
    if text is None:
        text = _ASSUMPTIONS.remember(assumptions, _COMPACT.encode(list(assumptions)))
    return text


def _decisions_line(decisions: tuple[Decision, ...]) -> str:
    texts: list[str] = []
    append, memos = texts.append, MEMOS.get
    for decision in decisions:
        # a decision made once and given again has its text made once too (looked up inline: a
        # call per decision would cost more than the lookup)
        kept = memos(id(decision))
        if kept is not None and kept[0] is decision:
            made = kept[1]
            if made:
                append(made[0])
                continue
            made.append(_decision_line(decision))
            append(made[0])
            continue
        append(_decision_line(decision))
    return ",".join(texts)


def _decision_line(decision: Decision) -> str:
    known = _REASONS.get
    return (
        f'{{"question":"{decision.question!s}","party":"{decision.party!s}",'
        f'"answer":{"true" if decision.answer else "false"},'
        f'"until":{"null" if decision.until is None else _quoted(decision.until)},"reasons":['
        + ",".join(
            [known((reason.code, reason.message, reason.source)) or _reason_line(reason) for reason in decision.reasons]
        )
        + "]}"
    )


def _reason_line(reason: Reason) -> str:
    given: tuple[object, object, object] = (reason.code, reason.message, reason.source)  # a user's may hold any
    code, message, source = given
    if isinstance(code, str) and isinstance(message, str) and (source is None or isinstance(source, str)):
        # as `_COMPACT.encode` writes the reason's dict, without the encoder's calls around its C part
        cited = "null" if source is None else encode_basestring(source)
        text = f'{{"code":{encode_basestring(code)},"message":{encode_basestring(message)},"source":{cited}}}'
    else:
        text = _COMPACT.encode({"code": code, "message": message, "source": source})
    return _REASONS.remember(given, text)


def _policy_line(policy: Policy) -> str:
    # a policy is frozen: its text never changes while the policy is held here
    known = _POLICIES.get(id(policy))
    if known is None or known[0] is not policy:
        known = _POLICIES.remember(id(policy), (policy, _COMPACT.encode(policy_data(policy))))
    return known[1]


def differences_data(found: tuple[Difference, ...], first: Report, second: Report) -> dict[str, object]:
    """The comparison as JSON-ready data."""
    return {
        "format": DIFFERENCES_FORMAT,
        "first": policy_data(first.policy),
        "second": policy_data(second.policy),
        "differences": [{"first": _decision_data(item.first), "second": _decision_data(item.second)} for item in found],
        "earnings": [report_data(report)["earnings"] for report in (first, second)],
    }


def options_data(found: tuple[Option, ...], effects: Sequence[ScoreEffect] | None = None) -> dict[str, object]:
    """The options as JSON-ready data: ``{"format": "gigpolicy-options/1", "options": [...]}``."""
    found_data: list[dict[str, object]] = [
        {
            "action": option.action,
            "party": option.party.value,
            "summary": option.summary,
            "events": [CODEC.unstructure(event) for event in option.events],
            "assumptions": list(option.assumptions),
            "warnings": [
                {"code": reason.code, "message": reason.message, "source": reason.source} for reason in option.warnings
            ],
            "worst_case": report_data(option.worst_case),
            "best_case": report_data(option.best_case),
            "worst_money": _effect_data(option.worst_money),
            "best_money": _effect_data(option.best_money),
        }
        for option in found
    ]
    if effects is not None:
        for item, effect in zip(found_data, effects, strict=True):
            item["score_effect"] = {
                "before": _score_data(effect.before),
                "worst": _score_data(effect.worst),
                "best": _score_data(effect.best),
            }
    return {"format": OPTIONS_FORMAT, "options": found_data}


def _score_data(estimate: JobSuccess | None) -> int | None:
    return None if estimate is None else estimate.score


def _effect_data(effect: MoneyEffect) -> dict[str, str]:
    return {
        "paid_to_freelancer": _money(effect.paid_to_freelancer),
        "back_to_client": _money(effect.back_to_client),
        "escrow_held": _money(effect.escrow_held),
        "net_earnings": _money(effect.net_earnings),
    }
