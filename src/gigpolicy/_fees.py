"""Service fees: schedules, and what a contract's payments earn the freelancer after them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Final, Protocol, TypeAlias, TypeGuard, runtime_checkable

import attrs

from gigpolicy._contract import FIXED_PRICE, ContractTerms
from gigpolicy._money import CURRENCIES, Money, _add, _minus, _subtract, exact_money, times_amount
from gigpolicy._state import ContractState, Payment
from gigpolicy._trusted import BoundedCache, trusted

__all__ = [
    "Earnings",
    "ExplainedFeeSchedule",
    "FeeSchedule",
    "FlatFee",
    "MinimumFee",
    "PerContractFee",
    "TieredFee",
    "earnings",
]


class FeeSchedule(Protocol):
    """How much a marketplace keeps of one payment to the freelancer."""

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        """The fee on a payment of *amount*, after *billed_before* was billed on the contract."""
        ...  # pragma: no cover - a protocol


def _round(value: Decimal, currency: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-CURRENCIES[currency]), ROUND_HALF_UP)


@attrs.frozen(kw_only=True)
class FlatFee:
    """One rate on every payment.

    >>> FlatFee(rate=Decimal("0.10")).fee(Money.of("12.35", "USD"), billed_before=Money.zero("USD"), terms=None)
    Money(amount=Decimal('1.24'), currency='USD')
    """

    rate: Decimal

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        """``rate`` of *amount*, rounded half up."""
        del billed_before, terms
        return amount.times(self.rate)


@attrs.frozen(kw_only=True)
class TieredFee:
    """Rates by how much was billed on the contract before: ``tiers`` are ``(up_to, rate)``.

    The last tier's ``up_to`` is ``None`` (no limit). Upwork's 2016 schedule is
    ``((500, 0.20), (10000, 0.10), (None, 0.05))``.

    >>> tiers = TieredFee(tiers=((Decimal(500), Decimal("0.2")), (None, Decimal("0.1"))))
    >>> tiers.fee(Money.of(600, "USD"), billed_before=Money.zero("USD"), terms=None)
    Money(amount=Decimal('110.00'), currency='USD')
    """

    tiers: tuple[tuple[Decimal | None, Decimal], ...]

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        """The sum over tiers of the part of *amount* that falls in each, rounded half up once."""
        del terms
        start = billed_before.amount
        end = start + amount.amount
        total = Decimal(0)
        low = Decimal(0)
        for up_to, rate in self.tiers:
            high = end if up_to is None else up_to
            part = min(end, high) - max(start, low)
            if part > 0:
                total += part * rate
            if up_to is None:
                break
            low = up_to
        return Money(amount=_round(total, amount.currency), currency=amount.currency)


@attrs.frozen(kw_only=True)
class MinimumFee:
    """A rate with a minimum per payment on fixed-price contracts, the rate alone on hourly ones.

    Never more than the payment itself.
    """

    rate: Decimal
    minimum: Decimal

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        """``max(rate x amount, minimum)`` for fixed-price, ``rate x amount`` for hourly; at most *amount*."""
        del billed_before
        fee = amount.times(self.rate)
        if terms is not None and terms.kind is FIXED_PRICE:
            fee = max(fee, Money(amount=self.minimum, currency=amount.currency))
        return min(fee, amount)


@attrs.frozen(kw_only=True)
class PerContractFee:
    """The contract's own ``freelancer_fee_rate`` when it has one, else ``default``.

    A marketplace that sets the fee per contract fixes it when the contract starts, so
    ``started_from`` keeps contracts started before the change on ``default``, and
    ``maximum`` caps the rate it ever charges. A contract that started under the per-contract
    schedule but whose record gives no rate is charged ``default``; :meth:`assumptions` says so.

    >>> from datetime import datetime, UTC
    >>> from gigpolicy import ContractKind
    >>> schedule = PerContractFee(
    ...     default=FlatFee(rate=Decimal("0.10")), maximum=Decimal("0.15"), started_from=date(2025, 5, 1)
    ... )
    >>> terms = ContractTerms(
    ...     id="c-1",
    ...     kind=ContractKind.FIXED_PRICE,
    ...     currency="USD",
    ...     client="cl",
    ...     freelancer="fl",
    ...     started_at=datetime(2026, 1, 5, tzinfo=UTC),
    ...     freelancer_fee_rate=Decimal("0.12"),
    ... )
    >>> schedule.fee(Money.of(100, "USD"), billed_before=Money.zero("USD"), terms=terms)
    Money(amount=Decimal('12.00'), currency='USD')
    """

    default: FeeSchedule
    maximum: Decimal | None = None
    """The highest rate charged; a contract's rate above it is charged at it (and said so)."""
    started_from: date | None = None
    """Contracts started before this day (UTC) are charged ``default`` whatever rate they give."""

    def _rate(self, terms: ContractTerms | None) -> Decimal | None:
        """The contract's own rate as charged, or ``None`` when ``default`` applies."""
        if terms is None or not self._per_contract(terms):
            return None
        rate = terms.freelancer_fee_rate
        if rate is not None and self.maximum is not None and rate > self.maximum:
            return self.maximum
        return rate

    def _per_contract(self, terms: ContractTerms) -> bool:
        return self.started_from is None or terms.started_at.astimezone(UTC).date() >= self.started_from

    def fee(self, amount: Money, *, billed_before: Money, terms: ContractTerms | None) -> Money:
        """The contract's rate of *amount*, or what ``default`` charges."""
        rate = self._rate(terms)
        if rate is not None:
            return amount.times(rate)
        return self.default.fee(amount, billed_before=billed_before, terms=terms)

    def assumptions(self, terms: ContractTerms) -> tuple[str, ...]:
        """What charging *terms* under this schedule assumes: a rate missing, or capped.

        A contract started before ``started_from`` keeps ``default``; if its record gives a rate,
        that the rate was not charged is said too.
        """
        rate = terms.freelancer_fee_rate
        if not self._per_contract(terms):
            if rate is None:
                return ()
            return (
                (
                    f"The record's freelancer_fee_rate ({_percent(rate)}) was not charged: the contract started before "
                    f"{self.started_from}, when per-contract fees began, and keeps {_describe(self.default)}."
                ),
            )
        if rate is None:
            return (
                (
                    "The record gives no freelancer_fee_rate for a contract whose fee is set per contract; "
                    f"{_describe(self.default)} was assumed."
                ),
            )
        if self.maximum is not None and rate > self.maximum:
            return (
                (
                    f"The record's freelancer_fee_rate ({_percent(rate)}) is above the {_percent(self.maximum)} "
                    f"this schedule charges at most; {_percent(self.maximum)} was charged."
                ),
            )
        return ()


def _percent(rate: Decimal) -> str:
    text = format(rate * 100, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _describe(schedule: FeeSchedule) -> str:
    if isinstance(schedule, FlatFee):
        return f"the default rate of {_percent(schedule.rate)}"
    return "the default schedule"


@runtime_checkable
class ExplainedFeeSchedule(FeeSchedule, Protocol):
    """A fee schedule that can say what charging a contract under it assumes."""

    def assumptions(self, terms: ContractTerms) -> tuple[str, ...]:
        """Plain sentences: what charging *terms* assumes (empty when nothing)."""
        ...  # pragma: no cover - a protocol


@attrs.frozen(kw_only=True)
class Earnings:
    """What the freelancer earned on the contract: ``gross - service_fee == net``."""

    gross: Money
    """Net paid: payments less refunds."""
    service_fee: Money
    """Fees charged on payments less fees returned with refunds."""
    net: Money
    assumptions: tuple[str, ...] = ()
    """Plain sentences: what the fees assumed (a per-contract rate the record does not give, ...);
    empty when nothing was assumed."""


class _Charged:
    """One payment as charged: what of it is still paid, its fee still kept, what it paid for.

    The amounts are plain Decimals of the contract's currency, as all of a fold's amounts are (a
    Money per addition would cost several times the addition); :func:`earnings` hands out Money.
    """

    __slots__ = ("amount", "fee", "reference")

    def __init__(self, amount: Decimal, fee: Decimal, reference: str | None) -> None:
        self.amount = amount
        self.fee = fee
        self.reference = reference


class _Charges:
    """The fees charged on a contract's payments so far: a fold that can go on with more payments.

    Looking ahead, ``evaluate`` and the futures of ``options`` judge state after state whose
    payments only grow by automatic releases (or a step's payment): the charges of the last
    payments judged are kept, and go on with the new payments alone when nothing before them
    changed, so that a long look-ahead over a long history of payments stays linear.
    """

    __slots__ = ("billed", "charged", "fees", "key", "payments", "refunds", "used")

    def __init__(
        self, key: tuple[object, ...], payments: tuple[Payment, ...], refunds: tuple[Payment, ...], zero: Decimal
    ) -> None:
        self.key = key
        self.payments = payments
        self.refunds = refunds
        self.charged: list[_Charged] = []
        self.used: list[FeeSchedule] = []
        self.billed = zero
        self.fees = zero

    def goes_on(self, key: tuple[object, ...], payments: tuple[Payment, ...], refunds: tuple[Payment, ...]) -> bool:
        """Whether these charges go on to *payments* and *refunds*: theirs, then only later moves.

        The later moves must come after every move charged here in the order the fold takes
        them (by instant, a payment before a refund of the same instant).
        """
        mine = self.key  # its terms last: `earnings` compares those first, as most often they differ
        if len(mine) != len(key) or any(one is not other for one, other in zip(mine, key, strict=True)):
            return False
        paid, refunded = len(self.payments), len(self.refunds)
        if refunds[:refunded] != self.refunds or payments[:paid] != self.payments:
            return False
        # charges are kept only of a move at least: `earnings` keeps none for a state without any
        last = max(move.at for move in (self.payments[-1:] + self.refunds[-1:]))
        last_refund = self.refunds[-1].at if self.refunds else None
        return all(p.at >= last and (last_refund is None or p.at > last_refund) for p in payments[paid:]) and all(
            r.at >= last for r in refunds[refunded:]
        )


def earnings(
    state: ContractState,
    terms: ContractTerms,
    schedule_at: Callable[[Payment], FeeSchedule],
    current: FeeSchedule | None = None,
    *,
    key: tuple[object, ...],
) -> Earnings:
    """Charge each payment under ``schedule_at(payment)`` and return fees with refunds.

    A refund returns the fee at the rate charged on the refunded payments, newest first;
    disputed hours return the fee of their week's invoice. The assumptions are those of every
    schedule that charged a payment and of *current*, the schedule in force now (which would
    charge the next payment). *key* names ``schedule_at`` (the same objects, the same schedules): the
    charges of a recent call with the same key go on, when its payments are a prefix of these.
    """
    zero = Money.zero(terms.currency)
    gross = state.net_paid
    if not state.payments and not state.refunds:  # most records judged: nothing charged, no charges to keep
        return _EARNINGS(gross, zero, gross, _assumed(() if current is None else (current,), terms))
    parts = (*key, terms)  # compared part by part by identity: a policy's values may not compare (a NaN)
    # of the kept charges that go on to these, the one that charged the most already
    kept = _KEPT.charges
    # the terms first, as `goes_on` does: most often the charges kept are another contract's
    going = [c for c in kept if c.key[-1] is terms and c.goes_on(parts, state.payments, state.refunds)]
    last = max(going, key=_moves_charged, default=None)
    if last is not None and _moves_charged(last) == len(state.payments) + len(state.refunds):
        charges = last  # it charged every one of these: the same charges
    elif last is not None:
        charges = _Charges(parts, state.payments, state.refunds, zero.amount)
        charges.used, charges.billed, charges.fees = last.used.copy(), last.billed, last.fees
        moves = _moves(state.payments[len(last.payments) :], state.refunds[len(last.refunds) :])
        if any(is_refund or payment.amount.amount < 0 for _, is_refund, payment in moves):
            # giving back changes the items of earlier payments: change copies, not the kept ones
            charges.charged = [_Charged(item.amount, item.fee, item.reference) for item in last.charged]
        else:
            charges.charged = last.charged.copy()  # only new items: the kept ones never change
        _fold(charges, moves, terms, schedule_at)
    else:
        charges = _charge(state, terms, schedule_at, zero.amount, parts)
    # a few kept: these first, then those they went on from, the shortest first (the futures of
    # `options` go on one after another from the charges of the history they share, which so stays
    # among those kept however many futures branch off it), then the others, most recent first
    if going:
        ancestors = sorted((c for c in going if c is not charges), key=_moves_charged)
        others = (c for c in kept if c is not charges and c not in ancestors)
        _KEPT.charges = [charges, *ancestors, *others][:_KEPT_CHARGES]
    else:  # charged afresh: the others, most recent first
        _KEPT.charges = [charges, *kept[: _KEPT_CHARGES - 1]]
    # the schedule in force now first, then those that charged payments, in the order they did
    used = (
        charges.used if current is None else [current, *(s for s in charges.used if s is not current and s != current)]
    )
    fees = exact_money(charges.fees, terms.currency)
    return _EARNINGS(gross, fees, gross - fees, _assumed(used, terms))


def _assumed(used: Iterable[FeeSchedule], terms: ContractTerms) -> tuple[str, ...]:
    """What charging *terms* under the schedules *used* assumes, each sentence once, in their order."""
    assumed: dict[str, None] = {}
    for schedule in used:
        if type(schedule) is PerContractFee:
            assumed.update(dict.fromkeys(_per_contract_assumed(schedule, terms)))
        elif _explains(schedule):
            assumed.update(dict.fromkeys(schedule.assumptions(terms)))
    return tuple(assumed)


def _per_contract_assumed(schedule: PerContractFee, terms: ContractTerms) -> tuple[str, ...]:
    """``schedule.assumptions(terms)``, made once per schedule, side of its start and rate (by its text).

    What it says reads nothing else of *terms*; every record judged says it, most of them the same.
    """
    rate = terms.freelancer_fee_rate
    key = (id(schedule), schedule._per_contract(terms), None if rate is None else str(rate))  # noqa: SLF001 - its own rule
    kept = _PER_CONTRACT_ASSUMED.get(key)
    if kept is None or kept[0] is not schedule:  # held here, the schedule keeps its id
        kept = _PER_CONTRACT_ASSUMED.remember(key, (schedule, schedule.assumptions(terms)))
    return kept[1]


_PER_CONTRACT_ASSUMED: Final[BoundedCache[tuple[int, bool, str | None], tuple[PerContractFee, tuple[str, ...]]]] = (
    BoundedCache(1024)
)
"""What each per-contract schedule assumes (:func:`_per_contract_assumed`), by its identity (the schedule
is kept beside it), the side of its start a contract is on, and the contract's rate as written."""


_EARNINGS: Final = trusted(Earnings, "gross", "service_fee", "net", "assumptions")
"""Earnings of amounts the fold made, without the checks of the class (it has none but types)."""


def _moves_charged(charges: _Charges) -> int:
    return len(charges.payments) + len(charges.refunds)


class _Kept(threading.local):
    """The charges kept, per thread (the server judges requests in several at once)."""

    def __init__(self) -> None:
        self.charges: list[_Charges] = []


_KEPT: Final = _Kept()
_KEPT_CHARGES: Final = 4


def _charges_forgotten() -> None:
    """Forget the charges kept (for tests that compare carried charges with fresh ones)."""
    _KEPT.charges = []


def _charge(
    state: ContractState,
    terms: ContractTerms,
    schedule_at: Callable[[Payment], FeeSchedule],
    zero: Decimal,
    key: tuple[object, ...],
) -> _Charges:
    """The charges of every payment and refund of *state*, folded from the first."""
    charges = _Charges(key, state.payments, state.refunds, zero)
    _fold(charges, _moves(state.payments, state.refunds), terms, schedule_at)
    return charges


_BY_INSTANT_THEN_KIND: Final = itemgetter(0, 1)
"""Payments and refunds in time order, a payment before a refund of the same instant (stable)."""


_Move: TypeAlias = tuple[datetime, int, Payment]


def _moves(payments: tuple[Payment, ...], refunds: tuple[Payment, ...]) -> list[_Move]:
    """Payments and refunds in the order they are charged: by instant, a payment before a refund."""
    return sorted(
        [(p.at, 0, p) for p in payments] + [(r.at, 1, r) for r in refunds],
        key=_BY_INSTANT_THEN_KIND,
    )


def _fold(
    charges: _Charges, moves: list[_Move], terms: ContractTerms, schedule_at: Callable[[Payment], FeeSchedule]
) -> None:
    """Charge *moves* after what *charges* holds: each payment's fee, what refunds give back.

    On the plain amounts, with gigpolicy's own sums (``_add``, ``_subtract``), as ``Money``
    adds them: the amounts are those Money arithmetic gives, digit for digit.
    """
    charged, used = charges.charged, charges.used
    billed, fees, gave_back = charges.billed, charges.fees, False
    for _, is_refund, payment in moves:
        amount = payment.amount.amount
        if is_refund:
            billed = _subtract(billed, _give_back(charged, amount, terms.currency))
            gave_back = True
        elif amount < 0:
            moved = _minus(amount)
            for item in charged:
                if item.reference == payment.reference and item.amount:
                    moved = _subtract(moved, item.amount)
                    billed = _subtract(billed, _give_back([item], item.amount, terms.currency))
            # what was refunded against the disputed week now comes out of the other payments
            billed = _subtract(billed, _give_back(charged, moved, terms.currency))
            gave_back = True
        else:
            schedule = schedule_at(payment)
            if schedule not in used:
                used.append(schedule)
            fee = _fee(schedule, payment.amount, billed, terms)
            charged.append(_Charged(amount, fee, payment.reference))
            billed = _add(billed, amount)
            fees = _add(fees, fee)
    if gave_back:  # the fees of earlier payments went down: add them up again
        fees = Money.zero(terms.currency).amount
        for item in charged:
            fees = _add(fees, item.fee)
    charges.billed, charges.fees = billed, fees


def _fee(schedule: FeeSchedule, amount: Money, billed: Decimal, terms: ContractTerms) -> Decimal:
    """``min(schedule.fee(amount, billed_before=billed, terms=terms), amount)``, as a plain amount.

    A built-in rate (:class:`FlatFee`, :class:`PerContractFee` of its own rate or of a flat
    default) is taken in line, as its ``fee`` takes it; any other schedule, a subclass of these
    too, is asked through its ``fee``.
    """
    rate: Decimal | None = None
    if type(schedule) is PerContractFee:
        rate = schedule._rate(terms)  # noqa: SLF001 - the schedule's own rule, read in line as its fee reads it
        if rate is None:
            schedule = schedule.default
    if rate is None and type(schedule) is FlatFee:
        rate = schedule.rate
    if rate is not None:
        # as `amount.times(rate)`, which says what is wrong with a rate that is no finite Decimal
        fee = times_amount(amount.amount, rate, amount.currency) if type(rate) is Decimal and rate.is_finite() else None
        if fee is None:
            fee = amount.times(rate).amount
        return min(fee, amount.amount)  # the fee, unless the payment is less
    asked: object = schedule.fee(amount, billed_before=exact_money(billed, amount.currency), terms=terms)
    if not isinstance(asked, Money):  # the fold adds plain amounts: a fee of another type would pass unseen
        raise TypeError(f"{type(schedule).__name__}.fee must return Money, not {type(asked).__name__}")
    return min(asked, amount).amount


_EXPLAINING: BoundedCache[type, bool] = BoundedCache(256)
"""Whether a schedule's class has ``assumptions``, by class: a runtime protocol check is slow."""


def _explains(schedule: FeeSchedule) -> TypeGuard[ExplainedFeeSchedule]:
    kind = type(schedule)
    known = _EXPLAINING.get(kind)
    if known is None:
        known = _EXPLAINING.remember(kind, isinstance(schedule, ExplainedFeeSchedule))
    return known


def _give_back(charged: list[_Charged], amount: Decimal, currency: str) -> Decimal:
    """Take *amount* back from the newest payments first, with their fees; return what was taken."""
    remaining = amount
    for item in reversed(charged):
        if not remaining:
            break
        if not item.amount:
            continue
        part = min(remaining, item.amount)
        returned = item.fee if part == item.amount else _round(part * item.fee / item.amount, currency)
        item.amount = _subtract(item.amount, part)
        item.fee = min(_subtract(item.fee, returned), item.amount)
        remaining = _subtract(remaining, part)
    return _subtract(amount, remaining)
