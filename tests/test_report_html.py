"""The HTML report: it parses, is self-contained, carries the brand, and is repeatable."""

from __future__ import annotations

import base64
import json
import re

import pytest
from test_report_helpers import (
    EXAMPLES,
    REPORT_DATA,
    STARTUP,
    audit_html,
    engine_result,
    external_references,
    render,
)

BRAND = REPORT_DATA / "brand.yaml"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_report_parses_and_references_nothing_outside_itself(example, fixture_kb):
    text = render(example, "html", brand_file=BRAND)
    audit = audit_html(text)
    assert audit.errors == []
    assert audit.stack == [], f"unclosed tags: {audit.stack}"
    assert external_references(audit) == []
    csp = next(a["content"] for t, a in audit.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "img-src data:" in csp
    # The charts are drawn by the project, as inline SVG: scores and a profile for every
    # workload with a ranking, a cost chart where there is an API or self-hosted option.
    view = json.loads(render(example, "json"))
    charts = [a["class"] for t, a in audit.tags if t == "svg" and "chart" in a.get("class", "")]
    ranked = [w for w in view["workloads"] if w["ranked"]]
    # Each chart comes wide (screens, print) and narrow (phones).
    for size in ("wide", "narrow"):
        assert charts.count(f"chart {size} chart-scores") == len(ranked)
        assert charts.count(f"chart {size} chart-profile") == len(ranked)
        assert charts.count(f"chart {size} chart-cost") == sum(
            1 for w in ranked if w["cost"]["curve"]
        )


def test_brand_names_logo_colour_and_footer_appear(fixture_kb):
    text = render(STARTUP, "html", brand_file=BRAND)
    audit = audit_html(text)
    body = " ".join(audit.text)
    assert "Acme Ltd" in body and "Jane Doe, Northwind Advisory" in body
    assert "Confidential: prepared for Acme Ltd. Not for distribution." in body
    [logo] = [a["src"] for t, a in audit.tags if t == "img"]
    assert logo.startswith("data:image/png;base64,")
    assert base64.b64decode(logo.split(",", 1)[1]) == (REPORT_DATA / "logo.png").read_bytes()
    css = "\n".join(audit.styles)
    assert "--accent-fill: #0b5fa8;" in css
    # The footer line repeats in the page margin when printed.
    assert (
        '@bottom-left { content: "Confidential: prepared for Acme Ltd. Not for distribution."'
        in css
    )
    assert 'content: "Page " counter(page) " of " counter(pages)' in css


def test_without_brand_the_report_is_plain_but_complete(fixture_kb):
    text = render(STARTUP, "html")
    audit = audit_html(text)
    assert not [t for t, _ in audit.tags if t == "img"]
    assert "Prepared for" not in text
    assert "@bottom-left" not in text
    assert "--accent-fill: #1f5fa8;" in text


def test_several_workloads_get_a_routing_diagram(fixture_kb):
    audit = audit_html(render(REPORT_DATA / "two-workloads.yaml", "html"))
    classes = [a.get("class", "") for t, a in audit.tags if t == "svg"]
    assert "chart wide chart-hybrid" in classes and "chart narrow chart-hybrid" in classes
    assert "Which option serves which workload" in " ".join(audit.text)


def test_dark_and_print_styles_are_defined(fixture_kb):
    css = "\n".join(audit_html(render(STARTUP, "html")).styles)
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css
    assert re.search(r"@page\s*\{\s*size: A4;", css)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_same_inputs_give_the_same_bytes(fmt, fixture_kb):
    first = render(REPORT_DATA / "two-workloads.yaml", fmt, brand_file=BRAND)
    second = render(REPORT_DATA / "two-workloads.yaml", fmt, brand_file=BRAND)
    assert first == second


def test_as_of_fixes_the_date_in_the_report(fixture_kb):
    import datetime as dt

    text = render(STARTUP, "html", as_of=dt.date(2026, 12, 24))
    assert "2026-12-24" in text
    assert "2026-11-28" not in text


def test_json_format_is_the_view_model(fixture_kb):
    view = json.loads(render(STARTUP, "json"))
    assert view["version"] == 1
    assert view["as_of"] == "2026-11-28"
    [workload] = view["workloads"]
    rec, _, _ = engine_result(STARTUP)
    [result] = rec.workloads
    assert workload["winner"]["id"] == result.winner.id
    # One row per distinct model, at its best option.
    assert [r["id"] for r in workload["ranked"]] == [a.option.id for a in result.alternatives[:8]]
    assert [f["short"] for f in view["factors"]][:3] == ["Data privacy", "Compliance", "Cost"]
