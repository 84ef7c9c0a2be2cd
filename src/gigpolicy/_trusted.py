"""Building values already checked, without checking them again, and remembering texts already made.

Speed needs both in a few hot places: the decoder's fast path, the folds, the reasons and the
JSON lines. Each place used to have its own; here is the one trusted constructor and the one
bounded cache they share.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["BoundedCache", "Memos", "started_memo", "trusted", "writable"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def trusted(cls: type[T], *names: str) -> Callable[..., T]:
    """A function that builds *cls* from one value per field of *names*, in order, without its checks.

    Only for values the caller has checked already (a frozen attrs class checks in its
    ``__init__``, which this skips). The value is built as its :func:`writable` twin, whose
    fields take plain assignments, then made a *cls*.

    >>> from gigpolicy._decision import Reason
    >>> reason = trusted(Reason, "code", "message", "source")
    >>> made = reason("OPEN", "The contract is open.", None)
    >>> made, type(made) is Reason
    (Reason(code='OPEN', message='The contract is open.', source=None), True)
    """
    # one assignment a field, written out: these run for every reason, decision, amount and
    # state, where a loop over the fields costs twice as much (as attrs writes its __init__)
    scope: dict[str, Any] = {"new": object.__new__, "twin": writable(cls), "cls": cls}
    arguments = [f"value_{index}" for index in range(len(names))]
    lines = [f"    made.{name} = value_{index}\n" for index, name in enumerate(names)]
    source = (
        f"def build({', '.join(arguments)}):\n    made = new(twin)\n{''.join(lines)}"
        "    made.__class__ = cls\n    return made\n"
    )
    exec(compile(source, f"<trusted {cls.__qualname__}>", "exec"), scope)  # noqa: S102 - code of field names alone
    build: Callable[..., T] = scope["build"]
    return build


def writable(cls: type[T]) -> type[T]:
    """*cls*'s twin: a subclass of it that adds no field, whose fields plain assignment sets.

    A value is built as a twin, then made a *cls* by assigning its ``__class__`` (which CPython
    allows between a class and a subclass that adds no slot). A frozen attrs class refuses
    assignment in its ``__setattr__``, so each field had to be written through its slot's
    setter: a call each, four times the cost of an assignment, which Python runs in line for a
    class that keeps ``object``'s ``__setattr__`` and ``__delattr__``. A 32-field state is built
    in a quarter of the time. No value is a twin once built.

    The twin is *cls*'s subclass all the same: ``cls.__subclasses__()`` lists it, named
    ``<writable Name>`` so that no tag or lookup by name takes it for *cls*. So event types have
    none (the decoder builds them through their slots' setters): a converter that gathers the
    subclasses of ``Event`` (cattrs' ``include_subclasses``) finds the event types alone.

    One twin per class, made on first use (at import), in *cls*'s module.
    """
    twin = _TWINS.get(cls)
    if twin is None:
        name = f"<writable {cls.__qualname__}>"
        namespace = {
            "__slots__": (),
            "__module__": cls.__module__,
            "__qualname__": name,
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
        }
        twin = _TWINS.setdefault(cls, type(name, (cls,), namespace))
    return twin


_TWINS: dict[type[Any], type[Any]] = {}
"""Each class's :func:`writable` twin (classes of gigpolicy's own values only: a few dozen)."""


class Memos:
    """A base for a frozen attrs class that keeps what it finds once in slots outside its fields.

    A subclass names the slots (``__slots__``) and the attrs class derives from it:
    ``attrs.fields``, ``attrs.asdict``, equality, hashing, ``repr`` and pickling then see the
    value's fields alone, not its memos. Each memo is a list, empty until the value finds what it
    keeps there. A :func:`trusted` builder sets the memos (pass their names after the fields');
    a value made any other way (its ``__init__``, ``attrs.evolve``, a copy, unpickling, a
    subclass's own) has none until the first read starts it (:func:`started_memo`). So the
    reads catch ``AttributeError``, which costs nothing where the slot is set.

    No ``__getattr__`` starts a memo where it is read: a class with one loses the interpreter's
    fast attribute reads for every field (evaluate counted 5% more instructions).

    >>> import attrs
    >>> class _Found(Memos):
    ...     __slots__ = ("_total",)
    >>> @attrs.frozen
    ... class Pair(_Found):
    ...     a: int
    ...     b: int
    ...
    ...     @property
    ...     def total(self) -> int:
    ...         try:
    ...             found = self._total
    ...         except AttributeError:
    ...             found = started_memo(self, "_total")
    ...         if not found:
    ...             found.append(self.a + self.b)
    ...         return found[0]
    >>> pair = Pair(2, 3)
    >>> pair.total, attrs.asdict(pair)
    (5, {'a': 2, 'b': 3})
    """

    __slots__ = ()


def started_memo(value: Memos, name: str) -> list[Any]:
    """The memo *name* of *value*, set to a new empty list: for a value that has none yet (see :class:`Memos`)."""
    found: list[Any] = []
    object.__setattr__(value, name, found)  # past a frozen class's __setattr__, as its __init__ sets a field
    return found


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
