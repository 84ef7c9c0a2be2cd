"""The files generated from the command's parser (tools/generate_cli_files.py): fresh, complete, in the docs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Final

import pytest

from gigpolicy import _cli

CHECKOUT: Final = Path(__file__).resolve().parent.parent
DOCS: Final = CHECKOUT / "docs"

# tools/ holds scripts, not a package on sys.path: the checkout's folder makes it importable as a namespace
# package (appended, so that nothing installed is shadowed)
if str(CHECKOUT) not in sys.path:
    sys.path.append(str(CHECKOUT))

from tools.generate_cli_files import (  # noqa: E402 - found only once the checkout is on sys.path
    COMMAND,
    COMPLETION,
    REFERENCE,
    ROOT,
    build_parser,
    generated_files,
    main,
    stale,
    write,
)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of *parser*, by name."""
    return next(action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction))


class TestFresh:
    """The committed generated files are what the generator writes now."""

    def test_committed_files_are_generated(self) -> None:
        """The committed reference page and completion scripts are what the parser generates now."""
        assert [] == stale(), f"stale generated files: run {COMMAND} and commit what it writes"

    def test_check(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--check writes nothing and exits 0 when every generated file is fresh."""
        assert 0 == main(["--check"])
        assert ("", "") == capsys.readouterr()

    def test_write_then_fresh(self, tmp_path: Path) -> None:
        """In an empty folder every file is stale; once written, none is, and they are the generated text."""
        files = generated_files()
        assert sorted(files) == sorted(stale(tmp_path))
        assert sorted(files) == sorted(write(tmp_path))
        assert ([], []) == (stale(tmp_path), write(tmp_path))
        assert files == {path: (tmp_path / path).read_text(encoding="utf-8") for path in files}

    def test_a_changed_file_is_stale(self, tmp_path: Path) -> None:
        """A generated file edited by hand is stale."""
        write(tmp_path)
        with (tmp_path / REFERENCE).open("a", encoding="utf-8") as page:
            page.write("edited\n")
        assert [REFERENCE] == stale(tmp_path)

    def test_paths(self) -> None:
        """The scripts go where gigpolicy._completion reads them, the page under docs/reference."""
        assert {REFERENCE, *COMPLETION.values()} == set(generated_files())
        assert all((ROOT / path).is_file() for path in generated_files())


class TestReferencePage:
    """docs/reference/cli.md: what it lists, and where the docs link it."""

    @staticmethod
    def page() -> str:
        """The committed reference page."""
        return (ROOT / REFERENCE).read_text(encoding="utf-8")

    def test_every_command_and_option(self) -> None:
        """The page has a section with the usage of every command, and lists each of its options."""
        page = self.page()
        for name, command in subcommands(build_parser()).items():
            assert f"\n## gigpolicy {name}\n" in page
            assert command.format_usage().rstrip("\n") in page
            for action in command._actions:
                for option in action.option_strings:
                    assert f"`{option}" in page or f", {option}" in page, (name, option)

    def test_exit_codes(self) -> None:
        """The page lists every exit code the command line defines."""
        codes = [_cli.EXIT_OK, _cli.EXIT_INVALID, _cli.EXIT_USAGE, _cli.EXIT_INTERRUPTED, _cli.EXIT_BROKEN_PIPE, 143]
        for code in codes:
            assert f"\n| {code} | " in self.page()

    def test_says_it_is_generated(self) -> None:
        """The page says which script writes it, so that nobody edits it by hand."""
        assert f"generated from the command's own parser by `{COMMAND}`: do not edit it by hand" in self.page()

    def test_width_does_not_matter(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The generated text is the same whatever the terminal's width."""
        expected = generated_files()
        monkeypatch.setenv("COLUMNS", "40")
        assert expected == generated_files()

    def test_in_the_docs(self) -> None:
        """The reference page and the how-to on completion are in the documentation's table of contents."""
        index = (DOCS / "index.md").read_text(encoding="utf-8")
        assert "\nreference/cli\n" in index
        assert "\nhow-to/shell-completion\n" in index
