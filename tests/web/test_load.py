"""A bounded load test on the loopback address: 50 requests at once to a live
``symconv serve`` (2 workers, 5 s a request), hostile inputs among them. Every request is
answered (a result or a message, never a traceback), and the server is still up after."""

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.needs import require

GOOD = [
    ("convolution", {"h": "2 e^(-t/2) u(t)", "x": "rect(t - 1/2)"}),
    ("check", {"h": "2 e^(-t/2) u(t)", "x": "rect(t - 1/2)", "answer": "4(1-e^(-t/2)) u(t)"}),
    ("law", {"law": "Die(6) + Die(6)"}),
    ("convolution", {"h": "rect(t)", "x": "rect(t)"}),
    ("law", {"law": "Normal(0, 1) + Uniform(0, 1)"}),
]
HOSTILE = [
    ("convolution", {"h": "t + " * 20_000 + "1", "x": "u(t)"}),  # huge: 80 KB
    ("convolution", {"h": "(" * 1500 + "t" + ")" * 1500, "x": "u(t)"}),  # deep nesting
    ("convolution", {"h": "__import__('os')", "x": "u(t)"}),
    ("law", {"law": "__import__('os').system('echo pwned')"}),
    ("convolution", {"h": "sin(t)^1000 rect(t)", "x": "rect(t)"}),
    ("convolution", {"h": "t^1000 e^(-t) u(t)", "x": "t^1000 e^(-2t) u(t)"}),  # slow, large
    ("law", {"law": "Die(10^9)"}),  # a billion faces
    ("convolution", {"h": "9^9^9^9", "x": "u(t)"}),
    ("check", {"h": "u(t)", "x": "u(t)", "answer": "[" * 500}),
    ("nothing", {"h": "x"}),
]
#: Answers a hostile request may get: refused input, no result, out of time or memory.
REFUSED = {400, 404, 413, 422, 504, 507}


def send(url, what, data, timeout=120):
    body = json.dumps(data).encode()
    req = urllib.request.Request(f"{url}/api/{what}", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode()
    return status, json.loads(text), time.monotonic() - start


def test_fifty_requests_at_once(live_server):
    require("starlette", '"symconv[web]"')
    url, proc = live_server
    jobs = []
    for i in range(50):  # 35 good and 15 hostile, interleaved
        jobs.append(HOSTILE[i // 3 % len(HOSTILE)] if i % 10 in (2, 5, 8) else GOOD[i % len(GOOD)])
    hostile = sum(job in HOSTILE for job in jobs)
    assert hostile >= 12
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as ex:
        answers = list(ex.map(lambda job: send(url, *job), jobs))
    total = time.monotonic() - start
    assert len(answers) == 50
    for (what, data), (status, body, _seconds) in zip(jobs, answers, strict=True):
        text = json.dumps(body)
        assert "Traceback" not in text and 'File "' not in text
        if (what, data) in GOOD:
            assert status == 200, (what, data, body)
        else:
            assert status in REFUSED, (what, str(data)[:60], status, body)
            assert set(body) == {"error"} and body["error"].startswith("error"), body
    slowest = max(s for _, _, s in answers)
    print(f"\n50 requests ({hostile} hostile) answered in {total:.1f} s; slowest {slowest:.1f} s; "
          f"statuses {sorted({a[0] for a in answers})}")
    assert total < 150
    # the server is still up, and quick again
    assert proc.poll() is None
    status, body, seconds = send(url, "law", {"law": "Die(6)"})
    assert status == 200 and body["mean"] == r"\frac{7}{2}"
