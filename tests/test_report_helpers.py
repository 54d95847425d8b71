"""Helpers shared by the report tests (this module holds no tests of its own)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
STARTUP = REPO / "examples" / "startup-chatbot.yaml"  # the example the detailed tests read
REPORT_DATA = REPO / "tests" / "data" / "report"
FIXTURE_KB = REPO / "tests" / "data" / "kb"
AS_OF = dt.date(2026, 11, 28)
HOSTILE = "<script>window.pwned=1</script>"


def render(decision: Path, fmt: str = "md", **options) -> str:
    """A report rendered in-process (the fixture knowledge base must be selected)."""
    from llmchoose.report import ReportRequest, make_report

    options.setdefault("as_of", AS_OF)
    options.setdefault("samples", 200)
    return make_report(ReportRequest(decision_file=Path(decision), fmt=fmt, **options))


def engine_result(decision: Path, samples: int = 200):
    """The engine's recommendation for a decision on the fixture knowledge base."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    criteria = load_criteria()
    catalog = load_catalog(layers=[FIXTURE_KB])
    rec = recommend(
        load_decision(decision, criteria), catalog, criteria, as_of=AS_OF, samples=samples
    )
    return rec, catalog, criteria


def ensure_report_command() -> None:
    """Register `llmchoose report` on the app if the CLI does not wire it in yet."""
    from llmchoose.cli.app import app
    from llmchoose.cli.report_cmd import register

    if not any(c.name == "report" for c in app.registered_commands):
        register(app)


# --- Markdown --------------------------------------------------------------------------


def markdown_tokens(text: str):
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").parse(text)


def split_cells(line: str) -> list[str]:
    """The cells of one Markdown table line, splitting on pipes that are not escaped."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of raw cells, found by the parser (so a broken table shows)."""
    lines = text.splitlines()
    tables = []
    for token in markdown_tokens(text):
        if token.type == "table_open":
            start, end = token.map
            tables.append([split_cells(line) for line in lines[start:end]])
    return tables


def assert_tables_well_formed(text: str) -> int:
    """Every row of every table has the header's number of cells; returns the table count."""
    tables = markdown_tables(text)
    for table in tables:
        header, rule, *rows = table
        assert all(re.fullmatch(r":?-{3,}:?", cell) for cell in rule), rule
        assert len(rule) == len(header), (header, rule)
        for row in rows:
            assert len(row) == len(header), f"row has {len(row)} cells, header {len(header)}: {row}"
    # Every line that looks like a table row belongs to a table the parser found.
    in_tables = sum(len(t) for t in tables)
    looks_like_rows = sum(1 for line in text.splitlines() if line.startswith("|"))
    assert in_tables == looks_like_rows
    return len(tables)


def inline_children(text: str):
    for token in markdown_tokens(text):
        yield token
        yield from token.children or []


# --- HTML ------------------------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# SVG shapes are often self-closed; HTMLParser reports them through handle_startendtag.
URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "background",
    "cite",
    "manifest",
    "ping",
}


class HtmlAudit(HTMLParser):
    """Parses a document and records what it would load and whether tags balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._record(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self._record(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)

    def _record(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)


def audit_html(text: str) -> HtmlAudit:
    audit = HtmlAudit()
    audit.feed(text)
    audit.close()
    return audit


def external_references(audit: HtmlAudit) -> list[str]:
    """Anything the page would fetch: scripts, frames, stylesheets, non-data sources."""
    found = []
    for tag, _ in audit.tags:
        if tag in (
            "script",
            "iframe",
            "frame",
            "object",
            "embed",
            "link",
            "base",
            "audio",
            "video",
            "source",
            "track",
            "form",
        ):
            found.append(f"<{tag}>")
    for tag, name, value in audit.urls:
        if tag == "a" and name == "href" and (value.startswith(("#", "https://", "http://"))):
            continue  # a link the reader may follow is not something the page loads
        if not value.startswith("data:"):
            found.append(f"<{tag} {name}={value!r}>")
    css = "\n".join(audit.styles)
    for match in re.finditer(r"url\(\s*['\"]?([^'\")]*)", css):
        if not match.group(1).startswith("data:"):
            found.append(f"url({match.group(1)})")
    if "@import" in css:
        found.append("@import")
    return found


# --- hostile inputs --------------------------------------------------------------------


def hostile_inputs(folder: Path) -> dict[str, Path]:
    """A knowledge overlay, brand file and decision whose texts try to break out."""
    import yaml

    kb = folder / "hostile-kb"
    kb.mkdir(parents=True, exist_ok=True)
    (kb / "hostile.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "id": "hostile",
                        "title": f"</style>{HOSTILE} | **bold** [x](javascript:alert(1))",
                        "url": 'https://example.com/a?b=<c>&d="e"',
                    }
                ],
                "providers": [
                    {
                        "id": "api-co",
                        "name": f"API {HOSTILE} Co | pipe",
                        "source": "hostile",
                        "as_of": "2026-11-01",
                    }
                ],
                "models": [
                    {
                        "id": "big-closed",
                        "name": 'Big <img src=x onerror="window.pwned=1"> Closed *em* _u_ `code`',
                        "source": "hostile",
                        "as_of": "2026-11-01",
                    }
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    (folder / "logo.png").write_bytes((REPORT_DATA / "logo.png").read_bytes())
    brand = folder / "hostile-brand.yaml"
    brand.write_text(
        yaml.safe_dump(
            {
                "client": HOSTILE,
                "author": '"><img src=x onerror=window.pwned=1>',
                "company": "Evil & <b>Co</b>",
                "confidentiality": f'"; }} body {{ display: none }} </style>{HOSTILE}',
                "accent": "#c00",
                "logo": "logo.png",
            }
        ),
        encoding="utf-8",
    )
    decision = folder / "hostile-decision.yaml"
    decision.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "project": {"name": f"# Evil\n- item | {HOSTILE}", "organisation": "<i>Org</i>"},
                "answers": {"ops_capability": "none"},
                "workloads": [
                    {
                        "id": "chat",
                        "name": f"Chat {HOSTILE}",
                        "answers": {"requests_per_day": 2000},
                    },
                    {
                        "id": "notes",
                        "name": "Notes | `x`",
                        "answers": {"data_location": "own-infrastructure"},
                    },
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return {"kb": kb, "brand": brand, "decision": decision}


def hostile_html(folder: Path) -> str:
    paths = hostile_inputs(folder)
    return render(paths["decision"], "html", kb=[paths["kb"]], brand_file=paths["brand"])


def hostile_markdown(folder: Path) -> str:
    paths = hostile_inputs(folder)
    return render(paths["decision"], "md", kb=[paths["kb"]], brand_file=paths["brand"])
