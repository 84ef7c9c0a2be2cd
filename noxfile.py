"""The test suite on every CPython 3.11 or later this machine has, and the linters, with nox.

Install nox anywhere (``python3 -m pip install nox``), then, in the checkout::

    nox --list                                  # the sessions, one tests-3.X per Python found
    nox                                         # all of them
    nox -s tests-3.13 -- tests/test_money.py    # after --, arguments for pytest
    nox -s lint

An interpreter is found on ``PATH`` or among pyenv's versions (a pyenv shim runs only the
versions pyenv has selected), and counts only once it has run and said it is CPython of the
version its name says. Nothing is downloaded: a Python the machine lacks is not tested.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import nox

_OLDEST: tuple[int, int] = (3, 11)  # requires-python in pyproject.toml
_NAME = re.compile(r"python(3\.[0-9]+)")


def _is_cpython(executable: Path, version: str) -> bool:
    """Whether *executable* runs and is CPython *version* (``3.12``)."""
    probe = "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"
    try:
        done = subprocess.run(  # noqa: S603 - an interpreter found on this machine, run with fixed arguments
            [executable, "-I", "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return ["cpython", version] == done.stdout.split()


def _cpythons() -> dict[str, Path]:
    """Every CPython from 3.11 on: the first interpreter found of each version, oldest version first."""
    places = [Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep) if entry]
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    places += sorted((pyenv / "versions").glob("*/bin"))
    found: dict[str, Path] = {}
    for place in places:
        for candidate in sorted(place.glob("python3.*")):
            name = _NAME.fullmatch(candidate.name)
            if name is None or name[1] in found:
                continue
            version = name[1]
            if (3, int(version.split(".")[1])) >= _OLDEST and _is_cpython(candidate, version):
                found[version] = candidate
    return dict(sorted(found.items(), key=lambda item: int(item[0].split(".")[1])))


PYTHONS = _cpythons()
# nox finds "3.12" as a python3.12 on PATH: put each interpreter found first there, so that a
# pyenv version that is not selected (its shim refuses to run) is found all the same.
os.environ["PATH"] = os.pathsep.join(
    [
        *dict.fromkeys(str(executable.parent) for executable in PYTHONS.values()),
        os.environ.get("PATH", ""),
    ]
)

nox.options.default_venv_backend = "venv"
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = True


@nox.session(python=list(PYTHONS))
def tests(session: nox.Session) -> None:
    """The README's test command: the whole suite with 100% branch coverage, or the tests named after --."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(python=next(iter(PYTHONS), None))
def lint(session: nox.Session) -> None:
    """The checks of .ci/run: mypy --strict, ruff and ruff format, on the oldest Python found."""
    session.install("-e", ".[test,lint,docs]")
    session.run("mypy")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
