"""Sphinx configuration of the gigpolicy documentation (MyST pages, autodoc, furo).

Build it with warnings as errors::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The build needs no network: there is no intersphinx, so the standard library's names
stay plain text instead of links.
"""

from __future__ import annotations

import importlib
from importlib.metadata import version as _version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement, reference  # type: ignore[import-untyped]  # docutils ships no types
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

project = "gigpolicy"
author = "The gigpolicy developers"
copyright = "the gigpolicy developers"
release = _version("gigpolicy")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "conftest.py"]
language = "en"

# MyST: anchors for headings so that pages can link to sections (``page.md#section``).
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]

# autodoc: signatures carry the types; the public names are documented where the
# reference pages say, once each, in source order (bases only where they say something).
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
add_module_names = False

# Napoleon: Google style, with ``Attributes:`` as instance-variable fields so that they
# do not clash with the attributes autodoc documents from the class body.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
napoleon_use_rtype = False

html_theme = "furo"
html_title = f"gigpolicy {release}"
html_static_path: list[str] = []


def _public_target(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: TextElement
) -> reference | Element | None:
    """Resolve ``gigpolicy._module.Name`` (how annotations name a type) to ``gigpolicy.Name``.

    The implementation lives in private modules; the documentation lists every public
    name under the package (or ``gigpolicy.errors``) where users import it from.
    """
    target = str(node.get("reftarget", ""))
    if not target.startswith("gigpolicy._"):
        return None
    name = target.rsplit(".", 1)[-1]
    package = importlib.import_module("gigpolicy")
    errors = importlib.import_module("gigpolicy.errors")
    if name in getattr(errors, "__all__", ()):
        public = f"gigpolicy.errors.{name}"
    elif name in getattr(package, "__all__", ()):
        public = f"gigpolicy.{name}"
    else:
        return None
    domain = env.get_domain("py")
    node["reftarget"] = public
    return domain.resolve_xref(
        env, node.get("refdoc", ""), app.builder, node.get("reftype", "class"), public, node, contnode
    )


def _no_inline_type(  # noqa: PLR0917 - Sphinx passes event arguments by position
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Keep Napoleon from reading ``Net paid: ...`` in an attribute's docstring as a type.

    Napoleon takes the text before the first colon of an attribute's or property's docstring
    for its type; ours give types as annotations, and their colons are prose. An empty
    comment first leaves Napoleon nothing to misread, and renders as nothing.
    """
    del app, name, obj, options
    if what in {"attribute", "data", "property"} and lines and ":" in lines[0]:
        lines[:0] = ["..", ""]


def setup(app: Sphinx) -> dict[str, object]:
    """Register the resolver of private module paths and the docstring filter before Napoleon's."""
    app.connect("missing-reference", _public_target)
    app.connect("autodoc-process-docstring", _no_inline_type, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
