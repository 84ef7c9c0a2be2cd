"""Properties of the foundation over generated records: round trips, money, replay laws, bad input."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import attrs
import pytest
from hypothesis import Phase, event, find, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from gigpolicy import (
    ContractEnded,
    ContractKind,
    ContractRecord,
    ContractStatus,
    ContractTerms,
    Event,
    InvalidRecord,
    MilestoneFunded,
    MilestoneReleased,
    Money,
    ReplayRules,
    WorkSubmitted,
    dumps,
    get_policy,
    loads,
    replay,
)
from gigpolicy._events import EVENT_TYPES
from gigpolicy._ledger import Ledger
from gigpolicy._money import CURRENCIES
from gigpolicy._state import NO_AUTOMATIC_STEPS
from gigpolicy.testing import ZONES, contract_terms, instants, money, records
from gigpolicy.testing import _model as testing_model

if TYPE_CHECKING:
    from collections.abc import Callable

RULES: Final = (
    ReplayRules(),
    ReplayRules(auto_release_after=timedelta(days=3), escrow_return_after_client_end=timedelta(0)),
    ReplayRules(review_restarts_on_resubmission=False, escrow_return_after_freelancer_end=timedelta(days=1)),
    NO_AUTOMATIC_STEPS,
    ReplayRules(dormant_after=timedelta(days=90), dormancy_counts_from=datetime(2025, 5, 1, tzinfo=UTC)),
    ReplayRules(dormant_after=timedelta(days=60), dormant_escrow_return_after=None),
)
"""Replay rules to draw records for: Upwork's, Fiverr-like quick ones, slow ones, none, and two that close
dormant contracts (Upwork's from 2025-05-01, and a quicker one that keeps the escrow held)."""

FIXED_ONLY: Final = frozenset(
    {"milestone_funded", "work_submitted", "changes_requested", "milestone_released", "escrow_returned"}
    | {"dispute_opened"}  # on an hourly contract, escrow exists only inside the dispute over hours
)
HOURLY_ONLY: Final = frozenset({"hours_billed", "hours_disputed"})
KIND_AND_TYPE: Final = [
    (kind, name)
    for kind, impossible in ((ContractKind.FIXED_PRICE, HOURLY_ONLY), (ContractKind.HOURLY, FIXED_ONLY))
    for name in sorted(EVENT_TYPES)
    if name not in impossible
]
"""Every event type each kind of contract allows."""
COVERAGE: Final = settings(database=None, derandomize=True, phases=[Phase.generate], max_examples=2_000)
"""Deterministic and generate-only: the search for an example is the test, not its shrinking."""


@st.composite
def moments(draw: st.DrawFn, record: ContractRecord) -> datetime:
    """An instant from the start to 60 days after the last event, often one where something happens."""
    start = record.contract.started_at
    last = record.events[-1].at if record.events else start
    marks = [start, *(item.at for item in record.events)]
    marks += [item.at + timedelta(days=14) for item in record.events if isinstance(item, WorkSubmitted)]
    marks += [item.at + timedelta(days=7) for item in record.events if isinstance(item, ContractEnded)]
    mark = draw(st.sampled_from(marks))
    return draw(
        st.one_of(
            st.just(mark),
            st.just(max(start, mark - timedelta(microseconds=1))),
            instants(after=start, before=last + timedelta(days=60)),
        )
    )


_CLASSES: Final[tuple[type[ContractTerms | Event], ...]] = (ContractTerms, *EVENT_TYPES.values())
_MONEY_FIELDS: Final = frozenset(
    field.name for cls in _CLASSES for field in attrs.fields(cls) if "Money" in str(field.type)
)
_NUMBER_FIELDS: Final = _MONEY_FIELDS | {
    field.name for cls in _CLASSES for field in attrs.fields(cls) if "Decimal" in str(field.type)
}
_INSTANT_FIELDS: Final = frozenset({"at", "started_at", "due_at"})
_OFFSET: Final = re.compile(r"(Z|[+-][0-9]{2}:[0-9]{2})$")


def _required(kind: str, item: dict[str, Any]) -> list[str]:
    if kind == "record":
        return ["format", "contract", "events"]
    cls = ContractTerms if kind == "contract" else EVENT_TYPES[item["type"]]
    names = [field.name for field in attrs.fields(cls) if field.default is attrs.NOTHING]
    return names if kind == "contract" else ["type", *names]


def _wrong_values(key: str, *, required: bool) -> list[object]:
    if key == "events":
        wrong: list[object] = ["[]", {}, True, 7]
    elif key == "contract":
        wrong = ["{}", [], True, 7]
    else:
        wrong = [True, False, [], {}]
        if key not in _NUMBER_FIELDS:
            wrong.append(7)
    return [*wrong, None] if required else wrong


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[str, str, str]:
    """A valid record's JSON with exactly one corruption: (what was done, where, the text)."""
    record = draw(records())
    data = json.loads(dumps(record))
    objects: list[tuple[str, str, dict[str, Any]]] = [("", "record", data), ("contract", "contract", data["contract"])]
    objects += [(f"events[{index}]", "event", item) for index, item in enumerate(data["events"])]
    fields = [(path, kind, item, key) for path, kind, item in objects for key in item]
    targets = {
        "drop": [(path, kind, item, key) for path, kind, item in objects for key in _required(kind, item)],
        "unknown_field": [(path, kind, item, "") for path, kind, item in objects],
        "wrong_type": fields,
        "naive": [entry for entry in fields if entry[3] in _INSTANT_FIELDS],
        "decimals": [entry for entry in fields if entry[3] in _MONEY_FIELDS],
        "negate": [entry for entry in fields if entry[3] in _MONEY_FIELDS and Decimal(entry[2][entry[3]]) != 0],
        "unknown_type": [entry for entry in fields if entry[0].startswith("events[") and entry[3] == "type"],
    }
    times = [item.at for item in record.events]
    pairs = [(i, j) for i in range(len(times)) for j in range(i + 1, len(times)) if times[i] != times[j]]
    corruption = draw(st.sampled_from([name for name, found in targets.items() if found] + ["swap"] * bool(pairs)))
    event(corruption)
    if corruption == "swap":
        i, j = draw(st.sampled_from(pairs))
        data["events"][i], data["events"][j] = data["events"][j], data["events"][i]
        where = "events"
    else:
        path, kind, item, key = draw(st.sampled_from(targets[corruption]))
        key = _corrupt(draw, corruption, item, key, required=key in _required(kind, item), record=record)
        where = f"{path}.{key}" if path else key
    note(f"{corruption} at {where}")
    return corruption, where, json.dumps(data)


def _corrupt(
    draw: st.DrawFn, corruption: str, item: dict[str, Any], key: str, *, required: bool, record: ContractRecord
) -> str:
    """Spoil *key* of *item* in place the way *corruption* says; return the key spoiled."""
    if corruption == "drop":
        del item[key]
    elif corruption == "unknown_field":
        key = draw(st.sampled_from(["extra", "amout", "Type", "note", "by_"]).filter(lambda name: name not in item))
        item[key] = "x"
    elif corruption == "wrong_type":
        item[key] = draw(st.sampled_from(_wrong_values(key, required=required)))
    elif corruption == "naive":
        item[key] = _OFFSET.sub("", item[key])
    elif corruption == "decimals":
        item[key] = str(Decimal(item[key]) + Decimal(1).scaleb(-CURRENCIES[record.contract.currency] - 1))
    elif corruption == "negate":
        item[key] = f"-{item[key]}"
    else:
        item[key] = draw(st.sampled_from(["milestone_fund", "MILESTONE_FUNDED", "payment", ""]))
    return key


class TestGeneratedRecords:
    """The public strategies of ``gigpolicy.testing`` generate valid values, and all kinds of them."""

    @given(records())
    def test_records_pass_every_check_of_a_record(self, record: ContractRecord) -> None:
        """Generated records are valid: "loads checks everything that does not depend on a policy"."""
        ledger = Ledger(record.contract, NO_AUTOMATIC_STEPS)
        ledger.run(record.events, None)
        for item in record.events:
            event(item.TYPE)
        assert [] == ledger.errors
        assert record == ContractRecord(contract=record.contract, events=record.events)

    @given(st.data())
    def test_records_are_consistent_with_the_rules_they_were_drawn_for(self, data: st.DataObject) -> None:
        """No event contradicts an automatic step: "moves no money twice" and replay raises nothing."""
        rules = data.draw(st.sampled_from(RULES))
        record = data.draw(records(rules=rules))
        last = record.events[-1].at if record.events else record.contract.started_at
        state = replay(record, at=last + timedelta(days=400), policy=rules)
        assert len(record.events) == state.events_applied

    @given(st.data())
    def test_records_honour_their_arguments(self, data: st.DataObject) -> None:
        """``kind``, ``currency``, ``ended`` and ``max_events`` shape every record drawn."""
        kind = data.draw(st.sampled_from(ContractKind))
        currency = data.draw(st.sampled_from(sorted(CURRENCIES)))
        ended = data.draw(st.booleans())
        most = data.draw(st.integers(1, 12))
        record = data.draw(records(kind, currency=currency, ended=ended, max_events=most))
        ends = [item for item in record.events if isinstance(item, ContractEnded)]
        assert (kind, currency) == (record.contract.kind, record.contract.currency)
        if ended or not ends:
            assert (1 if ended else 0) == len(ends)
        else:  # an open contract the marketplace closed as dormant: the one recorded end logs that
            state = replay(record, at=record.events[-1].at, policy=get_policy("upwork").replay_rules)
            assert (len(ends), state.ended_by) == (1, None)
            assert any(step.code == "DORMANT_CLOSED" for step in state.automatic)
        assert len(record.events) <= most

    @given(st.data())
    def test_records_start_within_their_bounds(self, data: st.DataObject) -> None:
        """``started_after`` and ``started_before`` bound the contract's start, as :func:`contract_terms` takes them."""
        after = data.draw(instants())
        before = after + timedelta(seconds=data.draw(st.integers(0, 10**7)))
        record = data.draw(records(started_after=after, started_before=before, max_events=3))
        assert after <= record.contract.started_at <= before

    def test_dormancy_closures_are_generated_and_logged(self) -> None:
        """Under rules that close dormant contracts, records hold closures, each logged by the next event."""
        rules = RULES[-2]

        def closed_then_logged(record: ContractRecord) -> bool:
            state = replay(
                record, at=record.events[-1].at if record.events else record.contract.started_at, policy=rules
            )
            return any(step.code == "DORMANT_CLOSED" for step in state.automatic) and any(
                isinstance(item, ContractEnded) for item in record.events
            )

        # started where the rules count dormancy from: before it, no record can hold a closure
        # (from 2016, the default, about one record in 600 does; from there, one in 30)
        assert rules.dormancy_counts_from is not None  # the rules that close dormant contracts
        started = records(ContractKind.FIXED_PRICE, rules=rules, started_after=rules.dormancy_counts_from)
        found = find(started, closed_then_logged, settings=COVERAGE)
        state = replay(found, at=found.events[-1].at, policy=rules)
        assert state.ended_by is None
        assert state.status is ContractStatus.ENDED

    @pytest.mark.parametrize(("kind", "event_type"), KIND_AND_TYPE)
    def test_every_event_type_of_a_kind_is_generated(self, kind: ContractKind, event_type: str) -> None:
        """Records "cover both contract kinds and every event type" that the kind allows."""
        found = find(records(kind), lambda r: any(e.TYPE == event_type for e in r.events), settings=COVERAGE)
        assert event_type in {item.TYPE for item in found.events}

    @given(st.data())
    def test_instants_are_aware_and_within_bounds(self, data: st.DataObject) -> None:
        """Instants are timezone-aware, in one of the zones, between their bounds inclusive."""
        low = data.draw(instants())
        high = low + data.draw(st.integers(0, 10**6).map(lambda seconds: timedelta(seconds=seconds)))
        value = data.draw(instants(after=low, before=high))
        assert value.tzinfo in ZONES
        assert low <= value <= high

    @given(st.data())
    def test_money_has_the_currency_places_and_bounds(self, data: st.DataObject) -> None:
        """Money is exact: "`Money.amount` is a `Decimal` with the currency's number of decimal places"."""
        currency = data.draw(st.sampled_from(sorted(CURRENCIES)))
        amount = data.draw(money(currency, min_value="0", max_value=50))
        assert Money.of(str(amount.amount), currency) == amount
        assert Decimal(0) <= amount.amount <= Decimal(50)
        assert -CURRENCIES[currency] == amount.amount.as_tuple().exponent

    @given(money())
    def test_money_of_any_currency_is_positive_by_default(self, amount: Money) -> None:
        """Amounts default to "greater than zero", the rule every event amount follows."""
        assert amount > Money.zero(amount.currency)
        assert -CURRENCIES[amount.currency] == amount.amount.as_tuple().exponent

    @given(contract_terms(started_after=datetime(2020, 1, 1, tzinfo=UTC)))
    def test_terms_start_after_the_bound(self, terms: ContractTerms) -> None:
        """Terms honour ``started_after`` and only ever draw hourly details for hourly contracts."""
        assert terms.started_at >= datetime(2020, 1, 1, tzinfo=UTC)
        assert terms.kind is ContractKind.HOURLY or terms.hourly_rate is None

    def test_bad_arguments_raise_invalid_argument(self) -> None:
        """Unusable arguments raise Hypothesis's ``InvalidArgument`` when the strategy is built."""
        naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
        calls: list[Callable[[], object]] = [
            lambda: instants(after=naive),
            lambda: instants(after=datetime(2026, 1, 2, tzinfo=UTC), before=datetime(2026, 1, 1, tzinfo=UTC)),
            lambda: money("XXX"),
            lambda: money("USD", min_value=5, max_value=4),
            lambda: contract_terms(currency="XXX"),
            lambda: contract_terms(marketplaces=()),
            lambda: records(max_events=-1),
            lambda: records(max_events=0, ended=True),
            lambda: records(started_after=naive),
            lambda: records(started_before=datetime(2016, 1, 1, tzinfo=UTC)),  # before the default earliest start
        ]
        for call in calls:
            with pytest.raises(InvalidArgument):
                call()


class TestRoundTrip:
    """The record format writes and reads every record without loss."""

    @given(records())
    def test_loads_dumps_is_identity(self, record: ContractRecord) -> None:
        """SPEC: "`loads(dumps(r)) == r` for every valid record"."""
        assert record == loads(dumps(record))

    @given(records())
    def test_dumps_is_stable(self, record: ContractRecord) -> None:
        """SPEC: amounts are "always parsed exactly, never through `float`", so text survives a round trip."""
        text = dumps(record)
        assert text == dumps(loads(text))


class TestMoney:
    """The ledger balances at every instant."""

    @given(st.data())
    def test_escrow_paid_and_returned_add_up_to_deposits(self, data: st.DataObject) -> None:
        """SPEC: "`escrow + paid + escrow_returned` equals everything the client put in ..., at every `at`"."""
        record = data.draw(records())
        at = data.draw(moments(record))
        state = replay(record, at=at)
        assert state.deposited == state.escrow + state.paid + state.escrow_returned

    @given(st.data())
    def test_net_paid_is_never_negative(self, data: st.DataObject) -> None:
        """SPEC: "refunding more than was paid" is invalid, so `net_paid` (`paid - refunded`) is never negative."""
        record = data.draw(records())
        state = replay(record, at=data.draw(moments(record)))
        zero = Money.zero(record.contract.currency)
        assert state.net_paid >= zero
        assert state.escrow >= zero
        assert state.escrow_returned >= zero

    @given(st.data())
    def test_the_ledger_balances_under_any_rules(self, data: st.DataObject) -> None:
        """SPEC: the identity holds "at every `at`", under any replay rules, not only Upwork's."""
        rules = data.draw(st.sampled_from(RULES))
        record = data.draw(records(rules=rules))
        state = replay(record, at=data.draw(moments(record)), policy=rules)
        assert state.deposited == state.escrow + state.paid + state.escrow_returned
        assert state.net_paid >= Money.zero(record.contract.currency)


class TestReplayLaws:
    """Replay is a fold: where it stops in between does not change where it arrives."""

    @given(st.data())
    def test_replaying_to_t1_then_on_to_t2_equals_replaying_to_t2(self, data: st.DataObject) -> None:
        """STYLE: "replaying a prefix then the rest equals replaying all"."""
        rules = data.draw(st.sampled_from(RULES))
        record = data.draw(records(rules=rules))
        t1, t2 = sorted([data.draw(moments(record)), data.draw(moments(record))])
        ledger = Ledger(record.contract, rules)
        ledger.run(record.events, t1)
        for index, item in enumerate(record.events):
            if t1 < item.at <= t2:
                ledger.apply(index, item)
        ledger.advance(t2)
        assert [] == ledger.errors
        assert replay(record, at=t2, policy=rules) == ledger.snapshot(t2)

    @given(st.data())
    def test_snapshots_along_the_way_equal_replays_to_their_instants(self, data: st.DataObject) -> None:
        """Snapshots rebuild only changed milestones, yet one moving ledger gives replay's state at each instant."""
        rules = data.draw(st.sampled_from(RULES))
        record = data.draw(records(rules=rules))
        instants = sorted(data.draw(st.lists(moments(record), min_size=1, max_size=6)))
        ledger = Ledger(record.contract, rules)
        applied = 0
        for instant in instants:
            while applied < len(record.events) and record.events[applied].at <= instant:
                ledger.apply(applied, record.events[applied])
                applied += 1
            ledger.advance(instant)
            assert replay(record, at=instant, policy=rules) == ledger.snapshot(instant)

    @given(st.data())
    def test_the_state_depends_on_the_instant_not_its_zone(self, data: st.DataObject) -> None:
        """SPEC: "Timestamps are RFC 3339 with an offset": the same instant in any offset is the same state."""
        record = data.draw(records())
        at = data.draw(moments(record))
        zone = data.draw(st.sampled_from(ZONES))
        assert replay(record, at=at) == replay(record, at=at.astimezone(zone))


class TestBadInput:
    """Any single corruption of a valid record is reported as an ``InvalidRecord`` and nothing else."""

    @given(corrupted())
    def test_one_corruption_raises_invalid_record_at_its_place(self, case: tuple[str, str, str]) -> None:
        """SPEC: "Nothing else escapes the public functions on bad input: no `KeyError`, no `TypeError`"."""
        corruption, where, text = case
        with pytest.raises(InvalidRecord) as caught:
            loads(text)
        found = [error.path for error in caught.value.errors]
        note(f"{corruption}: {found}")
        assert any(path == where or path.startswith((f"{where}.", f"{where}[")) for path in found)


Ex = TypeVar("Ex")


class _NoDraw:
    """A draw function for a model that must not draw."""

    def __call__(self, strategy: st.SearchStrategy[Ex], label: object = None) -> Ex:
        raise AssertionError((strategy, label))


class TestModelDeadlines:
    """The strategies' own model of the automatic steps, on the cases chance rarely draws."""

    def test_the_earliest_of_two_reviews_comes_first(self) -> None:
        """With two submissions under review, the earlier one releases first, whichever is listed first."""
        terms = ContractTerms(
            id="c",
            kind=ContractKind.FIXED_PRICE,
            currency="USD",
            client="cl",
            freelancer="fl",
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        model = testing_model._Model(
            cast("st.DrawFn", _NoDraw()), terms, ReplayRules()
        )  # DrawFn also wants __signature__
        early, late = datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC)
        model.milestones = {
            "late": testing_model._Milestone(escrow=100, submitted_at=late),
            "early": testing_model._Milestone(escrow=100, submitted_at=early),
            "after": testing_model._Milestone(escrow=100, submitted_at=late),
            "paid out": testing_model._Milestone(escrow=0, submitted_at=early),
        }
        due = model._next_due()
        assert due is not None
        assert early + timedelta(days=14) == due[0]
        due[1]()
        assert (0, 100, 100) == tuple(model.milestones[name].escrow for name in ("early", "late", "after"))

    def test_an_overdue_release_is_activity_when_it_is_taken(self) -> None:
        """A release already due when its milestone is funded again is taken then, and is activity then.

        Work submitted on a paid-out milestone starts a review that its next funding makes overdue:
        replay releases it at the funding's instant, so dormancy counts from there, not from the
        review's end (the model once counted from the past and closed the contract too early).
        """
        start = datetime(2026, 1, 1, tzinfo=UTC)
        later = start + timedelta(days=30)
        rules = ReplayRules(dormant_after=timedelta(days=60), dormant_escrow_return_after=None)
        terms = ContractTerms(
            id="c", kind=ContractKind.FIXED_PRICE, currency="USD", client="cl", freelancer="fl", started_at=start
        )
        cent = Money.of("0.01", "USD")
        events = [
            MilestoneFunded(at=start, milestone="m1", amount=cent),
            MilestoneReleased(at=start, milestone="m1", amount=cent),
            WorkSubmitted(at=start, milestone="m1"),
            MilestoneFunded(at=start, milestone="m2", amount=cent),
            MilestoneFunded(at=later, milestone="m1", amount=cent),
        ]
        model = testing_model._Model(cast("st.DrawFn", _NoDraw()), terms, rules)
        model.milestones = {
            "m1": testing_model._Milestone(escrow=1, submitted_at=start),
            "m2": testing_model._Milestone(escrow=1),
        }
        model.now = model.last_activity = later
        model.advance(later)
        state = replay(ContractRecord(contract=terms, events=events), at=later, policy=rules)
        assert [(MilestoneReleased, "m1", 1)] == model.unlogged
        assert ["AUTO_RELEASE"] == [step.code for step in state.automatic]
        assert later + timedelta(days=60) == model._dormant_due() == state.dormant_at
