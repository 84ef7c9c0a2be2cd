"""The exceptions gigpolicy raises.

Every exception that a public function raises on bad input is a :class:`GigPolicyError`.
Each concrete error also subclasses the closest builtin, so ``except ValueError`` and
``except LookupError`` keep working in code that does not know gigpolicy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Final, Self

__all__ = [
    "GigPolicyError",
    "InvalidArgument",
    "InvalidPolicy",
    "InvalidRecord",
    "InvalidRecordGroup",
    "InvalidTransition",
    "MoreProblems",
    "NaiveDatetime",
    "NoSuchDecision",
    "UnknownFreelancer",
    "UnknownPolicy",
]


class GigPolicyError(Exception):
    """The base of every error gigpolicy raises on purpose."""


class UnknownPolicy(GigPolicyError, LookupError):
    """A policy name that is not registered, or a date before its first version.

    >>> raise UnknownPolicy("unknown policy 'no-such-marketplace'")
    Traceback (most recent call last):
    ...
    gigpolicy.errors.UnknownPolicy: unknown policy 'no-such-marketplace'
    >>> issubclass(UnknownPolicy, LookupError)
    True
    """


class NoSuchDecision(GigPolicyError, LookupError):
    """A report holds no decision for that question and party (the question does not apply).

    >>> raise NoSuchDecision("private_feedback does not apply to the freelancer")
    Traceback (most recent call last):
    ...
    gigpolicy.errors.NoSuchDecision: private_feedback does not apply to the freelancer
    """


class InvalidRecord(GigPolicyError, ValueError):
    """Bad input: a value, a field or a record that breaks the rules of its type.

    Attributes:
        path: Where the problem is, as ``events[3].amount`` or ``contract.client``; the
            empty string for the input as a whole. When a value is built directly (not
            decoded from a record) the path is relative to that value.
        problem: What is wrong there, as one plain sentence without the path.

    >>> err = InvalidRecord("events[3].amount", "must be greater than zero")
    >>> str(err)
    'events[3].amount: must be greater than zero'
    """

    path: str
    problem: str

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)

    @property
    def errors(self) -> tuple[InvalidRecord, ...]:
        """Every single problem this error stands for: here, itself."""
        return (self,)

    def at(self, prefix: str) -> InvalidRecord:
        """Return the same problem, of the same class, with its path placed under *prefix*."""
        return type(self)(_join(prefix, self.path), self.problem)


class InvalidArgument(InvalidRecord, TypeError):
    """An argument of a public function of the wrong type: a string where a record goes, say.

    It subclasses :class:`InvalidRecord`, which these errors were before it existed, so code that
    catches ``InvalidRecord`` or ``ValueError`` still catches them; code that wants to tell a
    wrong argument from a broken record catches this first. It is a ``TypeError`` too, the
    builtin Python raises for an argument of the wrong type. ``path`` names the argument.

    >>> err = InvalidArgument("record", "must be a ContractRecord, not str")
    >>> str(err)
    'record: must be a ContractRecord, not str'
    >>> isinstance(err, InvalidRecord), isinstance(err, ValueError), isinstance(err, TypeError)
    (True, True, True)
    """


class NaiveDatetime(InvalidRecord):
    """A datetime without a timezone (no UTC offset) where an instant is needed.

    >>> str(NaiveDatetime("at", "must be timezone-aware (it has no UTC offset)"))
    'at: must be timezone-aware (it has no UTC offset)'
    """


class InvalidPolicy(InvalidRecord):
    """A policy built with a parameter its rules cannot use: a negative window, a float amount.

    Raised when the policy is built (by its class or :func:`attrs.evolve`), so that an invalid
    policy cannot exist. ``path`` names the parameter. It subclasses :class:`InvalidRecord`, as a
    policy is a value whose fields are checked like a record's.

    >>> str(InvalidPolicy("feedback_window_days", "must not be negative, not -1"))
    'feedback_window_days: must not be negative, not -1'
    """


class UnknownFreelancer(GigPolicyError, LookupError):
    """A freelancer named to a success-score estimate who holds none of the records given.

    Distinct from "not enough jobs yet" (``None``): a misspelt name would otherwise look like a
    freelancer without jobs.

    Attributes:
        freelancer: The name that was given.

    >>> str(UnknownFreelancer("nobody", ("fl-7", "fl-9")))
    "'nobody' is the freelancer of no record given (theirs are 'fl-7', 'fl-9')"
    """

    freelancer: str
    known: tuple[str, ...]
    """The freelancers of the records given, each once, in the order met."""

    def __init__(self, freelancer: str, known: Sequence[str]) -> None:
        self.freelancer = freelancer
        self.known = tuple(known)
        shown = ", ".join(repr(name) for name in self.known[:_NAMES_SHOWN])
        more = f" and {len(self.known) - _NAMES_SHOWN:,} more" if len(self.known) > _NAMES_SHOWN else ""
        super().__init__(f"{freelancer!r} is the freelancer of no record given (theirs are {shown}{more})")


_NAMES_SHOWN: Final = 10
"""How many known names an error lists before it only counts the rest."""


class InvalidTransition(InvalidRecord):
    """An event that the contract's state at that point does not allow.

    Attributes:
        index: The position of the event in the record's ``events``.

    >>> str(InvalidTransition(2, "the contract has already ended"))
    'events[2]: the contract has already ended'
    """

    index: int

    def __init__(self, index: int, problem: str) -> None:
        self.index = index
        super().__init__(f"events[{index}]", problem)

    def at(self, prefix: str) -> InvalidRecord:  # noqa: ARG002 - an index is absolute
        """Return itself: an event index is already a path from the record's root."""
        return self


class InvalidRecordGroup(ExceptionGroup[InvalidRecord], InvalidRecord):
    """Several problems in one input, reported together so that one pass can fix them all.

    It is an :class:`InvalidRecord` (its ``path`` and ``problem`` are those of the first
    problem) and an :class:`ExceptionGroup` of every single problem.

    >>> group = InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
    >>> [e.path for e in group.errors]
    ['a', 'b']
    >>> print(group)
    2 problems:
      a: bad
      b: worse
    """

    def __new__(cls, errors: Sequence[InvalidRecord]) -> Self:
        """Group *errors*, flattening nested groups."""
        flat = _flatten(errors)
        return super().__new__(cls, _counted(flat), flat)

    def __init__(self, errors: Sequence[InvalidRecord]) -> None:
        flat = _flatten(errors)
        self._errors = flat
        self.path = flat[0].path
        self.problem = flat[0].problem
        BaseException.__init__(self, _counted(flat), flat)

    @property
    def errors(self) -> tuple[InvalidRecord, ...]:
        """Every single problem, in the order they were found.

        At most :data:`MAX_PROBLEMS` of them, then a :class:`MoreProblems` that counts the rest.
        """
        return self._errors

    def at(self, prefix: str) -> InvalidRecord:
        """Return the group with every path placed under *prefix*."""
        return InvalidRecordGroup([error.at(prefix) for error in self._errors])

    def __str__(self) -> str:
        lines = [f"{_counted(self._errors)}:"]
        lines.extend(f"  {error}" for error in self._errors)
        return "\n".join(lines)


MAX_PROBLEMS: Final = 1_000
"""How many problems of one input are kept and reported; one last problem counts the rest."""


class MoreProblems(InvalidRecord):
    """Stands for the problems of one input past :data:`MAX_PROBLEMS`: counted, not kept.

    A hostile record can hold millions of mistakes (unknown keys, say); keeping a message for
    each would cost gigabytes. A group keeps the first :data:`MAX_PROBLEMS` and ends with one of
    these.

    >>> str(MoreProblems(4_999_000))
    'and 4,999,000 more problems, not listed'
    """

    count: int

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__("", f"and {count:,} more problems, not listed")

    def at(self, prefix: str) -> InvalidRecord:  # noqa: ARG002 - it names no place
        """Return itself: the problems it counts have places of their own."""
        return self


def capped(problems: Iterable[InvalidRecord]) -> list[InvalidRecord]:
    """*problems* with those past :data:`MAX_PROBLEMS` counted by one :class:`MoreProblems`.

    Only the first ones are kept: given a generator, memory stays bounded however many it yields.
    """
    found = iter(problems)
    kept = list(islice(found, MAX_PROBLEMS))
    more = sum(1 for _ in found)
    if more:
        kept.append(MoreProblems(more))
    return kept


def _flatten(errors: Sequence[InvalidRecord]) -> tuple[InvalidRecord, ...]:
    """Every single problem, the first :data:`MAX_PROBLEMS` of them, then one that counts the rest."""
    kept: list[InvalidRecord] = []
    more = 0
    for error in errors:
        for single in error.errors:
            if isinstance(single, MoreProblems):
                more += single.count
            elif len(kept) < MAX_PROBLEMS:
                kept.append(single)
            else:
                more += 1
    if more:
        kept.append(MoreProblems(more))
    return tuple(kept)


def _counted(flat: tuple[InvalidRecord, ...]) -> str:
    last = flat[-1]
    total = len(flat) - 1 + last.count if isinstance(last, MoreProblems) else len(flat)
    return f"{total:,} problems"


def raise_collected(errors: Sequence[InvalidRecord]) -> None:
    """Raise nothing for no errors, the error itself for one, a group for several."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidRecordGroup(errors)


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"
