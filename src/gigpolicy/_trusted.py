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
    # one call of each slot's setter, written out: these run for every reason, decision, amount
    # and state, where a loop over the setters costs twice as much (as attrs writes its __init__)
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    arguments, lines = [], []
    for index, name in enumerate(names):
        scope[f"set_{index}"] = vars(cls)[name].__set__
        arguments.append(f"value_{index}")
        lines.append(f"    set_{index}(made, value_{index})\n")
    source = f"def build({', '.join(arguments)}):\n    made = new(cls)\n{''.join(lines)}    return made\n"
    exec(compile(source, f"<trusted {cls.__qualname__}>", "exec"), scope)  # noqa: S102 - code made of indices alone
    build: Callable[..., T] = scope["build"]
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
