"""Fees charged as ``Money`` adds them: the reference for the fold on plain amounts in ``_fees``.

The fold as it was written on ``Money`` before it ran on plain Decimals: each payment charged
under one schedule, in the order the fees are charged (by instant, a payment before a refund of
the same instant), refunds and disputed hours giving back the fees of the newest payments first.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from gigpolicy import ContractState, ContractTerms, FeeSchedule, Money, Payment
from gigpolicy._money import CURRENCIES


class _Item:
    """One payment as charged, in Money."""

    def __init__(self, amount: Money, fee: Money, reference: str | None) -> None:
        self.amount = amount
        self.fee = fee
        self.reference = reference


def reference_fees(state: ContractState, terms: ContractTerms, schedule_at: Callable[[Payment], FeeSchedule]) -> Money:
    """The service fee of *state*'s payments and refunds, each under ``schedule_at(payment)``, folded on Money."""
    charged: list[_Item] = []
    billed = fees = Money.zero(terms.currency)
    gave_back = False
    # by instant, a payment before a refund of the same instant, in their order otherwise
    moves = sorted(
        [(p.at, False, p) for p in state.payments] + [(r.at, True, r) for r in state.refunds],
        key=lambda move: (move[0], move[1]),
    )
    for _, is_refund, payment in moves:
        if is_refund:
            billed -= _give_back(charged, payment.amount)
            gave_back = True
        elif payment.amount.amount < 0:
            moved = -payment.amount
            for item in charged:
                if item.reference == payment.reference and item.amount:
                    moved -= item.amount
                    billed -= _give_back([item], item.amount)
            billed -= _give_back(charged, moved)
            gave_back = True
        else:
            fee = min(schedule_at(payment).fee(payment.amount, billed_before=billed, terms=terms), payment.amount)
            charged.append(_Item(payment.amount, fee, payment.reference))
            billed += payment.amount
            fees += fee
    if gave_back:
        fees = Money.zero(terms.currency)
        for item in charged:
            fees += item.fee
    return fees


def _give_back(charged: list[_Item], amount: Money) -> Money:
    remaining = amount
    for item in reversed(charged):
        if not remaining:
            break
        if not item.amount:
            continue
        part = min(remaining, item.amount)
        if part == item.amount:
            returned = item.fee
        else:
            share: Decimal = part.amount * item.fee.amount / item.amount.amount
            rounded = share.quantize(Decimal(1).scaleb(-CURRENCIES[amount.currency]), ROUND_HALF_UP)
            returned = Money(amount=rounded, currency=amount.currency)
        item.amount -= part
        item.fee = min(item.fee - returned, item.amount)
        remaining -= part
    return amount - remaining
