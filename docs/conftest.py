"""Run the documentation's examples as tests, with Sybil.

In every page under ``docs/``:

- a ```` ```python ```` fence runs as code, or as a doctest when it starts with ``>>>``;
  the fences of one page share a namespace, top to bottom, like a reader's session;
- a ```` ```json ```` fence must be valid JSON, and when it is a whole record (it has a
  ``format``), :func:`gigpolicy.loads` must accept it;
- ``% skip: next`` skips the next example, ``% invisible-code-block: python`` runs
  code the reader does not see (checks that the page matches the code, say: the page's
  own path is ``__file__``), and ``% clear-namespace`` starts afresh.

Console sessions (```` ```console ````) are shown, not run.
"""

from __future__ import annotations

import json
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from typing import TYPE_CHECKING

from sybil import Document, Sybil
from sybil.parsers.myst import ClearNamespaceParser, CodeBlockParser, PythonCodeBlockParser, SkipParser

import gigpolicy

if TYPE_CHECKING:
    from sybil.example import Example

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class _Page(Document):
    """A page whose examples know where the page is, as ``__file__``."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.namespace["__file__"] = path


def _check_json(example: Example) -> None:
    """Parse a JSON fence; load it as a record when it is one."""
    text = str(example.parsed)
    data = json.loads(text)
    if isinstance(data, dict) and "format" in data:
        gigpolicy.loads(text)


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=_FLAGS),
        CodeBlockParser(language="json", evaluator=_check_json),
        SkipParser(),
        ClearNamespaceParser(),
    ],
    patterns=["*.md"],
    excludes=["_build/*"],
    document_types={".md": _Page},
).pytest()
