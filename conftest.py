"""Runs the Python code blocks of README.md, and the ``>>>`` examples of src/gigpolicy's docstrings, as tests."""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.rest import DocTestParser

_readme = Sybil(parsers=[PythonCodeBlockParser()], patterns=["README.md"])
# Docstring examples run here, each in its module's namespace as doctest would run them, and not
# from a src/conftest.py: mypy would see that as a second top-level module named "conftest".
_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=ELLIPSIS | NORMALIZE_WHITESPACE)],
    path="src",
    patterns=["gigpolicy/*.py", "gigpolicy/*/*.py"],
)

pytest_collect_file = (_readme + _docstrings).pytest()
