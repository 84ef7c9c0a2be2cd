"""The error hierarchy: what each error is, says and carries."""

from __future__ import annotations

import pytest

from gigpolicy import errors
from gigpolicy.errors import (
    GigPolicyError,
    InvalidRecord,
    InvalidRecordGroup,
    InvalidTransition,
    UnknownPolicy,
    raise_collected,
)


class TestHierarchy:
    """Every error is a GigPolicyError and also the closest builtin."""

    def test_invalid_record_is_a_value_error(self) -> None:
        """InvalidRecord is both a GigPolicyError and a ValueError."""
        assert (True, True) == (
            issubclass(InvalidRecord, GigPolicyError),
            issubclass(InvalidRecord, ValueError),
        )

    def test_unknown_policy_is_a_lookup_error(self) -> None:
        """UnknownPolicy is both a GigPolicyError and a LookupError."""
        assert (True, True) == (
            issubclass(UnknownPolicy, GigPolicyError),
            issubclass(UnknownPolicy, LookupError),
        )

    def test_invalid_transition_is_an_invalid_record(self) -> None:
        """InvalidTransition is a kind of InvalidRecord."""
        assert issubclass(InvalidTransition, InvalidRecord)

    def test_group_is_an_invalid_record_and_an_exception_group(self) -> None:
        """InvalidRecordGroup is an InvalidRecord, a ValueError and an ExceptionGroup."""
        group = InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        assert (True, True, True) == (
            isinstance(group, InvalidRecord),
            isinstance(group, ValueError),
            isinstance(group, ExceptionGroup),
        )

    def test_no_such_decision_is_a_lookup_error(self) -> None:
        """NoSuchDecision is both a GigPolicyError and a LookupError."""
        assert (True, True) == (
            issubclass(errors.NoSuchDecision, GigPolicyError),
            issubclass(errors.NoSuchDecision, LookupError),
        )

    def test_public_names(self) -> None:
        """The errors module exports the errors of the contract, each a GigPolicyError, sorted."""
        contract = {"GigPolicyError", "InvalidRecord", "InvalidRecordGroup", "InvalidTransition", "UnknownPolicy"}
        assert (contract, sorted(errors.__all__), []) == (
            contract & set(errors.__all__),
            errors.__all__,
            [name for name in errors.__all__ if not issubclass(getattr(errors, name), GigPolicyError)],
        )


class TestInvalidRecord:
    """A single problem at one path."""

    def test_message_names_the_path(self) -> None:
        """The message is ``path: problem``."""
        error = InvalidRecord("events[3].amount", "must be greater than zero")
        assert ("events[3].amount: must be greater than zero", "events[3].amount", "must be greater than zero") == (
            str(error),
            error.path,
            error.problem,
        )

    def test_message_without_a_path_is_the_problem(self) -> None:
        """An error about the whole input reads as its problem alone."""
        assert "is not valid JSON" == str(InvalidRecord("", "is not valid JSON"))

    def test_errors_is_itself(self) -> None:
        """A single error stands for itself alone."""
        error = InvalidRecord("a", "bad")
        assert (error,) == error.errors

    @pytest.mark.parametrize(
        ("prefix", "path", "expected"),
        [
            ("", "amount", "amount"),
            ("events[2]", "", "events[2]"),
            ("contract", "[0]", "contract[0]"),
            ("events[2]", "amount", "events[2].amount"),
        ],
    )
    def test_at_places_the_path_under_a_prefix(self, prefix: str, path: str, expected: str) -> None:
        """``at`` joins the prefix and the path with a dot, except around empty parts and indexes."""
        moved = InvalidRecord(path, "bad").at(prefix)
        assert (expected, "bad") == (moved.path, moved.problem)


class TestInvalidTransition:
    """An event the state does not allow, named by its index."""

    def test_names_the_event(self) -> None:
        """The path is ``events[index]`` and the index is kept."""
        error = InvalidTransition(2, "the contract has already ended")
        assert ("events[2]: the contract has already ended", "events[2]", 2) == (str(error), error.path, error.index)

    def test_at_keeps_the_absolute_path(self) -> None:
        """An event index is already a path from the root, so ``at`` returns the error itself."""
        error = InvalidTransition(2, "no")
        assert error is error.at("contract")


class TestInvalidRecordGroup:
    """Several problems reported together."""

    def test_first_problem_is_the_path(self) -> None:
        """The group's path and problem are those of its first error."""
        group = InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        assert ("a", "bad") == (group.path, group.problem)

    def test_errors_in_order(self) -> None:
        """``errors`` lists every single problem in the order given."""
        first, second = InvalidRecord("a", "bad"), InvalidRecord("b", "worse")
        assert (first, second) == InvalidRecordGroup([first, second]).errors

    def test_nested_groups_are_flattened(self) -> None:
        """A group inside a group contributes its single problems."""
        inner = InvalidRecordGroup([InvalidRecord("a", "1"), InvalidRecord("b", "2")])
        group = InvalidRecordGroup([inner, InvalidRecord("c", "3")])
        assert ["a", "b", "c"] == [error.path for error in group.errors]

    def test_message_lists_every_problem(self) -> None:
        """``str`` gives the count, then one line per problem."""
        group = InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        assert "2 problems:\n  a: bad\n  b: worse" == str(group)

    def test_exception_group_message(self) -> None:
        """The ExceptionGroup message is the count of problems."""
        group = InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        assert "2 problems" == group.message

    def test_at_moves_every_path(self) -> None:
        """``at`` places every relative path under the prefix and keeps event indexes."""
        group = InvalidRecordGroup([InvalidRecord("id", "bad"), InvalidTransition(1, "worse")])
        moved = group.at("contract")
        assert (True, ["contract.id", "events[1]"]) == (
            isinstance(moved, InvalidRecordGroup),
            [error.path for error in moved.errors],
        )

    def test_except_star_sees_every_problem(self) -> None:
        """``except*`` on InvalidRecord receives all of the group's problems."""
        caught: list[str] = []
        try:
            raise InvalidRecordGroup([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        except* InvalidRecord as group:
            caught.extend(str(error) for error in group.exceptions)
        assert ["a: bad", "b: worse"] == caught


class TestRaiseCollected:
    """Nothing for no problems, the problem for one, a group for several."""

    def test_no_errors_raises_nothing(self) -> None:
        """An empty list raises nothing."""

        def collect_nothing() -> str:
            raise_collected([])
            return "returned"

        assert "returned" == collect_nothing()

    def test_one_error_is_raised_as_is(self) -> None:
        """A single problem is raised itself, not wrapped in a group."""
        error = InvalidRecord("a", "bad")
        with pytest.raises(InvalidRecord) as caught:
            raise_collected([error])
        assert error is caught.value

    def test_several_errors_are_grouped(self) -> None:
        """Several problems are raised as one InvalidRecordGroup."""
        with pytest.raises(InvalidRecordGroup) as caught:
            raise_collected([InvalidRecord("a", "bad"), InvalidRecord("b", "worse")])
        assert ["a", "b"] == [error.path for error in caught.value.errors]
