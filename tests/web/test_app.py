"""The JSON endpoints of ``symconv serve`` (Starlette's TestClient): results equal the API's,
errors are messages (never a traceback), sizes are capped, and a request that runs out of
time does not stop a simultaneous one from being answered."""

import threading
import time

import pytest
from sympy import Rational, exp, latex, oo, symbols

from symconv.api import convolve
from symconv.convert.output import piecewise_regions
from symconv.functions import rect, u
from symconv.probability import Die, Normal, Uniform
from tests.needs import require

require("starlette", '"symconv[web]"')
require("httpx2", "httpx2")

from starlette.testclient import TestClient  # noqa: E402

from symconv.web.app import MAX_BODY, create_app  # noqa: E402
from symconv.web.work import MAX_FIELD  # noqa: E402

CANONICAL = {"h": "2 e^(-t/2) u(t)", "x": "rect(t - 1/2)"}
#: A pair that takes tens of seconds and gigabytes (degree-1000 polynomials times exponentials).
SLOW = {"h": "t^1000 e^(-t) u(t)", "x": "t^1000 e^(-2t) u(t)"}


@pytest.fixture(scope="module")
def client():
    # 10 s: a request forks a cold worker (about 1 s, several on a loaded test machine)
    with TestClient(create_app(workers=2, timeout=10), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def short_client():
    """A server whose requests have 3 s: for the request that must run out of time."""
    with TestClient(create_app(workers=2, timeout=3), raise_server_exceptions=False) as c:
        yield c


def post(client, what, data):
    r = client.post(f"/api/{what}", json=data)
    body = r.json()
    assert "Traceback" not in r.text and 'File "' not in r.text
    return r.status_code, body


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
def test_the_canonical_example_equals_the_api():
    t = symbols("t", real=True)
    truth = convolve(2 * exp(-t / 2) * u(t), rect(t - Rational(1, 2)), t)
    want = piecewise_regions(truth, t)
    with TestClient(create_app(workers=1, timeout=20)) as c:
        status, out = post(c, "convolution", CANONICAL)
    assert status == 200
    assert [(r["lo"], r["hi"], r["value"]) for r in out["regions"]] == [
        (None if lo == -oo else float(lo), None if hi == oo else float(hi), latex(p))
        for lo, hi, p in want]
    assert out["result"].startswith(r"y(t) = \begin{cases} 0 & t < 0")
    assert r"\int_{t - 1}^{t}" in out["regions"][2]["work"]
    assert "**Flip and shift.**" in out["derivation"]
    pic = out["picture"]
    assert len(pic["h"]) == len(pic["y"]) == 801 and len(pic["x"]) == 1601
    # y at t = 1 (the peak) is 4 - 4 e^(-1/2) = 1.5739...
    i = round((1 - pic["lo"]) / (pic["hi"] - pic["lo"]) * 800)
    t_i = pic["lo"] + (pic["hi"] - pic["lo"]) * i / 800
    assert pic["y"][i] == pytest.approx(float(truth.subs(t, t_i)), abs=1e-5)
    assert max(pic["y"]) == pytest.approx(float(4 - 4 * exp(-Rational(1, 2))), abs=1e-2)


def test_a_sequence(client):
    n = symbols("n", integer=True)
    status, out = post(client, "convolution", {"h": "(1/2)^n u(n)", "x": "u(n) - u(n-4)",
                                               "mode": "discrete"})
    assert status == 200 and out["discrete"] and out["var"] == "n"
    truth = convolve(Rational(1, 2) ** n * u(n), u(n) - u(n - 4), n)
    assert [r["value"] for r in out["regions"]] == [latex(p) for _, _, p in
                                                    piecewise_regions(truth, n)]
    assert out["result"].startswith("y[n] =")
    pic = out["picture"]
    assert pic["y"][int(2 - pic["lo"])] == pytest.approx(1.75)


def test_assumptions_and_parameters(client):
    status, out = post(client, "convolution", {"h": "e^(-a t) u(t)", "x": "e^(-b t) u(t)",
                                               "assume": "a>0, b>0"})
    assert status == 200
    assert out["picture"] is None and "parameters a, b" in out["picture_note"]
    assert "a" in out["result"] and "b" in out["result"]


def test_a_wrong_answer_gets_the_verdict_and_a_hint(client):
    status, out = post(client, "check", {**CANONICAL, "answer": "4(1-e^(-t/2)) u(t)"})
    assert status == 200 and out["correct"] is False
    assert [r["status"] for r in out["regions"]] == ["agrees", "agrees", "differs"]
    assert out["regions"][2]["at"] == "2"
    assert "beyond t = 1" in out["hints"][0]


def test_a_right_answer_in_latex(client):
    answer = (r"\begin{cases} 0 & t < 0 \\ 4(1-e^{-t/2}) & 0 \le t < 1 \\ "
              r"4(e^{1/2}-1)e^{-t/2} & t \ge 1 \end{cases}")
    status, out = post(client, "check", {**CANONICAL, "answer": answer})
    assert status == 200 and out["correct"] is True and out["hints"] == []


def test_check_takes_relations_between_parameters(client):
    boxes = {"h": "u(t) - u(t-T1)", "x": "u(t) - u(t-T2)", "assume": "0<T1<T2"}
    right = "t for 0<=t<T1; T1 for T1<=t<T2; T1+T2-t for T2<=t<T1+T2; 0 otherwise"
    status, out = post(client, "check", {**boxes, "answer": right})
    assert status == 200 and out["correct"] is True
    wrong = "t for 0<=t<T1; T1 for T1<=t<T1+T2; 0 otherwise"
    status, out = post(client, "check", {**boxes, "answer": wrong})
    assert status == 200 and out["correct"] is False
    assert "differs on T2 <= t < T1 + T2" in out["summary"]


def test_laws(client):
    status, out = post(client, "law", {"law": "Die(6) + Die(6)"})
    two = Die(6) + Die(6)
    assert status == 200 and out["discrete"] and out["mean"] == "7"
    stems = out["picture"]["stems"]
    assert [k for k, _ in stems] == list(range(2, 13))
    assert [p for _, p in stems] == pytest.approx([float(two.pmf(k)) for k in range(2, 13)])
    status, out = post(client, "law", {"law": "Normal(0, 1) + Uniform(0, 1)"})
    law = Normal(0, 1) + Uniform(0, 1)
    assert status == 200 and not out["discrete"]
    assert (out["mean"], out["variance"]) == (latex(law.mean()), latex(law.variance()))
    pic = out["picture"]
    step = (pic["hi"] - pic["lo"]) / (len(pic["pdf"]) - 1)
    assert sum(pic["pdf"]) * step == pytest.approx(1, abs=1e-3)  # a density


def test_the_page_and_katex_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/katex/katex.min.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for path in ("/static/app.js", "/static/style.css", "/static/katex/katex.min.css",
                 "/static/katex/katex.min.js", "/static/katex/fonts/KaTeX_Main-Regular.woff2",
                 "/static/katex/LICENSE"):
        assert client.get(path).status_code == 200, path
    css = client.get("/static/katex/katex.min.css").text
    assert "fonts/KaTeX_Main-Regular.woff2" in css and "http" not in css.split("fonts/")[0][-40:]


# ---------------------------------------------------------------------------------------
# errors: messages, never tracebacks
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("what", "data", "status", "words"), [
    ("convolution", {"h": "rect(t", "x": "u(t)"}, 400, "error in h: unbalanced parenthesis"),
    ("convolution", {"h": "__import__('os')", "x": "u(t)"}, 400, "error in h"),
    ("convolution", {"h": "u(t)", "x": "u(-t)"}, 422, "diverges"),
    ("convolution", {"h": "u(t)"}, 400, "please fill in x"),
    ("convolution", {"h": "u(t)", "x": "u(t)", "code": "1"}, 400, "unknown field"),
    ("convolution", {"h": ["u(t)"], "x": "u(t)"}, 400, "must be text"),
    ("convolution", {"h": "u(t)", "x": "u(t)", "mode": "quantum"}, 400, "mode"),
    ("convolution", {"h": "sin(t)^1000 rect(t)", "x": "rect(t)"}, 400, "MAX_TERMS"),
    ("convolution", {"h": "(" * 300 + "t" + ")" * 300, "x": "u(t)"}, 400, "error in h"),
    ("check", {**CANONICAL, "answer": "4(1-e^(-t/2)"}, 400, "error in the answer"),
    ("law", {"law": "__import__('os').system('true')"}, 400, "error in the law"),
    ("law", {"law": "Die(6).__class__"}, 400, "not accepted"),
    ("law", {"law": "Die(6) * Die(6)"}, 400, "product of two random variables"),
    ("nothing", {"h": "u(t)"}, 404, "unknown request"),
])
def test_errors_are_messages(client, what, data, status, words):
    got, out = post(client, what, data)
    assert got == status, out
    assert set(out) == {"error"} and words in out["error"]


def test_not_json_and_not_found(client):
    r = client.post("/api/convolution", content=b"{h: ")
    assert r.status_code == 400 and r.json() == {"error": "error: the request is not valid JSON"}
    r = client.get("/nowhere")
    assert r.status_code == 404 and r.json() == {"error": "error: not found"}
    r = client.get("/api/convolution")
    assert r.status_code == 405 and "error" in r.json()


def test_sizes_are_capped(client):
    big = "t + " * (MAX_BODY // 2)
    r = client.post("/api/convolution", json={"h": big, "x": "u(t)"})
    assert r.status_code == 413 and "larger than" in r.json()["error"]
    r = client.post("/api/convolution", content=b"{" * (MAX_BODY + 1),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    status, out = post(client, "convolution", {"h": "t" * (MAX_FIELD + 1), "x": "u(t)"})
    assert status == 400 and f"at most {MAX_FIELD}" in out["error"]


def test_a_slow_request_does_not_block_a_good_one(short_client):
    """The slow pair runs out of its 3 s; the canonical example, sent while it runs, is
    answered long before, and the slow one ends with a message."""
    slow = {}

    def send_slow():
        start = time.monotonic()
        slow["status"], slow["body"] = post(short_client, "convolution", SLOW)
        slow["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=send_slow)
    thread.start()
    time.sleep(0.5)
    start = time.monotonic()
    status, out = post(short_client, "convolution", CANONICAL)
    good = time.monotonic() - start
    thread.join(30)
    assert status == 200 and out["regions"][1]["value"] == latex(
        4 - 4 * exp(-symbols("t", real=True) / 2))
    assert slow["status"] in (504, 507), slow
    assert "within 3 s" in slow["body"]["error"] or "memory" in slow["body"]["error"]
    assert good < slow["seconds"], (good, slow["seconds"])
    # and the server goes on answering
    assert post(short_client, "law", {"law": "Die(6)"})[0] == 200


@pytest.mark.parametrize("h", ["e^(t^2)", "(1/2)! rect(t)", "1e400 rect(t)"])
def test_results_outside_numpy_still_get_their_picture(client, h):
    """erfi, factorial(1/2) and 10^400 have no NumPy float form: the picture's samples
    come from mpmath (nan where a value is not a float), never a 500."""
    status, out = post(client, "convolution", {"h": h, "x": "rect(t)"})
    assert status == 200, out
    assert out["result"]


def test_a_lone_surrogate_is_a_clear_400(client):
    import json as _json

    for what, data in (("law", {"law": "Die(6)\ud800"}),
                       ("convolution", {"h": "rect(t)\ud800", "x": "rect(t)"})):
        r = client.post(f"/api/{what}", content=_json.dumps(data),
                        headers={"content-type": "application/json"})
        assert r.status_code == 400 and "surrogate" in r.json()["error"]
