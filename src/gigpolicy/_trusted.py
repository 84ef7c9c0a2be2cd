"""Building values already checked, without checking them again, and remembering texts already made.

Speed needs both in a few hot places: the decoder's fast path, the folds, the reasons and the
JSON lines. Each place used to have its own; here is the one trusted constructor and the one
bounded cache they share.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import attrs

__all__ = ["BoundedCache", "Memos", "trusted", "writable"]

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

    A subclass names the slots (``__slots__``), and the attrs class derives from it with
    ``getstate_setstate=False``: ``attrs.fields``, ``attrs.asdict``, equality, hashing, ``repr``
    and pickling then see the value's fields alone, not its memos. Each memo is a list, empty
    until the value finds what it keeps there. A :func:`trusted` builder sets the memos (pass
    their names after the fields'); ``__init__`` (and so ``attrs.evolve``), a copy and unpickling
    start them empty.

    No ``__getattr__`` starts a memo where it is read: a class with one loses the interpreter's
    fast attribute reads for every field (evaluate counted 5% more instructions).

    >>> import attrs
    >>> class _Found(Memos):
    ...     __slots__ = ("_total",)
    >>> @attrs.frozen(getstate_setstate=False)
    ... class Pair(_Found):
    ...     a: int
    ...     b: int
    ...
    ...     @property
    ...     def total(self) -> int:
    ...         if not self._total:
    ...             self._total.append(self.a + self.b)
    ...         return self._total[0]
    >>> pair = Pair(2, 3)
    >>> pair.total, attrs.asdict(pair)
    (5, {'a': 2, 'b': 3})
    """

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        _start_memos(self)

    def __getstate__(self) -> dict[str, object]:
        fields: tuple[attrs.Attribute[object], ...] = attrs.fields(type(self))  # type: ignore[arg-type]  # an attrs class's
        return {field.name: getattr(self, field.name) for field in fields}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)  # past a frozen class's __setattr__, as its __init__
        _start_memos(self)


def _start_memos(value: Memos) -> None:
    for name in _memo_names(type(value)):
        object.__setattr__(value, name, [])


def _memo_names(cls: type[Memos]) -> tuple[str, ...]:
    """The memo slots of *cls*: the slots its :class:`Memos` bases name, not an attrs class's fields."""
    names = _MEMO_NAMES.get(cls)
    if names is None:
        names = _MEMO_NAMES[cls] = tuple(
            name
            for base in cls.__mro__
            if issubclass(base, Memos) and "__attrs_attrs__" not in base.__dict__
            for name in base.__dict__.get("__slots__", ())
        )
    return names


_MEMO_NAMES: dict[type[Memos], tuple[str, ...]] = {}
"""Each class's :func:`_memo_names` (classes of gigpolicy's own values, or a user's: a few)."""


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
