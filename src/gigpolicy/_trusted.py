"""Building values already checked, without checking them again, and remembering texts already made.

Speed needs both in a few hot places: the decoder's fast path, the folds, the reasons and the
JSON lines. Each place used to have its own; here is the one trusted constructor and the one
bounded cache they share.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["BoundedCache", "trusted"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def trusted(cls: type[T], *names: str) -> Callable[..., T]:
    """A function that builds *cls* from one value per field of *names*, in order, without its checks.

    Only for values the caller has checked already (a frozen attrs class checks in its
    ``__init__``, which this skips). The fields are written through their slots directly.

    >>> from gigpolicy._decision import Reason
    >>> reason = trusted(Reason, "code", "message", "source")
    >>> reason("OPEN", "The contract is open.", None)
    Reason(code='OPEN', message='The contract is open.', source=None)
    """
    new = object.__new__
    setters: tuple[Callable[[Any, Any], None], ...] = tuple(vars(cls)[name].__set__ for name in names)
    # one closure per arity, without a loop: these run for every reason, decision and amount
    match setters:
        case (first, second):

            def build_2(one: object, two: object) -> T:
                made = new(cls)
                first(made, one)
                second(made, two)
                return made

            return build_2
        case (first, second, third):

            def build_3(one: object, two: object, three: object) -> T:
                made = new(cls)
                first(made, one)
                second(made, two)
                third(made, three)
                return made

            return build_3
        case (first, second, third, fourth):

            def build_4(one: object, two: object, three: object, four: object) -> T:
                made = new(cls)
                first(made, one)
                second(made, two)
                third(made, three)
                fourth(made, four)
                return made

            return build_4
        case (first, second, third, fourth, fifth):

            def build_5(one: object, two: object, three: object, four: object, five: object) -> T:
                made = new(cls)
                first(made, one)
                second(made, two)
                third(made, three)
                fourth(made, four)
                fifth(made, five)
                return made

            return build_5
        case _:

            def build(*values: object) -> T:
                made = new(cls)
                for setter, value in zip(setters, values, strict=True):
                    setter(made, value)
                return made

            return build


class BoundedCache(dict[K, V]):
    """A dict that starts afresh once it holds ``limit`` entries, so memory stays bounded.

    >>> texts: BoundedCache[int, str] = BoundedCache(2)
    >>> texts.remember(1, "one"), texts.remember(2, "two"), texts.remember(3, "three")
    ('one', 'two', 'three')
    >>> sorted(texts)
    [3]
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: K, value: V) -> V:
        """Keep *value* under *key* (after forgetting everything if full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
