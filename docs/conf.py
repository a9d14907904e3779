"""Sphinx configuration for the symconv documentation (pages are Markdown, read by MyST)."""

import sys
from pathlib import Path

# Document the source tree beside this folder, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

project = "symconv"
author = "the symconv developers"
copyright = "the symconv developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # our docstrings use numpydoc sections
    "sphinx.ext.mathjax",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

napoleon_google_docstring = False
napoleon_numpy_docstring = True

autodoc_member_order = "bysource"
# SymPy hooks we override (eval, fdiff) would otherwise show SymPy's own long docstrings.
autodoc_inherit_docstrings = False

html_theme = "alabaster"
html_title = "symconv"
