"""``_trusted``: the one trusted constructor and the one bounded cache."""

from __future__ import annotations

import attrs
import pytest

from gigpolicy._trusted import BoundedCache, trusted


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


class TestBoundedCache:
    """A cache that starts afresh when full, so memory stays bounded."""

    def test_forgets_everything_when_full(self) -> None:
        """The third entry of a cache of two finds it full: only that one is kept."""
        cache: BoundedCache[str, int] = BoundedCache(2)
        assert (1, 2, 3) == (cache.remember("one", 1), cache.remember("two", 2), cache.remember("three", 3))
        assert {"three": 3} == dict(cache)
