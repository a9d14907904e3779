"""The page in a real browser: the system's Chromium (``apt-get install chromium``) driven by
Playwright types the canonical example, reads the result, moves the slider, submits a wrong
answer and reads the hint, and draws a law; a screenshot of each state is saved (in
``$SYMCONV_SCREENSHOTS`` when set, else a temporary folder). Skipped without Chromium or
Playwright, except under ``CI=true`` where they are installed and the test must run."""

import os
import shutil
from pathlib import Path

import pytest

from tests.needs import missing, require

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    sync_api = require("playwright.sync_api", "playwright")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing("Chromium is not installed: apt-get install chromium")
    exe = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SYMCONV_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, live_server):
    url, _proc = live_server
    pg = browser.new_page(viewport={"width": 1100, "height": 900})
    problems = []
    pg.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    # API errors (400 for a bad input) are expected; a missing page file is not
    pg.on("console", lambda m: m.type == "error" and not m.text.startswith(
        "Failed to load resource") and problems.append(f"console: {m.text}"))
    pg.on("response", lambda r: r.status >= 400 and "/api/" not in r.url
          and problems.append(f"{r.status} for {r.url}"))
    # nothing but the server itself: the page must work with no internet
    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
             else (problems.append(f"outside request: {route.request.url}") or route.abort()))
    pg.goto(url + "/")
    pg.wait_for_selector("body[data-ready=true]")
    yield pg
    pg.close()
    assert not problems, problems


def slide_to(page, value):
    page.locator("#t-slider").evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value)


def test_the_canonical_example(page, shots, live_server):
    page.fill("#h", "2 e^(-t/2) u(t)")
    page.fill("#x", "rect(t - 1/2)")
    page.click("#compute")
    page.wait_for_selector("#conv-out:not([hidden])", timeout=60_000)
    page.screenshot(path=str(shots / "web-result.png"), full_page=True)
    # the result, typeset by KaTeX (its fonts loaded from the package)
    result = page.inner_text("#result")
    assert "y(t)=" in result.replace(" ", "").replace("\n", "")
    assert page.locator("#result .katex").count() == 1
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert page.locator("#derivation .katex-display").count() >= 5
    assert "Flip and shift." in page.inner_text("#derivation")
    # the slider starts in 0 <= t < 1 (the second region)
    assert page.get_attribute("#current", "data-region") == "1"
    assert page.locator("#regions li.current").get_attribute("data-index") == "1"
    # move it to t = 3: the third region is highlighted, y(3) = 4(√e - 1)e^(-3/2) ≈ 0.58
    slide_to(page, 3)
    assert page.inner_text("#t-value") == "3"
    assert page.get_attribute("#current", "data-region") == "2"
    assert page.locator("#regions li.current").get_attribute("data-index") == "2"
    assert "y(3) ≈ 0.58" in page.inner_text("#current")
    page.locator("#picture").screenshot(path=str(shots / "web-slider.png"))
    # the canvas is drawn (not blank): many distinct colours
    colours = page.evaluate("""() => {
        const c = document.getElementById('slide'), d = c.getContext('2d')
            .getImageData(0, 0, c.width, c.height).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
        return seen.size; }""")
    assert colours > 10
    # a wrong answer: the verdict region by region and the hint
    page.fill("#answer", "4(1-e^(-t/2)) u(t)")
    page.click("#check")
    page.wait_for_selector("#verdict:not([hidden])", timeout=60_000)
    assert page.inner_text("#verdict-head").startswith("✘ Not yet")
    statuses = page.eval_on_selector_all("#verdict-regions li", "els => els.map(e => e.className)")
    assert statuses == ["agrees", "agrees", "differs"]
    hint = page.inner_text("#hints")
    assert "keeps the expression of 0 <= t < 1 beyond t = 1" in hint
    page.locator("#check-form").scroll_into_view_if_needed()
    page.locator("#verdict").evaluate("el => el.closest('.card').scrollIntoView()")
    page.locator("#verdict").locator("xpath=ancestor::section[1]").screenshot(
        path=str(shots / "web-answer.png"))
    # the right answer
    page.fill("#answer", "0 for t<0; 4(1-e^(-t/2)) for 0<=t<1; 4(e^(1/2)-1)e^(-t/2) for t>=1")
    page.click("#check")
    page.wait_for_selector("#verdict-head.ok", timeout=60_000)


def test_errors_show_as_messages(page, shots):
    page.fill("#h", "rect(t")
    page.click("#compute")
    page.wait_for_selector("#conv-error:not([hidden])", timeout=60_000)
    text = page.inner_text("#conv-error")
    assert text.startswith("error in h: unbalanced parenthesis")
    assert "Traceback" not in text
    page.locator("#conv-form").locator("xpath=..").screenshot(path=str(shots / "web-error.png"))


def test_a_sequence(page, shots):
    page.check("#mode-discrete")  # the fields take the discrete example
    assert page.input_value("#h") == "(1/2)^n u(n)"
    page.click("#compute")
    page.wait_for_selector("#conv-out:not([hidden])", timeout=60_000)
    slide_to(page, 2)
    assert "y[2] ≈ 1.75" in page.inner_text("#current")
    page.locator("#picture").screenshot(path=str(shots / "web-sequence.png"))


def test_the_probability_tab(page, shots):
    page.click("#tab-prob")
    page.fill("#law", "Die(6) + Die(6)")
    page.click("#law-compute")
    page.wait_for_selector("#law-out:not([hidden])", timeout=60_000)
    assert "E[X]=7" in page.inner_text("#law-summary").replace(" ", "").replace("\n", "")
    assert page.locator("#law-table td").count() == 2 * 12
    page.locator("#law-out").screenshot(path=str(shots / "web-dice.png"))
    page.fill("#law", "Normal(0, 1) + Uniform(0, 1)")
    page.click("#law-compute")
    page.wait_for_selector("#law-table[hidden]", state="attached", timeout=60_000)
    assert "erf" in page.inner_text("#law-formula")
    page.locator("#law-out").screenshot(path=str(shots / "web-normal-uniform.png"))
    page.fill("#law", "Die(6) ** 2")
    page.click("#law-compute")
    page.wait_for_selector("#law-error:not([hidden])", timeout=60_000)
    assert page.inner_text("#law-error").startswith("error in the law")
