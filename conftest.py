"""Root pytest configuration: what pytest must not collect.

``--doctest-modules`` would otherwise import ``docs/conf.py`` (a Sphinx settings file, not a
module of ours) and everything under ``benchmarks/`` (slow scripts that compare with peers),
and ``--doctest-glob='*.md'`` would read built copies of the docs.
"""

collect_ignore = ["docs/conf.py", "docs/_build", "benchmarks", "build", "setup.py"]
