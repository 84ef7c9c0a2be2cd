"""Instants: RFC 3339 parsing and writing, dates, and the timezone-aware check."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gigpolicy import InvalidRecord
from gigpolicy._time import NaiveDatetime, format_instant, parse_date, parse_instant, require_aware


class TestParseInstant:
    """RFC 3339 timestamps with an offset."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2026-11-02T15:00:00Z", datetime(2026, 11, 2, 15, tzinfo=UTC)),
            ("2026-11-02t15:00:00z", datetime(2026, 11, 2, 15, tzinfo=UTC)),
            ("2026-11-02T15:00:00+00:00", datetime(2026, 11, 2, 15, tzinfo=UTC)),
            ("2026-11-02T17:00:00+02:00", datetime(2026, 11, 2, 15, tzinfo=UTC)),
            ("2026-11-02T09:30:00-05:30", datetime(2026, 11, 2, 15, tzinfo=UTC)),
            ("2026-11-02T15:00:00.5Z", datetime(2026, 11, 2, 15, 0, 0, 500000, tzinfo=UTC)),
            ("2026-11-02T15:00:00.123456Z", datetime(2026, 11, 2, 15, 0, 0, 123456, tzinfo=UTC)),
        ],
    )
    def test_instants_with_an_offset(self, text: str, expected: datetime) -> None:
        """``Z``, ``+hh:mm`` and ``-hh:mm`` give the same instant as UTC."""
        assert expected == parse_instant(text)

    def test_offset_is_kept(self) -> None:
        """A non-UTC offset is kept on the parsed datetime."""
        assert timedelta(hours=2) == parse_instant("2026-11-02T17:00:00+02:00").utcoffset()

    def test_naive_is_refused(self) -> None:
        """A timestamp without an offset is an error that says how to fix it."""
        with pytest.raises(InvalidRecord) as caught:
            parse_instant("2026-11-02T15:00:00")
        assert ("", "'2026-11-02T15:00:00' has no UTC offset (add Z or +hh:mm)") == (
            caught.value.path,
            caught.value.problem,
        )

    @pytest.mark.parametrize(
        "text",
        [
            "2026-11-02",
            "2026-11-02T15:00Z",
            "2026-11-02T15:00:00+0200",
            "2026-11-02T15:00:00+05:61",
            "2026-11-02T15:00:00UTC",
            " 2026-11-02T15:00:00Z",
            "\uff12\uff10\uff12\uff16-11-02T15:00:00Z",
            "2026-11-0\u0662T15:00:00Z",
            "",
        ],
    )
    def test_other_forms_are_refused(self, text: str) -> None:
        """Anything but ``YYYY-MM-DDThh:mm:ss[.ffffff]`` and an offset, in ASCII digits, is refused."""
        with pytest.raises(InvalidRecord) as caught:
            parse_instant(text)
        assert f"{text!r} is not an RFC 3339 timestamp" == caught.value.problem

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ("2026-11-02 15:00:00Z", "separates the date and the time with a space: gigpolicy reads only T there"),
            (
                "2026-11-02t15:00:00.1234567Z",
                "has more than 6 digits after the decimal point: gigpolicy keeps microseconds",
            ),
            (
                "2026-11-02T15:00:00.1234567",
                "has more than 6 digits after the decimal point: gigpolicy keeps microseconds",
            ),
        ],
    )
    def test_forms_rfc_3339_allows_are_refused_with_why(self, text: str, problem: str) -> None:
        """A space for T, or nanoseconds, which RFC 3339 allows: refused, saying why, not "not RFC 3339"."""
        with pytest.raises(InvalidRecord) as caught:
            parse_instant(text)
        assert f"{text!r} {problem}" == caught.value.problem

    @pytest.mark.parametrize(
        "text",
        [
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-02T24:00:00Z",
            "2026-11-02T15:60:00Z",
            "2026-11-02T15:00:60Z",
            "2026-11-02T15:00:00+24:00",
        ],
    )
    def test_impossible_dates_and_times_are_refused(self, text: str) -> None:
        """A well-formed timestamp of a day or time that does not exist is refused."""
        with pytest.raises(InvalidRecord) as caught:
            parse_instant(text)
        assert f"{text!r} is not a valid date and time" == caught.value.problem

    @pytest.mark.parametrize(("value", "kind"), [(5, "int"), (None, "NoneType"), (1.5, "float")])
    def test_non_strings_are_refused(self, value: object, kind: str) -> None:
        """Only a string can be a timestamp."""
        with pytest.raises(InvalidRecord) as caught:
            parse_instant(value)
        assert f"must be an RFC 3339 timestamp string, not {kind}" == caught.value.problem


class TestParseDate:
    """ISO 8601 calendar dates."""

    def test_date(self) -> None:
        """``YYYY-MM-DD`` is a date."""
        assert date(2026, 11, 8) == parse_date("2026-11-08")

    @pytest.mark.parametrize("value", ["2026-1-8", "2026-11-08T00:00:00Z", "20261108", 2026, None, "2026-11-0\u0668"])
    def test_other_forms_are_refused(self, value: object) -> None:
        """Anything but a ``YYYY-MM-DD`` string in ASCII digits is refused."""
        with pytest.raises(InvalidRecord) as caught:
            parse_date(value)
        assert f"{value!r} is not a date in the form YYYY-MM-DD" == caught.value.problem

    @pytest.mark.parametrize("text", ["2026-02-29", "2026-11-31", "2026-00-10"])
    def test_impossible_dates_are_refused(self, text: str) -> None:
        """A well-formed date that does not exist is refused."""
        with pytest.raises(InvalidRecord) as caught:
            parse_date(text)
        assert f"{text!r} is not a valid date" == caught.value.problem


class TestRequireAware:
    """Instants must carry a UTC offset."""

    def test_aware_passes(self) -> None:
        """An aware datetime is returned as it is."""
        value = datetime(2026, 11, 2, tzinfo=timezone(timedelta(hours=-3)))
        assert value is require_aware(value, "at")

    def test_naive_is_refused(self) -> None:
        """A naive datetime raises NaiveDatetime, an InvalidRecord and a ValueError, at the given path."""
        with pytest.raises(NaiveDatetime) as caught:
            require_aware(datetime(2026, 11, 2), "at")  # noqa: DTZ001 - a naive datetime is the point
        assert ("at", "must be timezone-aware (it has no UTC offset)", True) == (
            caught.value.path,
            caught.value.problem,
            isinstance(caught.value, ValueError),
        )

    def test_not_a_datetime(self) -> None:
        """A date is not an instant."""
        with pytest.raises(InvalidRecord) as caught:
            require_aware(date(2026, 11, 2), "at")  # type: ignore[arg-type]  # the wrong type is the point
        assert ("at", "must be a datetime, not date") == (caught.value.path, caught.value.problem)


class TestFormatInstant:
    """Writing RFC 3339."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (datetime(2026, 11, 2, 15, tzinfo=UTC), "2026-11-02T15:00:00Z"),
            (datetime(2026, 11, 2, 15, tzinfo=timezone(timedelta(0))), "2026-11-02T15:00:00Z"),
            (datetime(2026, 11, 2, 15, 0, 0, 250000, tzinfo=UTC), "2026-11-02T15:00:00.250000Z"),
            (datetime(2026, 11, 2, 17, tzinfo=timezone(timedelta(hours=2))), "2026-11-02T17:00:00+02:00"),
            (
                datetime(2026, 11, 2, 9, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
                "2026-11-02T09:30:00-05:30",
            ),
            # RFC 3339 writes whole minutes: an offset with seconds (a zone's local mean time) is written in UTC
            (datetime(1920, 3, 1, 12, tzinfo=timezone(timedelta(minutes=19, seconds=32))), "1920-03-01T11:40:28Z"),
            (datetime(1900, 6, 1, 12, tzinfo=timezone(timedelta(hours=-5, seconds=-1))), "1900-06-01T17:00:01Z"),
            (datetime(2026, 1, 1, tzinfo=timezone(timedelta(microseconds=1))), "2025-12-31T23:59:59.999999Z"),
        ],
    )
    def test_format(self, value: datetime, expected: str) -> None:
        """UTC is written with ``Z``; other offsets as ``+hh:mm``."""
        assert expected == format_instant(value)

    @pytest.mark.parametrize(
        "text", ["2026-11-02T15:00:00Z", "2026-11-02T17:00:00+02:00", "2026-11-02T15:00:00.000001Z"]
    )
    def test_round_trip(self, text: str) -> None:
        """Formatting a parsed instant gives the text back."""
        assert text == format_instant(parse_instant(text))
