"""The web application: the page, its static files and three JSON endpoints.

``GET /`` is the page (``static/index.html``; KaTeX is shipped in ``static/katex``, so it
works with no internet). ``POST /api/convolution``, ``/api/check`` and ``/api/law`` take a
small JSON object of text fields and answer JSON: the result, or ``{"error": message}``
with a 4xx/5xx status (never a traceback). A body over :data:`MAX_BODY` bytes is refused
before it is read whole; the fields are checked (:func:`symconv.web.work.validate`) before
any work; the work runs in a limited worker process (:class:`symconv.web.pool.WorkerPool`).

Examples
--------
>>> from starlette.testclient import TestClient
>>> with TestClient(create_app(workers=1)) as client:
...     r = client.post("/api/law", json={"law": "Die(6) + Die(6)"})
...     r.status_code, r.json()["variance"]
(200, '\\\\frac{35}{6}')
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from symconv.errors import UnsupportedInputError
from symconv.web.pool import WorkerPool
from symconv.web.work import validate

__all__ = ["create_app", "MAX_BODY", "STATIC"]

#: Largest request body accepted, in bytes.
MAX_BODY = 16 * 1024
#: The page's files.
STATIC = Path(__file__).resolve().parent / "static"

# KaTeX sets sizes with inline styles; nothing is loaded from elsewhere.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error(status, message):
    return JSONResponse({"error": message}, status_code=status, headers=_HEADERS)


async def _body(request):
    """The body, read at most :data:`MAX_BODY` bytes far; ``None`` when it is longer."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _api(request: Request):
    what = request.path_params["what"]
    body = await _body(request)
    if body is None:
        return _error(413, f"error: the request is larger than {MAX_BODY // 1024} KB; "
                           "shorten the input")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _error(400, "error: the request is not valid JSON")
    if _has_surrogate(data):  # "\ud800": JSON allows it, text cannot hold it
        return _error(400, "error: the request holds a lone surrogate escape (such as "
                           "\\ud800), which is not a character")
    try:
        validate(what, data)
    except UnsupportedInputError as err:
        return _error(404 if "unknown request" in str(err) else 400, f"error: {err}")
    status, out = await request.app.state.pool.run(what, data)
    return JSONResponse(out, status_code=status, headers=_HEADERS)


def _has_surrogate(data):
    """Whether a decoded JSON value holds a string with a lone surrogate code point."""
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            if any("\ud800" <= ch <= "\udfff" for ch in x):
                return True
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return False


async def _index(request):
    return FileResponse(STATIC / "index.html", headers=_HEADERS)


async def _not_found(request, exc):
    status = getattr(exc, "status_code", 404)
    return _error(status, "error: not found" if status == 404 else f"error: {exc.detail}")


async def _server_error(request, exc):
    return _error(500, "internal error; the server is still running")


def create_app(*, workers=2, timeout=10.0, memory_mb=2048, queue=64, allowed_hosts=None):
    """The Starlette application.

    Parameters
    ----------
    workers, timeout, memory_mb, queue
        The limits of the worker processes (see :class:`~symconv.web.pool.WorkerPool`).
    allowed_hosts : list of str, optional
        Host names the server answers to (a guard against DNS rebinding when it listens on
        the loopback address); ``None`` accepts any.
    """
    pool = WorkerPool(workers=workers, timeout=timeout, memory_mb=memory_mb, queue=queue)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        app.state.pool = pool
        await pool.run("law", {"law": "Die(2)"})  # start the fork server before requests
        yield

    middleware = []
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    app = Starlette(
        routes=[
            Route("/", _index),
            Route("/api/{what}", _api, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=middleware,
        exception_handlers={HTTPException: _not_found, Exception: _server_error},
        lifespan=lifespan,
    )
    app.state.pool = pool
    return app
