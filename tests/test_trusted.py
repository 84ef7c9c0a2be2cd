"""``_trusted``: the one trusted constructor and the one bounded cache."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable

import attrs
import pytest
from cattrs.strategies import include_subclasses
from tests.records import bonus, day, end, feedback, fixed, fund, release

import gigpolicy
from gigpolicy import BonusPaid, ContractState, Event, FeedbackKind, Party, Report, dumps, evaluate
from gigpolicy._trusted import BoundedCache, Memos, trusted, writable


@attrs.frozen(kw_only=True)
class _Six:
    """A value of six checked fields, to build without its checks."""

    a: int = attrs.field(validator=attrs.validators.gt(0))
    b: int
    c: int
    d: int
    e: int
    f: int


class TestTrusted:
    """Values built from fields already checked, in the order the names give."""

    @pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
    def test_every_arity(self, count: int) -> None:
        """Two to six fields are set in order, whatever the arity, and the class's checks are skipped."""
        names = "abcdef"[:count]
        build = trusted(_Six, *names)
        made = build(-1, *range(2, count + 1))  # -1 would fail the check of `a`
        assert [-1, *range(2, count + 1)] == [getattr(made, name) for name in names]

    def test_a_value_equal_to_the_checked_one(self) -> None:
        """A trusted build of valid fields equals the value built with its checks."""
        values = dict(zip("abcdef", range(1, 7), strict=True))
        assert _Six(**values) == trusted(_Six, *values)(*values.values())

    def test_a_value_of_its_own_class_frozen_as_any(self) -> None:
        """A value built through the writable twin is of the class itself, and as frozen as one from ``__init__``."""
        made = trusted(_Six, *"abcdef")(*range(1, 7))
        assert type(made) is _Six
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made.a = 9  # type: ignore[misc]  # frozen: the assignment must fail
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            del made.b
        copy = pickle.loads(pickle.dumps(made))  # noqa: S301 - our own bytes
        assert (made, _Six) == (copy, type(copy))
        assert hash(made) == hash(_Six(a=1, b=2, c=3, d=4, e=5, f=6))


class TestWritable:
    """The twin a value is built as: one per class, adding no field, never handed out."""

    def test_one_twin_per_class_adding_no_field(self) -> None:
        """Asked twice, the same subclass; it has the class's fields and slots alone, and takes assignments."""
        twin = writable(_Six)
        assert twin is writable(_Six)
        assert issubclass(twin, _Six)
        assert (attrs.fields(_Six), ()) == (attrs.fields(twin), vars(twin)["__slots__"])
        made = object.__new__(twin)
        made.a = 1  # type: ignore[misc]  # the twin takes what the class refuses
        assert 1 == made.a

    def test_named_as_no_class_of_gigpolicy(self) -> None:
        """The twin says what it is, so that no lookup or tag by name takes it for its class."""
        assert ("<writable _Six>", _Six.__module__) == (writable(_Six).__name__, writable(_Six).__module__)

    def test_event_types_have_none(self) -> None:
        """The subclasses of ``Event`` are the event types alone: a converter that gathers them finds no twin."""
        record = fixed(fund(day(0)), release(day(1)), bonus(day(1)), end(day(2)))
        assert record == gigpolicy.loads(dumps(record))  # through the decoder's builders, as a batch reads

        def below(cls: type[Event]) -> list[type[Event]]:
            return [found for sub in cls.__subclasses__() for found in (sub, *below(sub))]

        assert [] == [cls for cls in below(Event) if "<writable" in cls.__name__]
        include_subclasses(BonusPaid, gigpolicy.converter.copy())  # refused with "could not disambiguate" beside a twin
        assert BonusPaid.__subclasses__() == []


class TestBoundedCache:
    """A cache that starts afresh when full, so memory stays bounded."""

    def test_forgets_everything_when_full(self) -> None:
        """The third entry of a cache of two finds it full: only that one is kept."""
        cache: BoundedCache[str, int] = BoundedCache(2)
        assert (1, 2, 3) == (cache.remember("one", 1), cache.remember("two", 2), cache.remember("three", 3))
        assert {"three": 3} == dict(cache)


@attrs.frozen(kw_only=True)
class _Noted(ContractState):
    """A user's subclass of a state, made with attrs' defaults, with a post-init of its own."""

    note: str = ""

    def __attrs_post_init__(self) -> None:  # a check of its own, without calling a base's
        if not self.note:
            raise ValueError(self.note)


def _judged() -> Report:
    """A report whose state has paid money and feedback: each memo has something to keep."""
    record = fixed(fund(day(1)), release(day(2)), bonus(day(3)), end(day(4)), feedback(day(5), by=Party.CLIENT))
    return evaluate(record, at=day(6))


def _memos_found(report: Report) -> tuple[object, ...]:
    """What each memo of *report* and its state keeps, once asked."""
    state = report.state
    return (state.net_paid, state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC), report.windows)


class TestMemos:
    """What a value finds once is kept beside its fields, never as one of them."""

    @pytest.mark.parametrize("cls", [ContractState, Report])
    def test_no_field_of_the_value(self, cls: type[Memos]) -> None:
        """``attrs.fields`` and ``attrs.asdict`` list the public fields alone, as the class declares them."""
        names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]  # an attrs class
        assert names == [name for name in cls.__annotations__ if not name.startswith("_")]
        assert not [name for name in attrs.asdict(_judged()) if name.startswith("_")]
        assert not [name for name in attrs.asdict(_judged().state) if name.startswith("_")]

    @pytest.mark.parametrize(
        "made",
        [
            pytest.param(lambda report: report, id="as evaluated"),
            pytest.param(lambda report: pickle.loads(pickle.dumps(report)), id="unpickled"),  # noqa: S301 - our own bytes
            pytest.param(copy.deepcopy, id="deep copy"),
            pytest.param(copy.copy, id="copy"),
            pytest.param(lambda report: attrs.evolve(report, state=attrs.evolve(report.state)), id="evolved"),
        ],
    )
    def test_a_value_made_any_way_finds_the_same(self, made: object) -> None:
        """A value copied, unpickled or evolved is equal, and finds what the original found."""
        original = _judged()
        other = made(original)  # type: ignore[operator]  # one of the makers above
        assert other == original
        found = _memos_found(other)
        assert found == _memos_found(original)
        assert found[0] == original.state.paid - original.state.refunded
        assert found[1] is not None
        assert found[2]

    def test_a_memo_started_once(self) -> None:
        """A value made by ``__init__`` (through ``attrs.evolve``) starts its memo at the first read, and keeps it."""
        state = attrs.evolve(_judged().state)
        assert state.net_paid == state.paid - state.refunded
        assert state._net_paid == [state.net_paid]
        assert state._net_paid is state._net_paid

    def test_a_users_subclass(self) -> None:
        """A subclass made with attrs' defaults, with a post-init of its own, finds the same, copied or unpickled.

        Each question is asked first of a value of its own: each read starts the memo it reads.
        """
        original = _judged()
        fields = {field.name: getattr(original.state, field.name) for field in attrs.fields(ContractState)}
        noted = _Noted(**fields, note="kept")
        makers = (
            lambda: _Noted(**fields, note="kept"),
            lambda: pickle.loads(pickle.dumps(noted)),  # noqa: S301 - our own bytes
            lambda: copy.copy(noted),
            lambda: copy.deepcopy(noted),
        )
        asked: list[Callable[[ContractState], object]] = [
            lambda state: state.net_paid,
            lambda state: state.feedback_by(Party.CLIENT, FeedbackKind.PUBLIC),
            lambda state: state.first_feedback(Party.CLIENT),
            lambda state: state.last_feedback(Party.CLIENT),
            ContractState.client_feedback,
            lambda state: _memos_found(attrs.evolve(original, state=state)),
        ]
        for make in makers:
            assert [ask(make()) for ask in asked] == [ask(original.state) for ask in asked]

    def test_any_other_attribute_is_missing(self) -> None:
        """A name that is no field, property or memo fails as on any object: no hook answers it."""
        state = _judged().state
        with pytest.raises(AttributeError, match=r"^'ContractState' object has no attribute 'net_payd'$") as caught:
            state.net_payd  # type: ignore[attr-defined]  # noqa: B018 - the missing attribute
        assert (caught.value.name, caught.value.obj) == ("net_payd", state)
        assert not hasattr(state, "__deepcopy__")
