# ruff: noqa: INP001, SLF001 - a script run by path, not a package; argparse keeps what it reads in private names
"""Write the files generated from the ``gigpolicy`` command's parser: its reference page and completion scripts.

Run it after changing a command, an option or a help text, and commit what it writes::

    .venv/bin/python tools/generate_cli_files.py          # writes the stale files
    .venv/bin/python tools/generate_cli_files.py --check  # exit 1, naming them, if any is stale

It writes ``docs/reference/cli.md`` and, with shtab, ``src/gigpolicy/completion/gigpolicy.bash``
and ``src/gigpolicy/completion/_gigpolicy``. shtab is needed here only: the package ships the
scripts as data, so its runtime dependencies stay attrs and cattrs. The output depends on the
parser alone (not on the terminal's width), so that the test that compares the committed files
with it (``tests/test_cli_reference.py``) passes anywhere.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import shtab

from gigpolicy._cli import _build_parser

ROOT: Final = Path(__file__).resolve().parents[1]
"""The checkout: every generated file's path is relative to it."""
REFERENCE: Final = Path("docs/reference/cli.md")
COMPLETION: Final = {
    "bash": Path("src/gigpolicy/completion/gigpolicy.bash"),
    "zsh": Path("src/gigpolicy/completion/_gigpolicy"),
}
"""Where each shell's script goes: the names ``gigpolicy._completion`` reads."""
COMMAND: Final = "python tools/generate_cli_files.py"

_WIDTH: Final = 100
"""The width usages are wrapped to, whatever the terminal's (argparse reads $COLUMNS otherwise)."""
_PATH_METAVARS: Final = frozenset({"FILE", "IN.jsonl", "OUT"})
"""Arguments whose value is a path, by their metavar: completion offers file names for them."""
_MARKDOWN_SPECIAL: Final = frozenset("\\`*_[]<>|~")

_EXIT_CODES: Final = (
    ("0", "Success."),
    ("1", "Invalid input (each problem on standard error, with its path), or output that cannot be written."),
    ("2", "Usage error: the command line itself is wrong (argparse's message and the usage on standard error)."),
    ("130", "Interrupted by Ctrl-C (128 + SIGINT)."),
    ("141", "The reader of the output went away, as in `gigpolicy ... \\| head` (128 + SIGPIPE)."),
    ("143", "`gigpolicy batch` stopped by SIGTERM between two result blocks (128 + SIGTERM)."),
)


def _fixed_width(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=_WIDTH)


def build_parser() -> argparse.ArgumentParser:
    """The command's parser, with a fixed width and shtab's file completion on its path arguments."""
    parser = _build_parser()
    for command in _commands(parser):
        command.formatter_class = _fixed_width
        for action in command._actions:
            if action.metavar in _PATH_METAVARS:
                action.complete = shtab.FILE  # type: ignore[attr-defined] # shtab reads this attribute it adds
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str | None, argparse.ArgumentParser]]:
    """Each subcommand of *parser*: its name, its help, and its parser (an alias is not repeated)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            seen: set[int] = set()
            for name, command in action.choices.items():
                if id(command) not in seen:
                    seen.add(id(command))
                    yield name, helps.get(name), command


def _commands(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """*parser* and every subcommand's parser, depth first."""
    yield parser
    for _, _, command in _subcommands(parser):
        yield from _commands(command)


def _escape(text: str) -> str:
    """*text* as Markdown that shows it as it is."""
    return "".join(f"\\{character}" if character in _MARKDOWN_SPECIAL else character for character in text)


def _code(text: str) -> str:
    """*text* as inline code in a table cell."""
    return "`" + text.replace("|", "\\|") + "`"


def _anchor(prog: str) -> str:
    """The anchor MyST gives the heading *prog* (``gigpolicy validate`` -> ``gigpolicy-validate``)."""
    return prog.lower().replace(" ", "-")


def _describe(action: argparse.Action, formatter: argparse.HelpFormatter) -> str:
    """The help of *action*, with its choices, its default and whether it is required."""
    parts = []
    if action.help:
        help_text = formatter._expand_help(action)
        parts.append(_escape(help_text if help_text.endswith(".") else help_text + "."))
    if action.choices is not None:
        parts.append("Choices: " + ", ".join(_code(str(choice)) for choice in action.choices) + ".")
    default = action.default
    if (
        default not in {None, False, argparse.SUPPRESS}
        and action.nargs != 0
        and "default" not in (action.help or "")  # the help says it already
    ):
        parts.append(f"Default: {_code(str(default))}.")
    if action.required and action.option_strings:
        parts.append("Required.")
    return " ".join(parts)


def _section(prog: str, parser: argparse.ArgumentParser) -> list[str]:
    """The reference of one command: usage, description, arguments and subcommands."""
    formatter = parser._get_formatter()
    lines = [f"## {prog}", "", "```text", parser.format_usage().rstrip("\n"), "```", ""]
    if parser.description:
        lines += [_escape(parser.description), ""]
    arguments = [
        action
        for action in parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, argparse._SubParsersAction)
    ]
    if arguments:
        lines += ["| Argument | Description |", "| --- | --- |"]
        lines += [
            f"| {_code(formatter._format_action_invocation(action))} | {_describe(action, formatter)} |"
            for action in arguments
        ]
        lines.append("")
    subcommands = list(_subcommands(parser))
    if subcommands:
        lines += ["| Command | Description |", "| --- | --- |"]
        lines += [
            f"| [{name}](#{_anchor(f'{prog} {name}')}) | {_escape(help_text or '')} |"
            for name, help_text, _ in subcommands
        ]
        lines.append("")
    if parser.epilog:
        lines += [_escape(parser.epilog), ""]
    return lines


def _sections(prog: str, parser: argparse.ArgumentParser) -> Iterator[list[str]]:
    yield _section(prog, parser)
    for name, _, command in _subcommands(parser):
        yield from _sections(f"{prog} {name}", command)


def reference_page(parser: argparse.ArgumentParser) -> str:
    """The command-line reference page, MyST Markdown, for *parser*."""
    lines = [
        f"% Generated by {COMMAND} from the parser of gigpolicy._cli: do not edit by hand.",
        "",
        "# Command-line reference",
        "",
        (
            f"This page is generated from the command's own parser by `{COMMAND}`: do not edit it by hand, "
            "change the parser and run the script (a test fails while the page is stale). "
            "`gigpolicy COMMAND --help` prints the same, for one command."
        ),
        "",
        (
            "Shell completion for bash and zsh ships with the package: `gigpolicy completion bash` and "
            "`gigpolicy completion zsh` print the scripts, and [Complete commands in the shell]"
            "(../how-to/shell-completion.md) says where to install them. In short, for bash:"
        ),
        "",
        "```console",
        "$ gigpolicy completion bash > ~/.local/share/bash-completion/completions/gigpolicy",
        "```",
        "",
        "and for zsh, into a folder on `$fpath`:",
        "",
        "```console",
        "$ gigpolicy completion zsh > ~/.zfunc/_gigpolicy    # with fpath=(~/.zfunc $fpath) in ~/.zshrc",
        "```",
        "",
        "## Exit codes",
        "",
        "Every command exits with one of these; no error ends in a traceback.",
        "",
        "| Code | Meaning |",
        "| --- | --- |",
    ]
    lines += [f"| {code} | {meaning} |" for code, meaning in _EXIT_CODES]
    lines.append("")
    for section in _sections(parser.prog, parser):
        lines += section
    return "\n".join(lines).rstrip("\n") + "\n"


def generated_files() -> dict[Path, str]:
    """Every generated file's text, by its path relative to the checkout."""
    parser = build_parser()
    files = {REFERENCE: reference_page(parser)}
    for shell, path in COMPLETION.items():
        files[path] = shtab.complete(parser, shell=shell)
    return files


def stale(root: Path = ROOT) -> list[Path]:
    """The generated files under *root* whose text differs from what the parser generates (or that are missing)."""
    found = []
    for path, text in generated_files().items():
        target = root / path
        if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
            found.append(path)
    return found


def write(root: Path = ROOT) -> list[Path]:
    """Write the stale generated files under *root*; return their paths."""
    written = stale(root)
    files = generated_files()
    for path in written:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path].encode("utf-8"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or, with ``--check``, list) the stale generated files; exit 1 if ``--check`` finds one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing: exit 1 and name each stale file")
    args = parser.parse_args(argv)
    if args.check:
        paths = stale()
        for path in paths:
            sys.stderr.write(f"{path.as_posix()}: stale, run {COMMAND}\n")
        return 1 if paths else 0
    for path in write():
        sys.stdout.write(f"wrote {path.as_posix()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
