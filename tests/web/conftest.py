"""Shared by the web tests: optional packages (skipped locally, required in CI) and a live
server started as a person starts it, ``python -m symconv serve``, on a free loopback port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.needs import require

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server():
    """``http://127.0.0.1:PORT`` of a ``symconv serve`` subprocess (2 workers, 5 s a request);
    the process is stopped at the end, and the tests can check it is still running."""
    require("starlette", '"symconv[web]"')
    require("uvicorn", '"symconv[web]"')
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    log = tempfile.TemporaryFile(mode="w+")  # the server's stderr, read on a failure
    proc = subprocess.Popen(
        [sys.executable, "-m", "symconv", "serve", "--port", str(port), "--workers", "2",
         "--timeout", "5"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=log, text=True)

    def errors():
        log.seek(0)
        return log.read()[-3000:]

    url = f"http://127.0.0.1:{port}"
    try:
        line = proc.stdout.readline()
        assert f"open {url}/" in line, line + errors()
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, errors()
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        log.close()
