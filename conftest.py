"""Root pytest configuration: what pytest must not collect.

``--doctest-modules`` would otherwise import ``docs/conf.py`` (a Sphinx settings file, not a
module of ours) and everything under ``benchmarks/`` (slow scripts that compare with peers),
and ``--doctest-glob='*.md'`` would read built copies of the docs.
"""

collect_ignore = ["docs/conf.py", "docs/_build", "benchmarks", "build", "setup.py"]

# symconv.web.app imports Starlette, the web extra (pip install "symconv[web]"): without it its
# doctests cannot be collected. CI installs the extra, so there a missing Starlette fails.
import importlib.util  # noqa: E402
import os  # noqa: E402

if importlib.util.find_spec("starlette") is None and os.environ.get("CI") != "true":
    collect_ignore.append("symconv/web/app.py")
