"""The report view model and its charts: pure data in, plain data and SVG out."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import pytest
from test_report_helpers import AS_OF, FIXTURE_KB, REPORT_DATA, STARTUP, engine_result

from llmchoose.report import charts
from llmchoose.report.diagram import hybrid_diagram
from llmchoose.report.guidance import REPORT_FACTS


@pytest.fixture(scope="module")
def built():
    """The view of the two-workload decision, built straight from the core functions."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.loading.paths import builtin_dir
    from llmchoose.report.brand import load_brand
    from llmchoose.report.guidance import load_guidance
    from llmchoose.report.view import build_view

    catalog = load_catalog(layers=[FIXTURE_KB])
    criteria = load_criteria()
    decision = load_decision(REPORT_DATA / "two-workloads.yaml", criteria)
    rec = recommend(decision, catalog, criteria, as_of=AS_OF, samples=200)
    guidance = load_guidance([builtin_dir("templates")])
    brand = load_brand(REPORT_DATA / "brand.yaml")
    view = build_view(decision, rec, catalog, criteria, guidance, brand=brand, top=8)
    again = build_view(decision, rec, catalog, criteria, guidance, brand=brand, top=8)
    return {"view": view, "again": again, "rec": rec, "catalog": catalog}


def test_view_is_plain_json_data_and_repeatable(built):
    text = json.dumps(built["view"], sort_keys=False)
    assert json.loads(text) == built["view"]
    assert built["view"] == built["again"]


def test_view_follows_the_recommendation(built):
    view, rec = built["view"], built["rec"]
    assert [w["id"] for w in view["workloads"]] == [w.id for w in rec.workloads]
    for w, result in zip(view["workloads"], rec.workloads, strict=True):
        assert [r["id"] for r in w["ranked"]] == [r.id for r in result.ranked[:8]]
        assert w["winner"]["id"] == result.winner.id
        assert w["eliminated"]["count"] == len(result.eliminated)
        assert sum(g["count"] for g in w["eliminated"]["groups"]) == len(result.eliminated)
        for row in w["ranked"]:
            contributions = sum(f["contribution"] for f in row["factors"])
            assert contributions == pytest.approx(row["score"], abs=2e-3)
    assert view["hybrid"]["routing_rule"] == rec.hybrid.routing_rule
    assert view["summary"]["total_monthly"] == rec.hybrid.hybrid_monthly_cost


def test_leading_options_hold_the_best_of_each_kind(built):
    for w, result in zip(built["view"]["workloads"], built["rec"].workloads, strict=True):
        compared = [o["id"] for o in w["comparison"]["options"]]
        assert compared[0] == result.winner.id
        kinds = []
        for item in result.ranked:
            if item.category not in kinds:
                kinds.append(item.category)
        firsts = [next(r.id for r in result.ranked if r.category == k) for k in kinds[:4]]
        assert set(firsts) <= set(compared)
        assert len(compared) <= 4
        for row in w["comparison"]["rows"]:
            assert len(row["cells"]) == len(compared)
            assert all(cell["text"] for cell in row["cells"])


def test_answers_mark_what_was_given_and_what_is_a_default(built):
    rows = {r["id"]: r for g in built["view"]["answers"]["groups"] for r in g["rows"]}
    notes, copy = rows["data_location"]["cells"]
    assert notes == {
        "text": "Only our own infrastructure (cloud account or data centre)",
        "given": True,
        "asked": True,
    }
    assert copy["text"] == "Any reputable API provider" and copy["given"]
    assert rows["latency_need"]["cells"][0]["given"] is False
    assert (
        rows["regulations"]["cells"][0]["text"]
        == "HIPAA (US health data) — needs a business associate agreement"
    )


def test_sources_carry_their_dates_and_uses(built):
    [source] = built["view"]["sources"]
    assert source["id"] == "fixture"
    assert source["url"] == "https://example.com/fixture"
    assert source["checked"] == "2026-11-01" and source["age_days"] == 27
    assert source["stale"] is False
    assert "API Co (provider)" in source["used_for"]


def test_guidance_fills_in_the_chosen_options(built):
    view, rec = built["view"], built["rec"]
    expected = []
    for result in rec.workloads:
        winner = result.winner.option.facts
        if winner["category"] == "self-hosted":
            title = f"Running {winner['model_name']} on {built['catalog'].runtimes[winner['runtime']].name}"
        else:
            title = f"Putting {winner['model_name']} on {winner['provider_name']} into production"
        if title not in expected:
            expected.append(title)
    if len({r.winner.id for r in rec.workloads}) > 1:
        expected.append("One interface over several options")
    assert [book["title"] for book in view["next_steps"]] == expected
    own = next((b for b in view["next_steps"] if b["id"] == "self-hosted"), None)
    if own is not None:
        assert any("The sizing assumes 1 × GPU" in step["text"] for step in own["steps"])
    texts = [s["text"] for book in view["next_steps"] for s in book["steps"]]
    texts += [e["text"] for area in view["checklist"] for e in area["entries"]]
    assert texts and not [t for t in texts if "{" in t or "unknown" in t]


def test_report_facts_match_what_the_view_adds(built):
    from llmchoose.report.workload_view import option_extras

    result = built["rec"].workloads[0]
    extras = option_extras(built["catalog"], result.winner, result.usage)
    assert set(extras) | {"workload"} == set(REPORT_FACTS)


# --- charts -----------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_every_chart_is_well_formed_svg_with_a_title(built):
    for w in built["view"]["workloads"]:
        data = w["charts"]
        for svg in (
            charts.scores_chart(data["scores"], label="Scores"),
            charts.profile_chart(data["profile"], label="Profile"),
            charts.cost_chart(data["cost"], label="Cost"),
        ):
            root = ET.fromstring(str(svg))
            assert root.tag == f"{SVG}svg"
            assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
            assert "<script" not in svg and "href" not in svg
    for width in (720, 380):
        diagram = hybrid_diagram(built["view"]["hybrid"], width=width)
        root = ET.fromstring(str(diagram))
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert "One interface" in texts
        assert any("Patient notes" in t for t in texts)
        assert any("Marketing copy" in t for t in texts)


def test_score_bars_are_as_long_as_the_scores(built):
    data = built["view"]["workloads"][0]["charts"]["scores"]
    root = ET.fromstring(str(charts.scores_chart(data)))
    rects = [r for r in root.iter(f"{SVG}rect") if "c-seg" in (r.get("class") or "")]
    plot = 720 - 16 - 60
    by_row: dict[str, float] = {}
    for rect in rects:
        by_row[rect.get("y")] = by_row.get(rect.get("y"), 0) + float(rect.get("width"))
    widths = [by_row[y] for y in sorted(by_row, key=float)]
    scores = [row["score"] for row in data["rows"]]
    assert widths == pytest.approx([plot * s for s in scores], abs=1.5)


def test_cost_chart_marks_the_engines_break_even(fixture_kb):
    from test_report_helpers import render

    view = json.loads(render(STARTUP, "json"))
    curve = view["workloads"][0]["charts"]["cost"]
    rec, _, _ = engine_result(STARTUP)
    [result] = rec.workloads
    api = next(r for r in result.ranked if r.category in ("proprietary-api", "hosted-open-weights"))
    engine_volume = next(b for b in result.break_even if b["api_option"] == api.id)[
        "requests_per_day"
    ]
    assert curve["break_even"]["x"] == engine_volume
    root = ET.fromstring(str(charts.cost_chart(curve)))
    dot = next(c for c in root.iter(f"{SVG}circle") if c.get("class") == "c-break-dot")
    left, width = 70, 720 - 70 - 20
    low, high = curve["x_range"]
    expected = left + width * (math.log10(engine_volume) - math.log10(low)) / (
        math.log10(high) - math.log10(low)
    )
    assert float(dot.get("cx")) == pytest.approx(expected, abs=0.1)
    api, own = curve["series"]
    assert (api["kind"], own["kind"]) == ("api", "own")
    # Below the break-even the API is cheaper, above it self-hosting is.
    below = next(i for i, p in enumerate(api["points"]) if p[0] >= engine_volume / 2)
    above = next(i for i, p in enumerate(api["points"]) if p[0] >= engine_volume * 2)
    assert api["points"][below][1] < own["points"][below][1]
    assert api["points"][above][1] > own["points"][above][1]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    from llmchoose.loading.formatting import compact

    assert f"break-even ≈ {compact(engine_volume)}/day" in labels and "today" in labels


def test_chart_text_is_escaped():
    data = {
        "method": "weighted-sum",
        "factors": [{"index": 0, "short": "<b>x</b>", "weight": 1.0}],
        "rows": [
            {
                "label": '</svg><script>alert("x")</script>',
                "score": 0.5,
                "segments": [{"index": 0, "value": 0.5, "short": "&"}],
            }
        ],
    }
    svg = str(charts.scores_chart(data, label='"><script>'))
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '</svg><script>alert("x")</script>' in texts
    assert "<script" not in svg
    assert root.get("aria-label") == '"><script>'


def test_charts_are_deterministic(built):
    data = built["view"]["workloads"][1]["charts"]
    assert charts.cost_chart(data["cost"]) == charts.cost_chart(data["cost"])
    assert charts.profile_chart(data["profile"]) == charts.profile_chart(data["profile"])
