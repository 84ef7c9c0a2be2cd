"""``gigpolicy completion SHELL``: the shipped completion scripts, and that bash and zsh really complete with them."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path
from typing import Final

import pytest

from gigpolicy._cli import _build_parser, main
from gigpolicy._completion import SHELLS, add_completion_command, completion_script
from gigpolicy.errors import InvalidArgument

SHIPPED: Final = Path(__file__).parent.parent / "src" / "gigpolicy" / "completion"

BASH_COMPLETE: Final = r"""
source "$1"
shift
# the function `complete -p gigpolicy` names, called as bash calls it on Tab after the words given
function=$(complete -p gigpolicy | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$function" gigpolicy "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""
"""Print what bash offers for the words after the script's path (the last one being completed)."""

ZSH_COMPLETE: Final = r"""
# zsh -f capture.zsh FOLDER WORK LINE: print the matches zsh offers on Tab after LINE, with _gigpolicy from
# FOLDER. Completion needs the line editor, so an interactive zsh runs on a pseudo-terminal (zpty); its
# compadd, wrapped, appends each match it adds to WORK/matches.
zmodload zsh/zpty || exit 3
local folder=$1 work=$2 line=$3
zpty z zsh -f -i
zpty -w z "PROMPT=''; fpath=(${(q)folder} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)work}/zcompdump"
# compadd -O, -A or -D only fills an array for its caller, adding nothing: passed on unrecorded
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __m; builtin compadd -O __m "$@"; print -rl -- $__m >> '${(q)work}'/matches; builtin compadd "$@"
}'
zpty -w z "$line"$'\t'
# keys are read in order: the line is cleared and `touch` runs once the completion is over
zpty -w z $'\x15'"touch ${(q)work}/done"
integer waited=0
while [[ ! -e $work/done ]] && (( waited++ < 300 )); do sleep 0.1; done
zpty -d z
[[ -e $work/done ]] || exit 4
[[ -e $work/matches ]] && cat $work/matches
exit 0
"""


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands of *parser*, by name."""
    return next(action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction))


def installed(tmp_path: Path, shell: str) -> Path:
    """Write the script gigpolicy ships for *shell* into *tmp_path*, under the name the shell looks for."""
    folder = tmp_path / shell
    folder.mkdir()
    path = folder / ("gigpolicy" if shell == "bash" else "_gigpolicy")
    path.write_text(completion_script(shell), encoding="utf-8")
    return path


def bash_offers(tmp_path: Path, line: str) -> list[str]:
    """What bash offers on Tab after *line* (ending in a space: a new word), in *tmp_path*."""
    script = installed(tmp_path, "bash")
    words = line.split(" ")
    result = subprocess.run(  # noqa: S603 - our own script
        ["bash", "--norc", "--noprofile", "-c", BASH_COMPLETE, "bash", str(script), *words],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    return sorted(filter(None, result.stdout.splitlines()))


def zsh_offers(tmp_path: Path, line: str) -> list[str]:
    """What zsh offers on Tab after *line*, in *tmp_path*."""
    script = installed(tmp_path, "zsh")
    capture = tmp_path / "capture.zsh"
    capture.write_text(ZSH_COMPLETE, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(  # noqa: S603 - our own script
        ["zsh", "-f", str(capture), str(script.parent), str(work), line],  # noqa: S607 - zsh from PATH
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=60,
    )
    assert (0, "") == (result.returncode, result.stderr), result
    return sorted(set(result.stdout.splitlines()))


class TestCompletionScript:
    """``completion_script(shell)``: the script shipped as package data."""

    def test_each_shell(self) -> None:
        """completion_script returns the file shipped for each shell."""
        for shell, name in zip(SHELLS, ("gigpolicy.bash", "_gigpolicy"), strict=True):
            assert (SHIPPED / name).read_text(encoding="utf-8") == completion_script(shell)

    def test_zsh_script_is_a_completion_function(self) -> None:
        """The zsh script starts with #compdef, which compinit reads to bind it to the command."""
        assert "#compdef gigpolicy" == completion_script("zsh").splitlines()[0]

    def test_unknown_shell(self) -> None:
        """A shell without a script is an InvalidArgument (a ValueError) naming the shells there are."""
        with pytest.raises(InvalidArgument, match=r"no completion script for 'fish': the shells are bash, zsh"):
            completion_script("fish")


class TestCompletionCommand:
    """``gigpolicy completion SHELL``: prints the script."""

    @staticmethod
    def parser() -> argparse.ArgumentParser:
        """A parser with only the completion command, as _build_parser adds it."""
        parser = argparse.ArgumentParser(prog="gigpolicy")
        add_completion_command(parser.add_subparsers(dest="command", required=True).add_parser, lambda _: 0)
        return parser

    def test_other_shell_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A shell other than bash or zsh is a usage error: exit 2, naming the choices."""
        with pytest.raises(SystemExit) as exited:
            self.parser().parse_args(["completion", "fish"])
        assert 2 == exited.value.code
        error = capsys.readouterr().err.splitlines()[-1]
        # Python 3.12.8 stopped quoting the choices: (choose from bash, zsh)
        assert error.startswith("gigpolicy completion: error: argument SHELL: invalid choice: 'fish' (choose from ")
        assert ("bash", "zsh") == (*(shell for shell in SHELLS if shell in error),)

    def test_help_says_how_to_install(self) -> None:
        """The command's help names where each shell's script goes."""
        command = subcommands(self.parser())["completion"]
        text = " ".join(command.format_help().split())
        assert "~/.local/share/bash-completion/completions/gigpolicy" in text
        assert "_gigpolicy in a folder on $fpath" in text

    @pytest.mark.parametrize("shell", SHELLS)
    def test_gigpolicy_completion(self, shell: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`gigpolicy completion SHELL` prints the shipped script and exits 0."""
        assert 0 == main(["completion", shell])
        assert (completion_script(shell), "") == capsys.readouterr()

    def test_in_the_parser(self) -> None:
        """The command's own parser has the completion command, so the scripts complete it too."""
        assert "completion" in subcommands(_build_parser())


COMPLETED: Final = [
    ("gigpolicy ex", ["explain"]),
    ("gigpolicy options FILE --a", ["--as", "--at"]),
    ("gigpolicy options f --as ", ["client", "freelancer"]),
    ("gigpolicy explain rec", ["record.json"]),
]
"""A command line typed so far, and what both shells offer to complete it (record.json is the folder's one file)."""


class TestBash:
    """The bash script, sourced in a real bash."""

    @pytest.mark.parametrize(
        ("line", "offered"),
        [
            *COMPLETED,
            ("gigpolicy options rec --history rec", ["record.json"]),
            ("gigpolicy batch rec", ["record.json"]),
        ],
    )
    def test_completes(self, tmp_path: Path, line: str, offered: list[str]) -> None:
        """bash, with the shipped script sourced, completes commands, options, their choices and files."""
        (tmp_path / "record.json").write_text("{}", encoding="utf-8")
        assert offered == bash_offers(tmp_path, line)

    def test_syntax(self, tmp_path: Path) -> None:
        """The shipped script is valid bash."""
        subprocess.run(["bash", "-n", str(installed(tmp_path, "bash"))], check=True)  # noqa: S603, S607 - bash from PATH


class TestZsh:
    """The zsh script, as compinit loads it in a real interactive zsh."""

    def test_syntax(self, tmp_path: Path) -> None:
        """The shipped script is valid zsh."""
        subprocess.run(["zsh", "-n", str(installed(tmp_path, "zsh"))], check=True)  # noqa: S603, S607 - zsh from PATH

    @pytest.mark.parametrize(("line", "offered"), COMPLETED)
    def test_completes(self, tmp_path: Path, line: str, offered: list[str]) -> None:
        """zsh, with the shipped _gigpolicy on $fpath, completes commands, options, their choices and files."""
        (tmp_path / "record.json").write_text("{}", encoding="utf-8")
        assert offered == zsh_offers(tmp_path, line)
