"""The decimal context gigpolicy computes in, whatever context its caller has set.

:mod:`decimal` reads a context per thread: its precision, rounding and traps change what
``a + b`` and ``quantize`` give. A caller's ``getcontext().prec = 6`` would round amounts, and
a trap on ``Inexact`` would turn a fee's rounding into an exception. So the library never uses
the caller's context: the public entry points run in a copy of :data:`DECIMAL`, and
:class:`~gigpolicy.Money` computes with it explicitly, even when called on its own.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Generator, Iterator
from decimal import ROUND_HALF_EVEN, Context, DivisionByZero, InvalidOperation, Overflow, localcontext
from typing import Final, ParamSpec, TypeVar, cast

__all__ = ["DECIMAL", "in_decimal_context"]

DECIMAL: Final = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""gigpolicy's own context: :mod:`decimal`'s default one, written out so that nobody can change it.

28 digits hold every sum of amounts a record can hold exactly (each below 10^15, at most three
places, at most 20,000 of them). Only what is a bug or a refusal traps; ``Inexact`` and
``Rounded`` do not, since rounding a fee to the cent is the point.
"""

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def in_decimal_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run *function* in a copy of :data:`DECIMAL`, and give the caller's context back after.

    A generator function runs each of its steps in the copy: between two items the caller's
    own context is in force again (a ``with`` around a ``yield`` would leak the copy to it).

    >>> from decimal import Decimal, localcontext
    >>> @in_decimal_context
    ... def third() -> Decimal:
    ...     return Decimal(1) / 3
    >>> with localcontext(prec=3):
    ...     third()
    Decimal('0.3333333333333333333333333333')
    """
    if inspect.isgeneratorfunction(function):

        @functools.wraps(function)
        def run_steps(*args: P.args, **kwargs: P.kwargs) -> R:
            steps = cast("Generator[object, None, None]", function(*args, **kwargs))  # runs nothing yet
            return cast("R", _stepped(steps))

        return run_steps

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(DECIMAL):
            return function(*args, **kwargs)

    return run


_DONE: Final = object()


def _stepped(steps: Generator[T, None, None]) -> Iterator[T]:
    """The items of *steps*, each computed in a copy of :data:`DECIMAL`; closing it closes *steps*."""
    try:
        while True:
            with localcontext(DECIMAL):
                item = next(steps, _DONE)
            if item is _DONE:
                return
            yield cast("T", item)
    finally:
        with localcontext(DECIMAL):
            steps.close()  # its own clean-up (a pool of workers, say) runs in the library's context too
