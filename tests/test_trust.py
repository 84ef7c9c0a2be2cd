"""Trust at the edges: what the CLI prints from a record is escaped; plugins come only from installed packages."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Final

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import gigpolicy._cli as cli_module
from gigpolicy import InvalidRecord, available_policies, get_policy
from gigpolicy import _policy as policy_module
from gigpolicy._batch import _block, _Job
from gigpolicy._cli import main
from gigpolicy._policy import ENTRY_POINT_GROUP, PluginWarning, installed_entry_points
from gigpolicy._report_text import UNSAFE_CATEGORIES, printable
from gigpolicy.errors import InvalidRecordGroup

AT: Final = "2026-11-20T00:00:00Z"

HOSTILE: Final = "c\x1b]0;owned\x07\x1b[2J\x9b31m\x7f\u202eevil\u200b\u2028\nfake.json: ok"
"""A record string that retitles the window, clears the screen, reverses text and forges a line."""

HOSTILE_SHOWN: Final = "c\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x7f\\u202eevil\\u200b\\u2028\\nfake.json: ok"


def _unsafe(line: str) -> list[str]:
    """The characters of *line* a terminal could act on."""
    return [char for char in line if unicodedata.category(char) in UNSAFE_CATEGORIES]


def _record(
    *,
    ident: str = "c-1",
    person: str = "client-42",
    milestone: str = "m1",
    comment: str = "thanks",
    marketplace: str = "upwork",
    extra: str | None = None,
) -> dict[str, object]:
    """A paid, ended fixed-price contract with reviews, whose strings are the ones given."""
    contract: dict[str, object] = {
        "id": ident,
        "marketplace": marketplace,
        "kind": "fixed_price",
        "currency": "USD",
        "client": person,
        "freelancer": "fl-7",
        "started_at": "2026-11-02T15:00:00Z",
    }
    if extra is not None:
        contract[extra] = 1
    return {
        "format": "gigpolicy/1",
        "contract": contract,
        "events": [
            {"type": "milestone_funded", "at": "2026-11-02T15:05:00Z", "milestone": milestone, "amount": "500.00"},
            {"type": "work_submitted", "at": "2026-11-04T10:00:00Z", "milestone": milestone},
            {"type": "milestone_released", "at": "2026-11-05T10:00:00Z", "milestone": milestone, "amount": "500.00"},
            {"type": "contract_ended", "at": "2026-11-06T09:00:00Z", "by": "client", "reason": comment},
            {
                "type": "feedback_left",
                "at": "2026-11-07T09:00:00Z",
                "by": "client",
                "kind": "public",
                "rating": "5.0",
                "comment": comment,
            },
        ],
    }


def _run(args: list[str]) -> tuple[int, str, str]:
    """Run the command in this process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


class TestPrintable:
    """``printable``: the one function that escapes what the CLI prints."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("\x1b[2J", "\\x1b[2J"),  # ESC: clears the screen
            ("\x07\t\r\n", "\\x07\\t\\r\\n"),  # C0 controls, the newline too in one line
            ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),  # DEL and C1 controls (0x9b is an 8-bit CSI)
            ("a\u202eb\u200bc\ufeff", "a\\u202eb\\u200bc\\ufeff"),  # bidi override, zero-width, BOM
            ("\u2028\u2029", "\\u2028\\u2029"),  # line and paragraph separators
            ("\ud800", "\\ud800"),  # a lone surrogate, which UTF-8 cannot write
            ("\U000e0001", "\\U000e0001"),  # a format character beyond the BMP
        ],
    )
    def test_escapes(self, text: str, shown: str) -> None:
        """Controls, format characters, separators and lone surrogates are written as Python escapes."""
        assert shown == printable(text)

    def test_ordinary_text_is_unchanged(self) -> None:
        """Printable text, non-ASCII included (accents, CJK, emoji, a no-break space), is returned as it is."""
        text = "Contract c-1: café 中文 🎉 100\u00a0USD \\x1b"
        assert text == printable(text)
        assert text == printable(text, lines=True)

    def test_lines_keep_their_newlines(self) -> None:
        """With ``lines``, the newlines between lines stay; everything else unsafe is escaped."""
        assert "one\x85\ntwo\n" != printable("one\x85\ntwo\n", lines=True)
        assert "one\\x85\ntwo\n" == printable("one\x85\ntwo\n", lines=True)

    def test_json_escapes(self) -> None:
        """With ``json_escapes`` the escapes are JSON's, beyond the BMP as a surrogate pair."""
        assert "\\u001b\\u007f\\u0085\\u202e\\ud800\\udb40\\udc01" == printable(
            "\x1b\x7f\x85\u202e\ud800\U000e0001", json_escapes=True
        )

    @given(st.text(st.characters(exclude_categories=())))
    def test_nothing_unsafe_is_left(self, text: str) -> None:
        """Rule: ``printable(text)`` holds no unsafe character; text that holds none comes back unchanged.

        Unsafe: a control, format, line or paragraph separator, or surrogate character.
        """
        shown = printable(text)
        assert [] == _unsafe(shown)
        if not _unsafe(text):
            assert text == shown
        assert [] == _unsafe(printable(text, lines=True).replace("\n", ""))

    @given(st.text(st.characters(max_codepoint=0x7F)), st.booleans())
    def test_ascii_text_is_escaped_as_any_text(self, text: str, lines: bool) -> None:
        """Rule: ASCII text (checked by a faster road) comes back as the general road gives it.

        The general road: each line on its own with *lines*, every unsafe character escaped.
        """
        parts = text.split("\n") if lines else [text]
        expected = "\n".join("".join(ascii(c)[1:-1] if _unsafe(c) else c for c in part) for part in parts)
        assert expected == printable(text, lines=lines)

    @given(st.recursive(st.text(st.characters(exclude_categories=())), lambda inner: st.lists(inner, max_size=3)))
    def test_json_keeps_its_value(self, value: object) -> None:
        """Rule: JSON text escaped with JSON escapes reads back as the same value and holds nothing unsafe."""
        dumped = json.dumps(value, indent=2, ensure_ascii=False)
        escaped = printable(dumped, lines=True, json_escapes=True)
        assert value == json.loads(escaped)
        assert [] == _unsafe(escaped.replace("\n", ""))


class TestCliEscapes:
    """Each text the CLI prints from a record, errors included, has its unsafe characters escaped."""

    def test_validate_echoes_an_unknown_key_escaped(self, tmp_path: Path) -> None:
        """An unknown key holding an escape sequence and a newline is one visible line on stderr."""
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record(extra=HOSTILE)), encoding="utf-8")
        code, out, err = _run(["validate", str(path)])
        problem = f"{path}: contract.{HOSTILE_SHOWN}: is not a field of the record format (a typo?)"
        assert (1, "", [problem]) == (code, out, err.splitlines())

    def test_validate_escapes_file_names(self, tmp_path: Path) -> None:
        """A file name given on the command line is printed escaped, on one line."""
        path = tmp_path / "a\x1b[2J\nb.json"
        path.write_text(json.dumps(_record()), encoding="utf-8")
        code, out, err = _run(["validate", str(path)])
        assert (0, [f"{tmp_path}/a\\x1b[2J\\nb.json: ok"], "") == (code, out.splitlines(), err)

    def test_explain_text(self, tmp_path: Path) -> None:
        """The report's contract line shows the id escaped; the record's newline starts no line.

        The line is wrapped to 80 columns at a space, never at the escapes.
        """
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record(ident=HOSTILE)), encoding="utf-8")
        code, out, err = _run(["explain", str(path), "--at", AT])
        lines = out.splitlines()
        assert (0, "") == (code, err)
        assert lines[0].startswith(f"Contract {HOSTILE_SHOWN.split()[0]}")
        assert f"Contract {HOSTILE_SHOWN}: fixed-price, USD, client client-42, freelancer fl-7" == " ".join(
            " ".join(lines[:2]).split()
        )
        assert not any(line.startswith("fake.json") for line in lines)

    def test_explain_json(self, tmp_path: Path) -> None:
        """JSON output escapes C1, DEL and format characters too, and still reads back as the same text."""
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record(ident=HOSTILE)), encoding="utf-8")
        code, out, _ = _run(["explain", str(path), "--at", AT, "--json"])
        assert 0 == code
        assert HOSTILE == json.loads(out)["contract"]
        assert "\\u009b31m\\u007f\\u202eevil\\u200b\\u2028" in out
        assert [] == _unsafe(out.replace("\n", ""))

    def test_unknown_marketplace(self, tmp_path: Path) -> None:
        """A record's marketplace naming no policy is quoted escaped in the error."""
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record(marketplace="up\x1bwork\u202e")), encoding="utf-8")
        code, out, err = _run(["explain", str(path), "--at", AT])
        assert (1, "") == (code, out)
        assert err.startswith("gigpolicy: error: unknown policy 'up\\x1bwork\\u202e'")

    def test_svg_file_name(self, tmp_path: Path) -> None:
        """``timeline --svg`` names the file it wrote, escaped."""
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record()), encoding="utf-8")
        code, out, _ = _run(["timeline", str(path), "--at", AT, "--svg", str(tmp_path / "t\x1b.svg")])
        assert (0, f"wrote {tmp_path}/t\\x1b.svg\n") == (code, out)
        assert (tmp_path / "t\x1b.svg").is_file()

    def test_usage_error_quotes_escaped(self) -> None:
        """Unknown arguments, which argparse quotes raw, are escaped by the CLI's parser."""
        err = io.StringIO()
        with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
            main(["policies", "--x\x1b]0;t\x07"])
        assert 2 == exited.value.code
        assert "gigpolicy: error: unrecognized arguments: --x\\x1b]0;t\\x07" == err.getvalue().splitlines()[-1]

    def test_several_problems_from_the_library(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """An error group the library raises is one escaped line per problem."""

        def refuse(*_: object, **__: object) -> object:
            raise InvalidRecordGroup([InvalidRecord("a\n", "bad\x1b"), InvalidRecord("b", "worse")])

        monkeypatch.setattr(cli_module, "evaluate", refuse)
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record()), encoding="utf-8")
        code, _, err = _run(["explain", str(path), "--at", AT])
        assert (1, ["gigpolicy: error: a\\n: bad\\x1b", "gigpolicy: error: b: worse"]) == (code, err.splitlines())

    def test_other_warnings_are_shown_as_python_shows_them(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Only plugin warnings become ``gigpolicy: warning:`` lines; any other warning passes through."""

        def warn() -> tuple[str, ...]:
            warnings.warn("something else", UserWarning, stacklevel=1)
            return ()

        monkeypatch.setattr(cli_module, "available_policies", warn)
        with pytest.warns(UserWarning, match="something else"):
            code, out, err = _run(["policies"])
        assert (0, "", "") == (code, out, err)

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(
        texts=st.fixed_dictionaries(
            {
                "ident": st.text(st.characters(exclude_categories=()), max_size=12),
                "person": st.text(st.characters(exclude_categories=()), min_size=1, max_size=12).map("x".__add__),
                "milestone": st.text(st.characters(exclude_categories=()), min_size=1, max_size=12).map("m".__add__),
                "comment": st.text(st.characters(exclude_categories=()), min_size=1, max_size=30).map("c".__add__),
                "marketplace": st.one_of(st.just("upwork"), st.text(st.characters(exclude_categories=()), max_size=8)),
                "extra": st.one_of(st.none(), st.text(st.characters(exclude_categories=()), max_size=8)),
            }
        )
    )
    def test_no_line_holds_anything_unsafe(
        self, tmp_path_factory: pytest.TempPathFactory, texts: dict[str, str]
    ) -> None:
        """Rule: no output line of explain, options, validate or timeline holds a control or format character.

        Whatever characters a record's strings hold (controls, format characters, lone surrogates,
        separators), on stdout or stderr, in text form.
        """
        path = tmp_path_factory.mktemp("record") / "r.json"
        path.write_text(json.dumps(_record(**texts)), encoding="ascii")  # lone surrogates as \ud800 escapes
        for args in (
            ["validate", str(path)],
            ["explain", str(path), "--at", AT],
            ["options", str(path), "--as", "freelancer", "--at", AT],
            ["timeline", str(path), "--at", AT],
        ):
            _, out, err = _run(args)
            for line in (out + err).split("\n"):
                assert [] == _unsafe(line), (args, line)


# -- plugins from distributions ---------------------------------------------------------------

_GOOD: Final = """
import attrs
from gigpolicy import get_policy

# looking a policy up while the plugins load is allowed: it sees the built-ins
VERSIONS = [attrs.evolve(get_policy("fiverr"), name={name!r})]
"""

_EVIL: Final = """
from pathlib import Path

Path({marker!r}).write_text("ran", encoding="utf-8")
VERSIONS = []
"""

Make = Callable[..., Path]


@pytest.fixture
def make_dist(monkeypatch: pytest.MonkeyPatch) -> Iterator[Make]:
    """Write fake distributions (a ``*.dist-info`` with ``entry_points.txt``, and its module); all undone after.

    The registry is a copy with the built-ins, and the plugins load again at the next lookup.
    """
    available_policies()
    monkeypatch.setattr(policy_module, "_REGISTRY", dict(policy_module._REGISTRY))
    monkeypatch.setattr(policy_module, "_plugin_failures", None)
    modules: list[str] = []

    def make(root: Path, dist: str, module: str, source: str, *, metadata: bool = True, entry: str = "") -> Path:
        root.mkdir(parents=True, exist_ok=True)
        info = root / f"{dist}-1.0.dist-info"
        info.mkdir()
        if metadata:
            (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
        declared = entry or f"{dist} = {module}:VERSIONS"
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{declared}\n", encoding="utf-8")
        (root / f"{module}.py").write_text(source, encoding="utf-8")
        modules.append(module)
        importlib.invalidate_caches()
        return root

    yield make
    for module in modules:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()


class TestInstalledOnly:
    """Plugins load only from distributions found through an absolute ``sys.path`` directory other than the cwd."""

    def test_an_installed_plugin_loads(self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A distribution in a site directory on ``sys.path`` registers its policy."""
        site = make_dist(tmp_path / "site", "trusty-gp", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.syspath_prepend(str(site))
        assert "trusty" == get_policy("trusty").name
        assert "trusty" in available_policies()

    @pytest.mark.parametrize("entry", ["", "."], ids=["empty", "dot"])
    def test_not_from_the_working_directory_by_a_relative_entry(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
    ) -> None:
        """``sys.path[0] == ""`` (``python -c``, the prompt) finds a dist-info in the cwd: it is not run."""
        marker = tmp_path / "ran"
        downloads = make_dist(tmp_path / "downloads", "evil-gp", "evil_gp", _EVIL.format(marker=str(marker)))
        monkeypatch.chdir(downloads)
        monkeypatch.setattr(sys, "path", [entry, *sys.path])
        importlib.invalidate_caches()
        assert "evil-gp" in entry_points(group=ENTRY_POINT_GROUP).names  # importlib itself would load it
        assert "evil-gp" not in [entry.name for entry in installed_entry_points(group=ENTRY_POINT_GROUP)]
        assert ("fiverr", "freelancer", "upwork") == available_policies()
        assert not marker.exists()

    def test_not_from_the_working_directory_by_its_absolute_path(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``python -m`` and a script run from its folder put the cwd on ``sys.path`` as an absolute path: not run."""
        marker = tmp_path / "ran"
        downloads = make_dist(tmp_path / "downloads", "evil-gp", "evil_gp", _EVIL.format(marker=str(marker)))
        monkeypatch.chdir(downloads)
        monkeypatch.syspath_prepend(str(downloads))
        assert ("fiverr", "freelancer", "upwork") == available_policies()
        assert not marker.exists()

    def test_not_under_a_relative_entry(self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A relative ``sys.path`` entry leads wherever the cwd is: nothing found through it is run."""
        marker = tmp_path / "ran"
        make_dist(tmp_path / "sub", "evil-gp", "evil_gp", _EVIL.format(marker=str(marker)))
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(sys, "path", ["sub", *sys.path])
        importlib.invalidate_caches()
        assert ("fiverr", "freelancer", "upwork") == available_policies()
        assert not marker.exists()

    def test_a_cwd_copy_does_not_shadow_the_installed_one(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A dist-info in the cwd with an installed plugin's name neither runs nor hides the installed one."""
        marker = tmp_path / "ran"
        downloads = make_dist(tmp_path / "downloads", "trusty-gp", "evil_gp", _EVIL.format(marker=str(marker)))
        site = make_dist(tmp_path / "site", "trusty-gp", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.chdir(downloads)
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.setattr(sys, "path", ["", *sys.path])
        importlib.invalidate_caches()
        assert "trusty" == get_policy("trusty").name
        assert not marker.exists()

    def test_the_first_of_one_name_is_read(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two installed copies of one distribution: only the first on ``sys.path`` is read, as Python imports it."""
        make_dist(
            tmp_path / "old", "trusty-gp", "trusty_old", _GOOD.format(name="stale"), entry="old = trusty_old:VERSIONS"
        )
        first = make_dist(tmp_path / "new", "Trusty_GP", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.syspath_prepend(str(tmp_path / "old"))
        monkeypatch.syspath_prepend(str(first))
        assert "trusty" in available_policies()
        assert "stale" not in available_policies()

    def test_a_distribution_without_a_name(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A distribution whose metadata gives no name is still read (there is nothing to compare it with)."""
        site = make_dist(tmp_path / "site", "nameless", "nameless_gp", _GOOD.format(name="nameless"), metadata=False)
        monkeypatch.syspath_prepend(str(site))
        assert "nameless" in available_policies()

    def test_a_malformed_entry_points_file(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An ``entry_points.txt`` that cannot be parsed declares nothing; the other plugins load."""
        bad = make_dist(tmp_path / "bad", "bad-gp", "bad_gp", _GOOD.format(name="bad"), entry="no equals sign")
        site = make_dist(tmp_path / "site", "trusty-gp", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.syspath_prepend(str(bad))
        assert "trusty" in available_policies()
        assert "bad" not in available_policies()

    def test_a_deleted_working_directory(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the cwd deleted, installed plugins still load."""
        site = make_dist(tmp_path / "site", "trusty-gp", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.syspath_prepend(str(site))
        gone = tmp_path / "gone"
        gone.mkdir()
        monkeypatch.chdir(gone)
        gone.rmdir()
        assert "trusty" in available_policies()

    def test_python_m_in_a_folder_of_downloads(self, tmp_path: Path) -> None:
        """End to end: ``python -m gigpolicy policies`` run in a folder holding a plugin's dist-info runs none of it."""
        marker = tmp_path / "ran"
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        info = downloads / "evil_gp-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-gp\nVersion: 1.0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nevil = evil_gp:VERSIONS\n", encoding="utf-8")
        (downloads / "evil_gp.py").write_text(_EVIL.format(marker=str(marker)), encoding="utf-8")
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONSAFEPATH"}
        done = subprocess.run(
            [sys.executable, "-m", "gigpolicy", "policies"],
            cwd=downloads,
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert "upwork@2025-05-01" in done.stdout
        assert not marker.exists()


class TestFailingPlugins:
    """A plugin that fails is reported at every lookup and skipped alone."""

    def test_reported_each_time_and_skipped_alone(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A broken plugin first on ``sys.path``: each lookup warns of it; the next plugin and the built-ins work."""
        broken = make_dist(tmp_path / "broken", "broken-gp", "broken_gp", "raise ImportError('missing dependency')\n")
        site = make_dist(tmp_path / "site", "trusty-gp", "trusty_gp", _GOOD.format(name="trusty"))
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.syspath_prepend(str(broken))
        expected = (
            r"the policy plugin 'broken-gp' \(broken_gp:VERSIONS\) failed to load: ImportError: missing dependency"
        )
        for _ in range(3):
            with pytest.warns(PluginWarning, match=expected):
                assert "trusty" == get_policy("trusty").name
            with pytest.warns(PluginWarning, match=expected):
                assert ("fiverr", "freelancer", "trusty", "upwork") == available_policies()

    def test_the_cli_reports_it_once_per_command(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each command that looks policies up prints the skipped plugin once, as a warning line, and succeeds."""
        broken = make_dist(tmp_path / "broken", "broken-gp", "broken_gp", "VERSIONS = 'not a policy'\n")
        monkeypatch.syspath_prepend(str(broken))
        path = tmp_path / "r.json"
        path.write_text(json.dumps(_record()), encoding="utf-8")
        warning = (
            "gigpolicy: warning: the policy plugin 'broken-gp' (broken_gp:VERSIONS) must name a Policy or a list"
            " of them, not str; skipped"
        )
        for args in (["policies"], ["explain", str(path), "--at", AT], ["policies"]):
            code, out, err = _run(args)
            assert (0, [warning]) == (code, err.splitlines())
            assert out

    def test_a_policy_object_is_registered_whole(
        self, make_dist: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A list with one stranger registers none of its policies."""
        source = _GOOD.format(name="half") + "VERSIONS.append('upwork')\n"
        site = make_dist(tmp_path / "site", "half-gp", "half_gp", source)
        monkeypatch.syspath_prepend(str(site))
        with pytest.warns(
            PluginWarning,
            match=r"'half-gp' \(half_gp:VERSIONS\) holds a str: only Policy values can be registered; skipped",
        ):
            assert "half" not in available_policies()


def test_batch_lines_escape_c1_and_format_characters(tmp_path: Path) -> None:
    """A valid record whose id holds C1 and bidi characters: batch writes them as JSON escapes."""
    record = json.loads(Path("examples/records/motivating-case.json").read_text(encoding="utf-8"))
    record["contract"]["id"] = "c\x9b1\u202e"
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - this interpreter, on a file the test wrote
        [sys.executable, "-m", "gigpolicy", "batch", str(lines), "--at", "2026-11-05T00:00:00Z"],
        capture_output=True,
        check=False,
    )
    out = result.stdout.decode("utf-8")
    assert (result.returncode, "\x9b" in out, "\u202e" in out) == (0, False, False)
    assert json.loads(out)["contract"] == "c\x9b1\u202e"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
        | st.text(st.characters(max_codepoint=0x7F), min_size=1, max_size=12)
        | st.text(st.sampled_from("c-1 \x00\x1b\x7f\n\u0085\u202e"), min_size=1, max_size=6),
        min_size=2,
        max_size=2,
    )
)
@example(["c\x7f1", "done"])  # ASCII, with DEL, which JSON leaves as it is
def test_a_printable_block_is_its_text_made_printable(strings: list[str]) -> None:
    """Rule: with ``printable``, a batch block's data is ``printable`` of the text it has without.

    ``batch`` looks no further than ``isascii`` and DEL in a block of ASCII text (JSON escapes the
    C0 controls itself); records whose strings are ASCII, DEL and controls included, or any text,
    come out as the general road gives them.
    """
    ident, comment = strings  # a blank one makes the record an error line: written the same way
    lines = [json.dumps(_record(ident=ident, comment=comment), ensure_ascii=False), "{"]
    plain = _Job(at=datetime(2026, 11, 20, tzinfo=UTC), policy=None, questions=None)
    text = _block(plain, 1, lines).text
    safe = _block(_Job(at=plain.at, policy=None, questions=None, printable=True), 1, lines).data
    assert printable(text, lines=True, json_escapes=True).encode("utf-8") == safe
