"""The documentation builds with Sphinx, warnings as errors (-W).

The doctests on the pages are run separately by pytest (``--doctest-glob='*.md'``); this test
catches what only Sphinx sees: broken MyST syntax, toctree and cross-reference errors, and autodoc
failing to import or parse a module or docstring.
"""

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path, capsys):
    hint = "is not installed: pip install -e '.[docs]'"
    pytest.importorskip("sphinx", reason=f"Sphinx {hint}")
    pytest.importorskip("myst_parser", reason=f"myst-parser {hint}")
    from sphinx.cmd.build import build_main

    args = ["-b", "html", "-W", "-q", "-E", "-N", "-d", str(tmp_path / "doctrees")]
    status = build_main([*args, str(DOCS), str(tmp_path / "html")])
    captured = capsys.readouterr()
    assert status == 0, f"sphinx-build failed with status {status}:\n{captured.err}{captured.out}"
    assert (tmp_path / "html" / "index.html").is_file()
