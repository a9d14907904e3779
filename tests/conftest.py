"""Shared test configuration.

Hypothesis: no deadline (symbolic work varies in time); under CI the examples are derandomized
so a run is reproducible. Property tests without their own ``max_examples`` draw 40 examples
(the suite stays within its three minutes); ``HYPOTHESIS_PROFILE=thorough`` draws 200.
Choose a profile with ``HYPOTHESIS_PROFILE=dev|ci|thorough``.
"""

import os
import shutil

import pytest

try:
    from hypothesis import settings
except ImportError:  # the test extra is not installed: tests that need hypothesis will say so
    pass
else:
    settings.register_profile("dev", deadline=None, max_examples=40)
    settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                              max_examples=40)
    settings.register_profile("thorough", deadline=None, max_examples=200)
    _default = "ci" if os.environ.get("CI") else "dev"
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


@pytest.fixture
def pdflatex():
    """The pdflatex executable; a failure under CI (where .ci/run installs it), else a skip."""
    from tests.needs import missing

    exe = shutil.which("pdflatex")
    if exe is None:
        missing("pdflatex is not installed: apt-get install texlive-latex-base")
    return exe
