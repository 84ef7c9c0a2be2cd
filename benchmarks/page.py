"""The benchmarks page, docs/reference/benchmarks.md, whose sections the benchmarks write."""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PAGE: Final = ROOT / "docs" / "reference" / "benchmarks.md"


def write_section(heading: str, section: str) -> None:
    """Replace the section of the page that starts with *heading* by *section*, or add it at the end."""
    page = PAGE.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(page):
        page = pattern.sub(lambda _: section + "\n", page, count=1).rstrip("\n") + "\n"
    else:
        page = page.rstrip("\n") + "\n\n" + section
    PAGE.write_text(page, encoding="utf-8")


def interpreter() -> str:
    """This Python, as the machine lines name it: version, and how its ``libpython`` is linked where that can be seen.

    The interpreter's build changes gigpolicy's speed (``docs/how-to/evaluate-many-records.md``
    measures two): a figure read without it compares interpreters as much as code.
    """
    name = f"{platform.python_implementation()} {platform.python_version()}"
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8")
    except OSError:  # not Linux: how it is linked goes unsaid
        return name
    shared = re.search(r"/libpython[^/\s]*\.so", maps) is not None
    linked = "libpython a shared library" if shared else "libpython in the executable"
    return f"{name} ({os.path.realpath(sys.executable)}, {linked})"
