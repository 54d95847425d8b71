"""The HTML reports opened in real headless Chromium, driven by Playwright.

Playwright drives the system's Chromium (Debian's ``chromium`` package, which
``.ci/run`` installs) through ``executable_path``: no browser is downloaded. For each
shipped example the page must load with no console error, no script error and no
request beyond the file itself; charts and logo must render; dark mode and print must
take their colours; nothing may overflow A4 in print or a 400 px phone screen, chart
text must stay readable on the phone, every cost-chart legend entry must have a drawn
line, and the hybrid diagram's labels must not cross its arrows or each other. The
hybrid example, printed with the built-in knowledge base, must fit in 15 A4 pages.

Screenshots (light, dark, print, phone) and PDFs are kept under
``test-artifacts/reports/`` (or ``$LLMCHOOSE_ARTIFACTS``). Skipped, with the reason,
when Playwright or a Chromium binary is missing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
HYBRID = REPO / "examples" / "hybrid-support-and-notes.yaml"
BRAND_DIR = REPO / "tests" / "data" / "report"
AS_OF = dt.date(2026, 11, 28)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PHONE = {"width": 400, "height": 860}
MAX_PDF_PAGES = 15
MIN_CHART_TEXT_PX = 9.5  # "about 10 px": rounding in the browser's layout allowed for


def find_browser() -> str | None:
    override = os.environ.get("LLMCHOOSE_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("LLMCHOOSE_ARTIFACTS") or REPO / "test-artifacts") / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')"
    )
    executable = find_browser()
    if executable is None:
        pytest.skip(
            "no Chromium or Chrome found (tried /usr/bin/chromium, "
            + ", ".join(BROWSERS)
            + "; set LLMCHOOSE_CHROMIUM to a binary, or install the 'chromium' package)"
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


class Watched:
    """A page with every console error, script error and outside request recorded."""

    def __init__(self, browser, url: str, **context_options) -> None:
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda msg: (
                self.problems.append(f"console.{msg.type}: {msg.text}")
                if msg.type in ("error", "assert")
                else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.problems.append(f"exception: {exc}"))
        self.page.on(
            "request",
            lambda req: (
                self.problems.append(f"request: {req.url}")
                if req.url != url and not req.url.startswith("data:")
                else None
            ),
        )
        self.page.on("requestfailed", lambda req: self.problems.append(f"failed: {req.url}"))
        self.page.goto(url)

    def close(self) -> None:
        self.context.close()


def render_report(example: Path, out: Path, *, brand: bool, as_of=AS_OF) -> Path:
    from llmchoose.report import ReportRequest, make_report

    text = make_report(
        ReportRequest(
            decision_file=example,
            fmt="html",
            as_of=as_of,
            brand_file=BRAND_DIR / "brand.yaml" if brand else None,
            samples=200,
        )
    )
    out.write_text(text, encoding="utf-8")
    return out


def pdf_pages(path: Path) -> int:
    """Pages in a PDF Chromium printed: one ``/Type /Page`` object each."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


# --- what the page must look like, measured in the browser -----------------------------

WIDER_THAN_VIEWPORT = """() => {
  const limit = document.documentElement.clientWidth + 1;
  return Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > limit)
    .filter(e => !e.closest('svg') || e.tagName.toLowerCase() === 'svg')
    .map(e => e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '') + ' '
      + Math.round(e.getBoundingClientRect().right));
}"""

CHART_TEXT_SIZES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;  // the variant for the other screen size
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      out.push([svg.getAttribute('class'), t.textContent,
                parseFloat(getComputedStyle(t).fontSize) * scale]);
    }
  }
  return out;
}"""

COST_SERIES = """() => Array.from(document.querySelectorAll('svg.chart-cost'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => ({
    legend: Array.from(svg.querySelectorAll('text.c-legend')).map(t => t.textContent),
    drawn: Array.from(svg.querySelectorAll('.c-series')).filter(e => {
      const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length,
  }))"""

DIAGRAM_GEOMETRY = """() => Array.from(document.querySelectorAll('svg.chart-hybrid'))
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => ({
    view: [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height],
    texts: Array.from(svg.querySelectorAll('text')).map(t => {
      const b = t.getBBox(); return [t.textContent, b.x, b.y, b.width, b.height]; }),
    lines: Array.from(svg.querySelectorAll('line.c-link')).map(l =>
      ['x1', 'y1', 'x2', 'y2'].map(k => parseFloat(l.getAttribute(k)))),
  }))"""


def _segment_hits_box(line: list[float], box: tuple[float, float, float, float]) -> bool:
    """Whether a line segment passes through a rectangle (sampled along its length)."""
    x1, y1, x2, y2 = line
    bx, by, bw, bh = box
    steps = 200
    for i in range(steps + 1):
        x = x1 + (x2 - x1) * i / steps
        y = y1 + (y2 - y1) * i / steps
        if bx < x < bx + bw and by < y < by + bh:
            return True
    return False


def _overlap(a: tuple, b: tuple) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def assert_diagram_labels_clear(page) -> int:
    """No diagram label crosses an arrow, overlaps another label or leaves the drawing."""
    diagrams = page.evaluate(DIAGRAM_GEOMETRY)
    for diagram in diagrams:
        width, height = diagram["view"]
        texts = [(t[0], tuple(t[1:])) for t in diagram["texts"]]
        for name, box in texts:
            x, y, w, h = box
            assert x >= 0 and y >= 0 and x + w <= width and y + h <= height, name
            for line in diagram["lines"]:
                assert not _segment_hits_box(line, box), f"an arrow crosses '{name}'"
        for i, (name, box) in enumerate(texts):
            for other, other_box in texts[i + 1 :]:
                assert not _overlap(box, other_box), f"'{name}' overlaps '{other}'"
    return len(diagrams)


def assert_cost_series_drawn(page) -> None:
    for chart in page.evaluate(COST_SERIES):
        assert chart["legend"], "a cost chart without a legend"
        assert chart["drawn"] == len(chart["legend"]), chart


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_report_renders_cleanly_in_chromium(browser, example, fixture_kb, capsys):
    folder = artifacts_dir()
    page_file = render_report(example, folder / f"{example.stem}.html", brand=True)
    url = page_file.resolve().as_uri()
    watched = Watched(browser, url, viewport={"width": 1100, "height": 900})
    page = watched.page
    try:
        assert watched.problems == []
        charts = page.evaluate(
            "Array.from(document.querySelectorAll('svg.chart')).map(s => {"
            " const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
            ".filter(([w, h]) => w > 0)"
        )
        assert charts, "the report has no charts"
        assert all(w > 200 and h > 100 for w, h in charts), charts
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert images and all(done and width > 0 for done, width in images), images
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert_cost_series_drawn(page)
        assert_diagram_labels_clear(page)
        shots = [folder / f"{example.stem}-light.png"]
        page.screenshot(path=shots[-1], full_page=True)

        page.emulate_media(color_scheme="dark")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(21, 24, 29)", background
        shots.append(folder / f"{example.stem}-dark.png")
        page.screenshot(path=shots[-1], full_page=True)

        # Print: light colours on A4 whatever the reader's theme, nothing wider than the page.
        page.emulate_media(media="print", color_scheme="dark")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(255, 255, 255)"
        )
        a4_css_px = round((210 - 2 * 14) / 25.4 * 96)  # A4 width minus the page margins
        page.set_viewport_size({"width": a4_css_px, "height": 1100})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the printed page is {overflow}px wider than A4"
        shots.append(folder / f"{example.stem}-print.png")
        page.screenshot(path=shots[-1], full_page=True)
        pdf_path = folder / f"{example.stem}.pdf"
        page.pdf(path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True)
        assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_pages(pdf_path) >= 1
        assert watched.problems == []
        for path in [*shots, pdf_path]:
            assert path.stat().st_size > 10_000
    finally:
        watched.close()
    with capsys.disabled():
        print("\n" + "\n".join(f"artefact: {p}" for p in [page_file, *shots, pdf_path]))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_a_phone_reads_the_report_without_scrolling_sideways(browser, example, fixture_kb):
    folder = artifacts_dir()
    page_file = render_report(example, folder / f"{example.stem}-phone.html", brand=True)
    url = page_file.resolve().as_uri()
    watched = Watched(browser, url, viewport=PHONE, device_scale_factor=1)
    page = watched.page
    try:
        assert page.evaluate(WIDER_THAN_VIEWPORT) == []
        scroll = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert scroll <= 1, f"the page scrolls {scroll}px sideways"
        # Every table's columns are visible: "Per month" and "Wins" included.
        labels = page.evaluate(
            "Array.from(document.querySelectorAll('table.ranking td[data-label]'))"
            ".filter(td => td.getBoundingClientRect().width > 0)"
            ".map(td => getComputedStyle(td, '::before').content)"
        )
        assert '"Per month: "' in labels and '"Wins: "' in labels
        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert sizes, "no chart is shown on the phone"
        small = [s for s in sizes if s[2] < MIN_CHART_TEXT_PX]
        assert small == [], f"chart text below {MIN_CHART_TEXT_PX}px: {small[:5]}"
        assert_cost_series_drawn(page)
        assert_diagram_labels_clear(page)
        page.screenshot(path=folder / f"{example.stem}-phone.png", full_page=True)
        assert watched.problems == []
    finally:
        watched.close()


def test_the_hybrid_example_prints_in_at_most_15_pages(browser, capsys):
    """With the built-in knowledge base, as a consultant would print it."""
    folder = artifacts_dir()
    page_file = render_report(
        HYBRID, folder / "hybrid-built-in.html", brand=True, as_of=dt.date(2026, 12, 1)
    )
    url = page_file.resolve().as_uri()
    watched = Watched(browser, url, viewport={"width": 1100, "height": 900})
    try:
        assert_cost_series_drawn(watched.page)
        assert assert_diagram_labels_clear(watched.page) == 1
        pdf_path = folder / "hybrid-built-in.pdf"
        watched.page.pdf(
            path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True
        )
        pages = pdf_pages(pdf_path)
        assert 1 <= pages <= MAX_PDF_PAGES, f"{pages} pages"
        phone = Watched(browser, url, viewport=PHONE, device_scale_factor=1)
        try:
            assert phone.page.evaluate(WIDER_THAN_VIEWPORT) == []
            assert assert_diagram_labels_clear(phone.page) == 1
            assert_cost_series_drawn(phone.page)
            phone.page.screenshot(path=folder / "hybrid-built-in-phone.png", full_page=True)
        finally:
            phone.close()
    finally:
        watched.close()
    with capsys.disabled():
        print(f"\nartefact: {pdf_path} ({pages} pages)")


def test_hostile_report_runs_no_script_in_chromium(browser, hostile_report_html, capsys):
    """Text from the knowledge base and brand file that tries to run script stays text."""
    folder = artifacts_dir()
    page_file = folder / "hostile.html"
    page_file.write_text(hostile_report_html, encoding="utf-8")
    url = page_file.resolve().as_uri()
    watched = Watched(browser, url)
    page = watched.page
    try:
        assert watched.problems == []
        assert (
            page.evaluate("document.querySelectorAll('script, iframe, object, embed').length") == 0
        )
        assert (
            page.evaluate("document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
        )
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert "<script>" in page.evaluate("document.body.innerText")
        shot = folder / "hostile.png"
        page.screenshot(path=shot, full_page=True)
    finally:
        watched.close()
    with capsys.disabled():
        print(f"\nartefact: {shot}")


@pytest.fixture
def hostile_report_html(fixture_kb, tmp_path):
    from test_report_helpers import hostile_html

    return hostile_html(tmp_path)


def test_the_checks_bite():
    """The geometry helpers catch what they are meant to catch."""
    assert _segment_hits_box([0, 5, 20, 5], (5, 0, 5, 10))
    assert not _segment_hits_box([0, 20, 20, 20], (5, 0, 5, 10))
    assert _overlap((0, 0, 10, 10), (5, 5, 10, 10))
    assert not _overlap((0, 0, 10, 10), (10, 0, 10, 10))
