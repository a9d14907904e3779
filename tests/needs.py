"""Optional tools of the tests: a missing one skips the test on a developer's machine and
fails it under ``CI=true``, where ``.ci/run`` installs it, so that CI never turns green on a run
of skips."""

from __future__ import annotations

import importlib
import os

import pytest


def missing(message):
    """Skip with ``message``, or fail under ``CI=true``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: .ci/run installs it; the test must run, not skip)")
    pytest.skip(message)


def require(module, install, *, ci_required=True):
    """Import ``module``, or :func:`missing` with how to install it (a plain skip when the
    module is not ``ci_required``, as PyTorch: CI cross-checks against ONNX instead)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed: pip install {install}"
        if not ci_required:
            pytest.skip(message)
        missing(message)
