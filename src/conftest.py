"""Run the ``>>>`` examples of the docstrings in ``src/gigpolicy`` as doctests, with Sybil.

pytest's own doctest plugin is off (``-p no:doctest``); Sybil collects the examples so that
they run under the same options as the examples of the documentation. Each module's
examples run in that module's namespace, as :mod:`doctest` would run them.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.rest import DocTestParser

pytest_collect_file = Sybil(
    parsers=[DocTestParser(optionflags=ELLIPSIS | NORMALIZE_WHITESPACE)],
    patterns=["*.py"],
    excludes=["conftest.py"],
).pytest()
