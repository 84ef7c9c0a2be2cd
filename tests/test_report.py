"""The report as JSON-ready data (`_report_json`) and as text (`_report_text`): reports, options, comparisons."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

import attrs
from tests.records import CLIENT, FREELANCER, bill, day, end, fixed, fund, hourly, release, submit, usd

from gigpolicy import (
    FeedbackEditEnabled,
    FeedbackKind,
    FeedbackLeft,
    MoneyEffect,
    Option,
    Policy,
    Question,
    differences,
    evaluate,
    get_policy,
    options,
)
from gigpolicy._report_json import differences_data, options_data, policy_data, report_data
from gigpolicy._report_text import PHRASES, differences_text, options_rows, options_text, report_text

AT: Final = day(1)
BARE: Final = Policy(name="bare", effective_from=date(2016, 1, 1))
"""A policy with no rules, no title and no sources: every question answers no."""


def pick(found: tuple[Option, ...], action: str) -> Option:
    """The one option of *found* with *action*."""
    (option,) = (option for option in found if option.action == action)
    return option


class TestPolicyData:
    """A policy version's identity."""

    def test_fields(self) -> None:
        """Name, label, date, title and source, as JSON-ready values."""
        policy = get_policy("upwork", on=date(2019, 1, 1))
        expected = {
            "name": "upwork",
            "version": "upwork@2016-06-21",
            "effective_from": "2016-06-21",
            "title": policy.title,
            "source": policy.source,
        }
        assert expected == policy_data(policy)


class TestReportData:
    """``report_data``: the report as data."""

    def test_contract_only_with_the_record(self) -> None:
        """The contract id is included only when the record is given."""
        record = fixed(fund(day(0)))
        report = evaluate(record, at=AT)
        assert "c-1" == report_data(report, record)["contract"]
        assert "contract" not in report_data(report)

    def test_state_and_money_as_strings(self) -> None:
        """Money is written as exact decimal strings, instants as RFC 3339 in UTC."""
        record = fixed(fund(day(0)), release(day(1)), end(day(2)))
        data = report_data(evaluate(record, at=day(3)))
        expected_state = {
            "status": "ended",
            "ended_at": "2026-11-04T15:00:00Z",
            "ended_by": "freelancer",
            "currency": "USD",
            "escrow": "0.00",
            "paid": "500.00",
            "refunded": "0.00",
            "net_paid": "500.00",
            "escrow_returned": "0.00",
            "deposited": "500.00",
            "automatic_steps": [],
        }
        assert expected_state == data["state"]
        assumed = [
            (
                "The record gives no freelancer_fee_rate for a contract whose fee is set per contract; "
                "the default rate of 10% was assumed."
            )
        ]
        assert {"gross": "500.00", "service_fee": "50.00", "net": "450.00", "assumptions": assumed} == data["earnings"]
        assert "2026-11-05T15:00:00Z" == data["at"]

    def test_open_contract_has_no_end(self) -> None:
        """An open contract has null end fields."""
        state = report_data(evaluate(fixed(fund(day(0))), at=AT))["state"]
        assert isinstance(state, dict)
        assert (None, None) == (state["ended_at"], state["ended_by"])

    def test_automatic_steps(self) -> None:
        """Each automatic step of the policy is listed with its instant, code, milestone and amount."""
        data = report_data(evaluate(fixed(fund(day(0)), submit(day(1))), at=day(20)))
        state = data["state"]
        assert isinstance(state, dict)
        expected = [{"at": "2026-11-17T15:00:00Z", "code": "AUTO_RELEASE", "milestone": "m1", "amount": "500.00"}]
        assert expected == state["automatic_steps"]

    def test_decisions(self) -> None:
        """Every decision has its question, party, answer, until and reasons with their sources."""
        report = evaluate(fixed(fund(day(0)), end(day(1))), at=day(2))
        decisions = report_data(report)["decisions"]
        assert isinstance(decisions, list)
        assert len(report.decisions) == len(decisions)
        public = next(d for d in decisions if d["question"] == "public_feedback" and d["party"] == "client")
        assert (True, "2026-11-18T00:00:00Z") == (public["answer"], public["until"])
        assert {"code": "CONTRACT_ENDED"}.items() <= public["reasons"][0].items()
        assert public["reasons"][0]["source"].startswith("https://")

    def test_is_json(self) -> None:
        """The data serializes to JSON as it is."""
        data = report_data(evaluate(hourly(bill(day(6))), at=day(7)), hourly())
        assert data == json.loads(json.dumps(data))


class TestReportText:
    """``report_text``: the report a person reads."""

    def test_header_and_state(self) -> None:
        """The text starts with the contract, the policy with its title, the instant, the answer, then the state."""
        record = fixed(fund(day(0)))
        lines = report_text(evaluate(record, at=AT), record).splitlines()
        policy = get_policy("upwork")
        assert [
            "Contract c-1: fixed-price, USD, client client-42, freelancer fl-7",
            f"Policy   upwork@2025-05-01: {policy.title}",
            "At       2026-11-03 15:00 UTC",
            "",
            "In short:",
            "  The contract is active: 500.00 USD is held in escrow, and nothing was paid.",
        ] == lines[:6]
        state = lines.index("State")
        assert [
            "State",
            "  status           active",
            "  escrow held      500.00 USD",
            "  paid             0.00 USD (refunded 0.00 USD, net 0.00 USD)",
            "  back to client   0.00 USD",
            "",
            "Earnings: gross 0.00 USD, service fee 0.00 USD, net 0.00 USD",
        ] == lines[state : state + 7]

    def test_hourly_kind(self) -> None:
        """An hourly contract says so."""
        record = hourly()
        assert report_text(evaluate(record, at=AT), record).startswith("Contract c-1: hourly, USD")

    def test_decisions_by_party_with_deadlines_and_sources(self) -> None:
        """Decisions are grouped by party, with yes/no, the phrase, the deadline, reasons and numbered sources."""
        record = fixed(fund(day(0)), end(day(1)))
        text = report_text(evaluate(record, at=day(2)), record)
        lines = text.splitlines()
        freelancer, client = lines.index("  The freelancer"), lines.index("  The client")
        assert freelancer < client
        assert "    yes may leave public feedback  (until 2026-11-18 00:00 UTC)" in lines[client:]
        assert f"    no  {PHRASES[Question.END_CONTRACT]}" in lines[freelancer:client]
        ended = {line for line in lines if line.startswith("          - The contract has already ended. [")}
        assert 1 == len(ended)  # the same source, numbered once, for both parties
        number = ended.pop().rsplit("[", 1)[1].rstrip("]")
        sources = lines[lines.index("Sources") + 1 :]
        assert sources[0].startswith("  [1] https://")
        assert any(line.startswith(f"  [{number}] https://support.upwork.com/") for line in sources)
        assert len(sources) == len(set(sources))

    def test_ended_and_automatic_steps(self) -> None:
        """The status says who ended it and when; automatic steps are listed."""
        record = fixed(fund(day(0)), end(day(1)))
        text = report_text(evaluate(record, at=day(2)), record)
        assert "  status           ended on 2026-11-03 15:00 UTC by the freelancer" in text
        assert "  automatic        2026-11-03 15:00 UTC: 500.00 USD of m1 returned to the client" in text

    def test_auto_release(self) -> None:
        """An automatic release is described as paid to the freelancer."""
        record = fixed(fund(day(0)), submit(day(1)))
        text = report_text(evaluate(record, at=day(20)), record)
        assert "  automatic        2026-11-17 15:00 UTC: 500.00 USD of m1 released to the freelancer" in text

    def test_completed_order(self) -> None:
        """A Fiverr order that completed by itself ended without a party, and says so."""
        record = fixed(fund(day(0)), submit(day(1)))
        text = report_text(evaluate(record, at=day(5), policy="fiverr"), record)
        assert "  status           ended on 2026-11-06 15:00 UTC (completed)" in text
        assert "the order is complete, which ends the contract" in text

    def test_policy_without_title_or_sources(self) -> None:
        """A policy without a title shows only its label, and without sources there is no Sources section."""
        record = fixed(fund(day(0)))
        text = report_text(evaluate(record, at=AT, policy=BARE), record)
        assert "Policy   bare@2016-01-01" in text.splitlines()
        assert "Sources" not in text
        assert "          - bare has no rule for end contract." in text


class TestOptionsRows:
    """``options_rows``: the cells of the options table."""

    def test_motivating_case_rows(self) -> None:
        """For the freelancer who ends now: review until 11-18, not shown, no history, counts against or not."""
        record = fixed(fund(day(0)))
        found = options(record, party=FREELANCER, at=AT)
        rows = {row["option"]: row for row in options_rows(found)}
        assert {
            "option": "end_contract",
            "client can review": "yes, until 2026-11-18",
            "review shown": "no",
            "work history": "no",
            "success score": "counts against / not counted",
            "money (worst / best)": "500.00 to client, net 0.00",
        } == rows["end_contract"]
        assert "from 2027-01-31" == rows["wait"]["client can review"]
        assert "counts against / not counted" == rows["wait"]["success score"]
        money = "500.00 to client, net 0.00 / 500.00 to freelancer, net 450.00"
        assert money == rows["submit_work"]["money (worst / best)"]

    def test_dates_are_utc_days(self) -> None:
        """An edit window closing at 01:00 UTC, enabled at -12:00, is shown on its UTC day, as the header says.

        The freelancer enables the client's edit at 2026-11-07 01:00 UTC (2026-11-06 13:00 at
        -12:00); it closes 14 days later, 2026-11-21 01:00 UTC, the 20th at the event's offset.
        """
        left = FeedbackLeft(at=day(3), by=CLIENT, kind=FeedbackKind.PUBLIC, rating=Decimal(2))
        enabled = FeedbackEditEnabled(at=day(4, hours=10).astimezone(timezone(timedelta(hours=-12))), by=FREELANCER)
        record = fixed(fund(day(0)), release(day(1)), end(day(2), by=CLIENT), left, enabled)
        rows = {row["option"]: row for row in options_rows(options(record, party=FREELANCER, at=day(5)))}
        assert "yes, until 2026-11-21" == rows["wait"]["client can review"]

    def test_paid_contract_rows(self) -> None:
        """On a paid contract the review is shown and the contract counts, negatively or positively."""
        found = options(fixed(fund(day(0)), release(day(1))), party=FREELANCER, at=day(2))
        rows = {row["option"]: row for row in options_rows(found)}
        assert ("yes", "yes", "counts against / counts for") == (
            rows["end_contract"]["review shown"],
            rows["end_contract"]["work history"],
            rows["end_contract"]["success score"],
        )
        assert "-500.00 to freelancer" in rows["refund_and_end"]["money (worst / best)"]

    def test_client_rows_and_work_history_pair(self) -> None:
        """The client's rows name the freelancer's review; a dispute shows in the history only if it pays out."""
        found = options(fixed(fund(day(0))), party=CLIENT, at=AT)
        rows = {row["option"]: row for row in options_rows(found)}
        assert "freelancer can review" in rows["wait"]
        assert "yes / no" == rows["open_dispute"]["work history"]

    def test_counts_without_feedback(self) -> None:
        """Under the 2016 rules a contract without feedback counts, neither + nor -."""
        found = options(fixed(fund(day(0)), release(day(1))), party=CLIENT, at=day(2), policy="upwork@2019-01-01")
        rows = {row["option"]: row for row in options_rows(found)}
        assert "counts" in rows["end_contract"]["success score"].split(" / ")


class TestOptionsText:
    """``options_text``: the short answers, the table, the assumptions and the sources."""

    def test_the_answer_is_wrapped_to_the_width_asked(self) -> None:
        """Rule: with a width, no line of the short answers is longer (the table is never wrapped)."""
        record = fixed(fund(day(0)))
        found = options(record, party=FREELANCER, at=AT)
        for width in (50, 72, 120):
            lines = options_text(found, record, AT, width=width).splitlines()
            answer = lines[lines.index("In short:") + 1 : lines.index("", lines.index("In short:"))]
            assert answer
            assert all(len(line) <= width for line in answer)
            assert all(line.startswith("    ") for line in answer if not line.startswith("  If you"))
        unwrapped = options_text(found, record, AT).splitlines()
        assert " ".join(" ".join(answer).split()) == " ".join(
            " ".join(unwrapped[unwrapped.index("In short:") + 1 : unwrapped.index("", 3)]).split()
        )

    def test_the_sources_of_the_answer_are_numbered(self) -> None:
        record = fixed(fund(day(0)))
        text = options_text(options(record, party=FREELANCER, at=AT), record, AT)
        cited = text.split("Sources of the answer:\n")[1].splitlines()
        assert cited[0].startswith("  [1] https://")
        assert [f"  [{n}] " for n in range(1, len(cited) + 1)] == [
            line[: len(f"  [{n}] ")] for n, line in enumerate(cited, 1)
        ]
        assert len(set(cited)) == len(cited)

    def test_table_lines_line_up(self) -> None:
        """The header, rule and rows are columns of equal width, one row per option."""
        record = fixed(fund(day(0)))
        found = options(record, party=FREELANCER, at=AT)
        lines = options_text(found, record, AT).splitlines()
        assert (
            "What the freelancer can do on contract c-1 at 2026-11-03 15:00 UTC (upwork@2025-05-01; money in USD)"
            == (lines[0])
        )
        top = next(index for index, line in enumerate(lines) if line.startswith("option "))
        assert lines.index("In short:") < top  # the answer first
        header, rule = lines[top], lines[top + 1]
        assert len(rule) >= len(header)
        starts = [index for index, char in enumerate(rule) if char == "-" and (index == 0 or rule[index - 1] == " ")]
        for row in lines[top + 2 : top + 2 + len(found)]:
            assert row.split()[0] in {option.action for option in found}
            assert all(position == 0 or row[position - 1] == " " for position in starts)

    def test_in_short_for_the_motivating_case(self) -> None:
        """The short answer: the client can review, nobody would see it, no history, counts or not, escrow back."""
        record = fixed(fund(day(0)))
        text = options_text(options(record, party=FREELANCER, at=AT), record, AT)
        line = next(line for line in text.splitlines() if line.startswith("  If you end the contract now: "))
        expected = (
            "  If you end the contract now: the client can still leave a review until 2026-11-18 00:00 UTC, "
            "but nobody would see it (Net paid (0.00 USD) is below 1.00 USD, so public feedback is not shown); "
            "the contract does not show in the work history; in the worst case it counts against the success "
            "score, in the best case it is not counted ("
        )
        assert line.startswith(expected)
        assert line.endswith("); 500.00 USD goes back to the client.")
        assert any(line.startswith("  If you report the job and end it: ") for line in text.splitlines())

    def test_in_short_for_a_paid_contract(self) -> None:
        """On a paid contract the review would be shown, the contract is in the history, and no escrow moves."""
        record = fixed(fund(day(0)), release(day(1)))
        text = options_text(options(record, party=FREELANCER, at=day(2)), record, day(2))
        line = next(line for line in text.splitlines() if line.startswith("  If you end the contract now"))
        assert ", and it would be shown" in line
        assert "the contract shows in the work history" in line
        assert "toward the success score: counts against / counts for" in line
        assert line.endswith("; no escrow moves.")

    def test_in_short_where_nothing_counts(self) -> None:
        """Under Fiverr, where no review is open right after and nothing counts, the short answer says so."""
        record = fixed(fund(day(0)))
        text = options_text(options(record, party=CLIENT, at=AT, policy="fiverr"), record, AT)
        line = next(line for line in text.splitlines() if line.startswith("  If you end the contract now"))
        assert "the freelancer cannot leave a review" in line
        assert "it cannot count toward the success score" in line

    def test_no_short_answers_without_a_way_to_end(self) -> None:
        """An ended contract has no way to end, so no short answers; the assumptions still follow."""
        record = fixed(fund(day(0)), end(day(1)))
        text = options_text(options(record, party=FREELANCER, at=day(2)), record, day(2))
        assert "In short:" not in text
        assert text.endswith(
            "  wait: Do nothing for now.\n"
            "    - Neither party acts; every step the policy takes by itself plays out (automatic releases, escrow "
            "returned after an end, a dormant contract closed).\n"
            "    - The client responds as soon as the policy lets them: in the worst case with the lowest rating the "
            "policy lets them leave, in the best case with no feedback or the highest, whichever is better for you.\n"
            "    - Outcomes are taken once every automatic step the policy takes has played out and every window has "
            "closed.\n"
            "    - The record gives no freelancer_fee_rate for a contract whose fee is set per contract; the default "
            "rate of 10% was assumed."
        )


def _listed(document: dict[str, object]) -> list[dict[str, Any]]:
    """The ``options`` of an ``options_data`` document, typed for indexing."""
    listed = document["options"]
    assert isinstance(listed, list)
    return listed


class TestOptionsData:
    """``options_data``: the options as data."""

    def test_every_option(self) -> None:
        """Each option has its action, party, summary, events, assumptions, both cases and money."""
        found = options(fixed(fund(day(0))), party=FREELANCER, at=AT)
        document = options_data(found)
        assert document["format"] == "gigpolicy-options/1"
        data = _listed(document)
        assert [option.action for option in found] == [item["action"] for item in data]
        submit_work = next(item for item in data if item["action"] == "submit_work")
        assert [{"type": "work_submitted", "at": "2026-11-03T15:00:00Z", "milestone": "m1"}] == submit_work["events"]
        assert {
            "paid_to_freelancer": "500.00",
            "back_to_client": "0.00",
            "escrow_held": "0.00",
            "net_earnings": "450.00",
        } == (submit_work["best_money"])
        assert {"freelancer"} == {item["party"] for item in data}
        assert document == json.loads(json.dumps(document))

    def test_cases_are_reports(self) -> None:
        """Each case is a report as data, without the contract id."""
        record = fixed(fund(day(0)), end(day(1)))
        (wait,) = _listed(options_data(options(record, party=CLIENT, at=day(2), policy="upwork@2023-12-05")))
        settled = datetime.fromisoformat(wait["worst_case"]["at"])
        assert report_data(evaluate(record, at=settled, policy="upwork@2023-12-05")) == wait["worst_case"]


class TestDifferences:
    """``differences_text`` and ``differences_data``: two policies side by side."""

    def test_text_lists_each_difference(self) -> None:
        """Each differing decision shows both answers, deadlines and reason codes, then both earnings."""
        record = fixed(fund(day(0)), end(day(1)))
        first, second = evaluate(record, at=day(2)), evaluate(record, at=day(2), policy=BARE)
        text = differences_text(differences(first, second), first, second, record)
        lines = text.splitlines()
        assert "Contract c-1 at 2026-11-04 15:00 UTC: upwork@2025-05-01 against bare@2016-01-01" == lines[0]
        start = lines.index("The client may leave public feedback")
        assert lines[start + 1].startswith("  upwork@2025-05-01    yes until 2026-11-18 00:00 UTC (")
        assert "  bare@2016-01-01      no (NO_SUCH_RULE)" == lines[start + 2]
        assert "Earnings under bare@2016-01-01: gross 0.00 USD, fee 0.00 USD, net 0.00 USD" == lines[-1]

    def test_text_without_differences(self) -> None:
        """Two equal reports say every decision is the same."""
        record = fixed(fund(day(0)))
        report = evaluate(record, at=AT)
        assert "Every decision is the same under both." in differences_text((), report, report, record)

    def test_data(self) -> None:
        """The data names both policies and holds each difference and both earnings."""
        record = fixed(fund(day(0)), release(day(1)))
        first = evaluate(record, at=day(2))
        second = evaluate(record, at=day(2), policy="upwork@2019-01-01")
        data = differences_data(differences(first, second), first, second)
        assert ("upwork@2025-05-01", "upwork@2016-06-21") == (data["first"]["version"], data["second"]["version"])  # type: ignore[index]  # dicts
        assumed = [
            (
                "The record gives no freelancer_fee_rate for a contract whose fee is set per contract; "
                "the default rate of 10% was assumed."
            )
        ]
        assert [
            {"gross": "500.00", "service_fee": "50.00", "net": "450.00", "assumptions": assumed},
            {"gross": "500.00", "service_fee": "100.00", "net": "400.00", "assumptions": []},
        ] == data["earnings"]
        assert data == json.loads(json.dumps(data))


class TestMoneyLine:
    """The money cell lists only what moves, then the net."""

    def test_only_net(self) -> None:
        """With nothing moving and nothing held, the cell is only the net."""
        zero = usd(0)
        effect = MoneyEffect(paid_to_freelancer=zero, back_to_client=zero, escrow_held=zero, net_earnings=usd(90))
        option = pick(options(fixed(fund(day(0)), release(day(1))), party=CLIENT, at=day(2)), "end_contract")
        option = attrs.evolve(option, worst_money=effect, best_money=effect)
        assert "net 90.00" == options_rows((option,))[0]["money (worst / best)"]

    def test_instants_in_utc(self) -> None:
        """Instants with an offset are written in UTC."""
        record = fixed(fund(day(0)))
        report = evaluate(record, at=datetime(2026, 11, 3, 16, 30, tzinfo=UTC).astimezone())
        assert "2026-11-03T16:30:00Z" == report_data(report)["at"]


class TestOptionsTextOfDecember2026:
    """What waiting leads to, and the warnings, in the text a person reads."""

    def test_waiting_for_an_order_to_complete(self) -> None:
        """A Fiverr seller who waits: the order completes by itself, the buyer may then review, the seller is paid."""
        record = fixed(fund(day(0)), submit(day(1)))
        text = options_text(options(record, party=FREELANCER, at=day(2), policy="fiverr"), record, day(2))
        line = next(line for line in text.splitlines() if line.startswith("  If you wait:"))
        assert line.startswith(
            "  If you wait: the client can leave a review from 2026-11-06 15:00 UTC, when the contract ends by itself, "
            "and it would be shown;"
        )
        assert line.endswith("; 500.00 USD is paid to the freelancer.")

    def test_waiting_for_the_dormancy_closure(self) -> None:
        """On Upwork the review comes when the marketplace closes the idle contract as dormant."""
        record = fixed(fund(day(0)))
        text = options_text(options(record, party=FREELANCER, at=AT), record, AT)
        line = next(line for line in text.splitlines() if line.startswith("  If you wait:"))
        assert "from 2027-01-31 15:00 UTC, when the marketplace closes the contract as dormant, but" in line

    def test_warnings_are_listed(self) -> None:
        """An option's warnings come in their own section, before the assumptions."""
        from tests.records import report  # noqa: PLC0415 - used by this test only

        record = fixed(fund(day(0)), report(day(1)))
        lines = options_text(options(record, party=FREELANCER, at=day(2)), record, day(2)).splitlines()
        start = lines.index("Warnings:")
        assert lines[start + 1].startswith("  submit_work: You reported this job on 2026-11-03: delivering work")
        assert start < lines.index("What each option assumes:")

    def test_warnings_in_the_data(self) -> None:
        """options_data carries each option's warnings as reasons."""
        from tests.records import report  # noqa: PLC0415 - used by this test only

        data = _listed(options_data(options(fixed(fund(day(0)), report(day(1))), party=FREELANCER, at=day(2))))
        submit_work = next(item for item in data if item["action"] == "submit_work")
        assert ["REPORTED_JOB"] == [warning["code"] for warning in submit_work["warnings"]]
        assert all(item["warnings"] == [] for item in data if item["action"] != "submit_work")
