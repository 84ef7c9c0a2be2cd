"""The exceptions gigpolicy raises.

Every exception that a public function raises on bad input is a :class:`GigPolicyError`.
Each concrete error also subclasses the closest builtin, so ``except ValueError`` and
``except LookupError`` keep working in code that does not know gigpolicy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

__all__ = [
    "GigPolicyError",
    "InvalidRecord",
    "InvalidRecordGroup",
    "InvalidTransition",
    "NoSuchDecision",
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
        """Return the same problem with its path placed under *prefix*."""
        return InvalidRecord(_join(prefix, self.path), self.problem)


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
        return super().__new__(cls, f"{len(flat)} problems", flat)

    def __init__(self, errors: Sequence[InvalidRecord]) -> None:
        flat = _flatten(errors)
        self._errors = flat
        self.path = flat[0].path
        self.problem = flat[0].problem
        BaseException.__init__(self, f"{len(flat)} problems", flat)

    @property
    def errors(self) -> tuple[InvalidRecord, ...]:
        """Every single problem, in the order they were found."""
        return self._errors

    def at(self, prefix: str) -> InvalidRecord:
        """Return the group with every path placed under *prefix*."""
        return InvalidRecordGroup([error.at(prefix) for error in self._errors])

    def __str__(self) -> str:
        lines = [f"{len(self._errors)} problems:"]
        lines.extend(f"  {error}" for error in self._errors)
        return "\n".join(lines)


def _flatten(errors: Sequence[InvalidRecord]) -> tuple[InvalidRecord, ...]:
    return tuple(single for error in errors for single in error.errors)


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
