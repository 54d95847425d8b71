"""The HTML report of every shipped example, opened in real headless Chromium.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``),
so the test needs no extra Python package and opens no port. For each report it checks
that the page loads with no console error, no script error and no network request
beyond the file itself; that the charts and logo render; that nothing overflows an A4
page in print; and it keeps screenshots (light, dark, print) and a PDF under
``test-artifacts/reports/`` (or ``$LLMCHOOSE_ARTIFACTS``).

Skipped, with the reason, when no Chromium or Chrome binary is found
(``.ci/run`` installs one).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
BRAND_DIR = REPO / "tests" / "data" / "report"
AS_OF = dt.date(2026, 11, 28)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 60


def find_browser() -> str | None:
    override = os.environ.get("LLMCHOOSE_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("LLMCHOOSE_ARTIFACTS") or REPO / "test-artifacts") / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browser:
    """A headless Chromium and one page, spoken to over the DevTools pipe (fds 3 and 4)."""

    def __init__(self, executable: str, profile: Path) -> None:
        import fcntl

        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Move the child's ends above 10 first, so wiring them to 3 and 4 cannot clobber one
        # with the other (os.pipe may itself return 3 or 4).
        child_ends = [
            fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_child_r, from_child_w)
        ]
        for fd in (to_child_r, from_child_w):
            os.close(fd)

        def wire_pipes() -> None:  # in the child: DevTools reads fd 3 and writes fd 4
            os.dup2(child_ends[0], 3)  # dup2 clears close-on-exec on the copy
            os.dup2(child_ends[1], 4)

        args = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no name resolves: nothing leaves the machine
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire_pipes,  # the test runs no threads of its own
        )
        for fd in child_ends:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, *, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def send(self, method: str, params: dict | None = None) -> dict:
        """A command to the page's session."""
        return self.call(method, params, session=self.session)

    def wait_for(self, event: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        seen = 0
        while True:
            for item in self.events[seen:]:
                if item.get("method") == event:
                    return item
            seen = len(self.events)
            self.events.append(self._read_message(deadline))

    def open(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, *, width: int = 1200) -> Path:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):  # it may already be gone
            self.call("Browser.close")
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def problems(events: list[dict], page_url: str) -> list[str]:
    """Console errors, uncaught exceptions and any request for something but the page."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if url != page_url and not url.startswith("data:"):
                found.append(f"request: {url}")
        elif method == "Network.loadingFailed":
            found.append(f"failed to load: {params.get('errorText')}")
    return found


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if os.name != "posix":
        pytest.skip("the DevTools pipe needs POSIX file descriptors")
    executable = find_browser()
    if executable is None:
        pytest.skip(
            "no Chromium or Chrome found (tried "
            + ", ".join(BROWSERS)
            + "; set LLMCHOOSE_CHROMIUM to a binary, or install the 'chromium' package)"
        )
    session = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield session
    session.close()


def render_report(example: Path, out: Path, *, brand: bool) -> Path:
    from llmchoose.report import ReportRequest, make_report

    text = make_report(
        ReportRequest(
            decision_file=example,
            fmt="html",
            as_of=AS_OF,
            brand_file=BRAND_DIR / "brand.yaml" if brand else None,
            samples=200,
        )
    )
    out.write_text(text, encoding="utf-8")
    return out


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_report_renders_cleanly_in_chromium(browser, example, fixture_kb, capsys):
    folder = artifacts_dir()
    page = render_report(example, folder / f"{example.stem}.html", brand=True)
    url = page.resolve().as_uri()
    browser.open(url)
    assert problems(browser.events, url) == []

    charts = browser.evaluate(
        "Array.from(document.querySelectorAll('svg.chart')).map(s => {"
        " const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert charts, "the report has no charts"
    assert all(w > 200 and h > 100 for w, h in charts), charts
    images = browser.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert images and all(done and width > 0 for done, width in images), images
    assert browser.evaluate("document.querySelectorAll('script').length") == 0

    shots = [browser.screenshot(folder / f"{example.stem}-light.png")]
    browser.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    background = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 24, 29)", background
    shots.append(browser.screenshot(folder / f"{example.stem}-dark.png"))

    # Print: light colours on A4 whatever the reader's theme, and nothing wider than the page.
    browser.send(
        "Emulation.setEmulatedMedia",
        {"media": "print", "features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    assert browser.evaluate("getComputedStyle(document.body).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    a4_css_px = round((210 - 2 * 14) / 25.4 * 96)  # A4 width minus the page margins
    shots.append(browser.screenshot(folder / f"{example.stem}-print.png", width=a4_css_px))
    overflow = browser.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the printed page is {overflow}px wider than A4"
    pdf = browser.send(
        "Page.printToPDF",
        {
            "paperWidth": 8.27,
            "paperHeight": 11.69,
            "preferCSSPageSize": True,
            "printBackground": True,
        },
    )
    pdf_path = folder / f"{example.stem}.pdf"
    pdf_path.write_bytes(base64.b64decode(pdf["data"]))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    browser.send("Emulation.setEmulatedMedia", {"media": "", "features": []})
    assert problems(browser.events, url) == []
    for path in [*shots, pdf_path]:
        assert path.stat().st_size > 10_000
    with capsys.disabled():
        print("\n" + "\n".join(f"artefact: {p}" for p in [page, *shots, pdf_path]))


def test_hostile_report_runs_no_script_in_chromium(browser, hostile_report_html, capsys):
    """Text from the knowledge base and brand file that tries to run script stays text."""
    folder = artifacts_dir()
    page = folder / "hostile.html"
    page.write_text(hostile_report_html, encoding="utf-8")
    url = page.resolve().as_uri()
    browser.open(url)
    assert problems(browser.events, url) == []
    assert (
        browser.evaluate("document.querySelectorAll('script, iframe, object, embed').length") == 0
    )
    assert (
        browser.evaluate("document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
    )
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert "<script>" in browser.evaluate("document.body.innerText")
    shot = browser.screenshot(folder / "hostile.png")
    with capsys.disabled():
        print(f"\nartefact: {shot}")


@pytest.fixture
def hostile_report_html(fixture_kb, tmp_path):
    from test_report_helpers import hostile_html

    return hostile_html(tmp_path)
