"""The benchmarks page, docs/reference/benchmarks.md, whose sections the benchmarks write."""

from __future__ import annotations

import re
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
