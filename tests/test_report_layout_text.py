"""Text that must fit a chart or diagram, and the cost parts, in their edge cases."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from llmchoose.report import charts
from llmchoose.report.cost_view import breakdown_text
from llmchoose.report.diagram import hybrid_diagram, shorten_keeping_tail, wrap_words

SVG = "{http://www.w3.org/2000/svg}"
EU = "Gemini 4 Argon on Google Vertex AI (Gemini Enterprise Agent Platform) (EU)"


def test_shortening_keeps_the_part_that_tells_variants_apart():
    short = shorten_keeping_tail(EU, 40)
    assert len(short) <= 40 and short.endswith("(EU)") and "…" in short
    assert shorten_keeping_tail("Short name (EU)", 40) == "Short name (EU)"
    # No closing parenthesis: cut at the end.
    assert shorten_keeping_tail("a" * 50, 10) == "a" * 9 + "…"


@pytest.mark.parametrize("width", [200, 340])
def test_wrapped_names_stay_within_three_lines_and_keep_the_tail(width):
    lines = wrap_words(EU, width, 12)
    assert 1 <= len(lines) <= 3
    assert lines[-1].endswith("(EU)")
    room = int(width / (12 * charts.CHAR_WIDTH))
    assert all(len(line) <= room for line in lines)


def test_wrapping_an_empty_name_gives_no_lines():
    assert wrap_words("", 200, 12) == []


def _boxes_and_texts(svg: str):
    root = ET.fromstring(svg)
    boxes = [
        tuple(float(r.get(k)) for k in ("x", "y", "width", "height"))
        for r in root.iter(f"{SVG}rect")
    ]
    texts = [(float(t.get("x")), float(t.get("y")), t.text) for t in root.iter(f"{SVG}text")]
    return root, boxes, texts


@pytest.mark.parametrize("width", [720, 380])
def test_every_diagram_label_sits_inside_a_box(width):
    data = {
        "assignments": [
            {"option": EU, "category_label": "Proprietary API", "workload": "Help-centre chat"},
            {
                "option": EU.replace(" (EU)", ""),
                "category_label": "Proprietary API",
                "workload": "Claim notes",
            },
            {
                "option": "vLLM with Llama 3.3 70B on your servers",
                "category_label": "Self-hosted",
                "workload": "Triage",
            },
        ]
    }
    root, boxes, texts = _boxes_and_texts(str(hybrid_diagram(data, width=width)))
    assert float(root.get("width")) == width
    for x, y, text in texts:
        assert any(bx <= x <= bx + bw and by <= y <= by + bh for bx, by, bw, bh in boxes), text
    labels = [t for _, _, t in texts]
    assert any(t.endswith("(EU)") for t in labels)  # the variant is still told apart
    assert "for Help-centre chat" in labels and "for Triage" in labels


def test_cost_parts_read_as_words():
    assert breakdown_text({"tokens": 236.0}) == "API tokens"
    assert breakdown_text({"hardware": 1200.0, "operations": 3000.0}) == (
        "operations time $3,000 + hardware $1,200"
    )
    assert breakdown_text({}) == ""
    assert breakdown_text({"tokens": None}) == ""
    assert breakdown_text({"hardware": 0.0, "operations": 0.0}) == (
        "hardware $0 + operations time $0"
    )


def _cost_data(api_points, own_points):
    return {
        "x_range": [100, 100000],
        "today": 1000,
        "marks": [{"x": 1000, "label": "today"}],
        "series": [
            {"kind": "api", "id": "a", "label": "API one", "points": api_points},
            {"kind": "own", "id": "o", "label": "Own one", "points": own_points},
        ],
        "break_even": None,
    }


def _legend_and_series(svg: str):
    root = ET.fromstring(svg)
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "c-legend"]
    drawn = [e for e in root.iter() if "c-series" in (e.get("class") or "")]
    return legend, drawn


def test_every_cost_legend_entry_has_a_drawn_series():
    full = _cost_data([[100, 10.0], [1000, 100.0]], [[100, 500.0], [1000, 500.0]])
    legend, drawn = _legend_and_series(str(charts.cost_chart(full)))
    assert legend == ["API: API one", "Self-hosted: Own one"] and len(drawn) == 2
    # An API series without any known cost is left out, legend and all.
    unknown = _cost_data([[100, None], [1000, None]], [[100, 500.0], [1000, 500.0]])
    legend, drawn = _legend_and_series(str(charts.cost_chart(unknown)))
    assert legend == ["Self-hosted: Own one"] and len(drawn) == 1
    # One known point is drawn as a dot, not an empty path.
    single = _cost_data([[100, None], [1000, 50.0]], [[100, 500.0], [1000, 500.0]])
    legend, drawn = _legend_and_series(str(charts.cost_chart(single)))
    assert len(legend) == len(drawn) == 2
    assert drawn[0].tag == f"{SVG}circle"


def test_responsive_charts_come_wide_and_narrow():
    data = _cost_data([[100, 10.0], [1000, 100.0]], [[100, 500.0], [1000, 500.0]])
    both = str(charts.responsive(charts.cost_chart, data, label="Cost"))
    wide, narrow = both.split("</svg>")[:2]
    assert 'class="chart wide chart-cost"' in wide and 'viewBox="0 0 720 ' in wide
    assert 'class="chart narrow chart-cost"' in narrow and 'viewBox="0 0 380 ' in narrow
