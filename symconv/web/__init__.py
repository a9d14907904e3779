"""``symconv serve``: a local page to work convolutions step by step (``pip install symconv[web]``).

The page takes ``h`` and ``x`` as the command line does (plain text or LaTeX), continuous
or discrete, with assumptions; it shows the result, the derivation, the flip-and-slide
picture with a slider over ``t`` (the current region and its formula highlighted), checks
an answer region by region with hints, and has a probability tab (``Die(6) + Die(6)``).
Mathematics is rendered in the browser by KaTeX, shipped inside the package.

The modules:

- :mod:`symconv.web.work` — the computations, as JSON-ready dicts (no web framework);
- :mod:`symconv.web.pool` — each request in a worker process with time and memory limits;
- :mod:`symconv.web.app` — the Starlette application (Starlette and uvicorn are the extra).

Examples
--------
>>> issubclass(WebDependencyError, ImportError)
True
"""

from __future__ import annotations

import socket
import sys

from symconv.errors import SymconvError, UnsupportedInputError

__all__ = ["serve", "WebDependencyError", "LOOPBACK"]

#: Host names that stay on this machine.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebDependencyError(SymconvError, ImportError):
    """The page needs Starlette and uvicorn: ``pip install "symconv[web]"``."""


def _free_port(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(host="127.0.0.1", port=8000, *, workers=2, timeout=10.0, memory_mb=2048, out=None):
    """Serve the page until interrupted (Ctrl+C); prints the address first.

    Parameters
    ----------
    host : str
        The address to listen on; the default ``127.0.0.1`` is reachable from this
        machine only.
    port : int
        The port (``0``: a free one).
    workers, timeout, memory_mb
        Requests computed at once, seconds and MB each may use.
    """
    try:
        import uvicorn

        from symconv.web.app import create_app
    except ImportError as err:
        raise WebDependencyError(
            f"the web page needs Starlette and uvicorn, which are not installed ({err}); "
            'install them with: pip install "symconv[web]"') from err
    if not isinstance(port, int) or not 0 <= port < 65536:
        raise UnsupportedInputError(f"port must be a number from 0 to 65535, got {port!r}")
    out = sys.stdout if out is None else out
    if port == 0:
        port = _free_port(host)
    hosts = None
    if host in LOOPBACK:
        hosts = ["127.0.0.1", "localhost", "[::1]", "::1"]
    app = create_app(workers=workers, timeout=timeout, memory_mb=memory_mb,
                     allowed_hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    print(f"symconv serve: open http://{shown}:{port}/ in a browser (Ctrl+C stops)",
          file=out, flush=True)
    if host not in LOOPBACK:
        print("warning: listening beyond this machine; anyone who can reach it can use "
              "its processors", file=out, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
