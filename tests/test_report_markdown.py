"""The Markdown report: it parses, its tables are well formed, it says what it must."""

from __future__ import annotations

import json

import pytest
from test_report_helpers import (
    EXAMPLES,
    REPORT_DATA,
    STARTUP,
    assert_tables_well_formed,
    engine_result,
    inline_children,
    markdown_tokens,
    render,
)


def headings(text: str) -> list[str]:
    tokens = list(markdown_tokens(text))
    return [
        tokens[i + 1].content
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag in ("h2", "h3")
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_report_parses_with_well_formed_tables(example, fixture_kb):
    text = render(example, "md")
    assert assert_tables_well_formed(text) >= 6
    kinds = {t.type for t in inline_children(text)}
    assert not kinds & {"html_block", "html_inline"}, "the report must not carry raw HTML"
    for token in inline_children(text):
        if token.type == "link_open":
            assert token.attrs["href"].startswith(("https://", "http://")), token.attrs


def section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of the same level or above."""
    level = heading.split(" ", 1)[0]
    body = text.split(f"\n{heading}", 1)[1]
    stops = [f"\n{'#' * n} " for n in range(2, len(level) + 1)]
    end = min((body.find(stop) for stop in stops if stop in body), default=len(body))
    return body[:end]


def test_single_workload_report_has_every_section(fixture_kb):
    text = render(STARTUP, "md")
    found = headings(text)
    for title in (
        "Executive summary",
        "Ranking",
        "Scores by factor",
        "The leading options compared",
        "Cost",
        "What would change the answer",
        "Options ruled out",
        "Implementation next steps",
        "Security and compliance checklist",
        "Assumptions and method",
        "Answers given",
        "Sources",
    ):
        assert any(h.startswith(title) for h in found), title
    assert "Hybrid architecture" not in found


def test_executive_summary_gives_winner_cost_and_closeness(fixture_kb):
    from llmchoose.loading.formatting import money

    rec, _, _ = engine_result(STARTUP)
    [result] = rec.workloads
    winner, second = result.headline, result.runner_up
    summary = section(render(STARTUP, "md"), "## Executive summary")
    assert f"the recommended option is {winner.name}" in summary
    assert f"at about {money(winner.monthly_cost)} a month" in summary
    # The engine's verdict, word for word: the report does not judge the lead again.
    assert result.verdict.text in summary
    assert second.name in result.verdict.text
    assert result.verdict.label in summary
    if result.break_even and result.break_even[0]["requests_per_day"]:
        assert "requests a day" in summary


def test_comparison_rows_come_from_the_knowledge_base(fixture_kb):
    from llmchoose.report.compare import comparison, leading_options

    rec, _, criteria = engine_result(STARTUP)
    [result] = rec.workloads
    text = render(STARTUP, "md")
    compared = section(text, "### The leading options compared")
    for label in (
        "Setup time",
        "Integration",
        "Latency",
        "Cost structure",
        "Customization",
        "Data privacy",
        "Offline",
        "Developer experience",
    ):
        assert f"| **{label}** |" in compared
    # The winner and the best option of each other kind are compared.
    leading = leading_options(result)
    for item in leading:
        assert f"{result.standing(item).rank}. {item.name} (" in compared
    kinds = {r.category for r in result.ranked}
    assert {item.category for item in leading} == kinds or len(leading) == 4
    # Cells are the fixture knowledge base's facts, in words.
    by_id = {r.id: r for r in result.ranked}
    compare_texts = {c.id: c.compare for c in criteria.criteria}
    table = comparison(
        [by_id["api-co/big-closed"], by_id["server-rt/open-70b"], by_id["host-co/open-70b"]],
        compare_texts,
        {"server-rt/open-70b": {"runtime_name": "Server Runtime"}},
    )
    cells = {row["id"]: [c["text"] for c in row["cells"]] for row in table["rows"]}
    assert cells["privacy"] == [
        "Prompts go to API Co (us, eu); kept 30 days; zero retention on request; not used for training",
        "Prompts stay on servers you run, on GPUs rented from GPU Rent",
        "Prompts go to Host Co (us); not kept; not used for training",
    ]
    # The GPU cloud the self-hosted option rents from is named with its paperwork.
    assert cells["compliance"][1].startswith(
        "Your controls; GPU cloud GPU Rent: HIPAA BAA, SOC 2 Type II, ISO 27001"
    )
    assert cells["devex"][0] == "SDKs: python, typescript; tool calling; 400,000 tokens of context"
    assert cells["latency"][0] == (
        "About 4.5 s per typical answer, first token in 0.80 s, 80 tokens/s"
        " (measured on 2026-10-30)"
    )
    assert cells["latency"][2] == "Not known"
    assert cells["cost"][1].startswith("Fixed: $4,190 a month ($2,190 machines, $2,000 operations)")
    assert cells["setup"][1] == "Hours to install Server Runtime and load the model"
    assert cells["offline"] == [
        "Needs an internet connection",
        "Works inside your network without internet",
        "Needs an internet connection",
    ]
    typical = [c["typical"] for c in table["rows"][1]["cells"]]
    assert typical[0] == compare_texts["integration"]["proprietary-api"]


def test_cost_section_gives_today_10x_100x_and_break_even(fixture_kb):
    from llmchoose.loading.formatting import money

    rec, _, _ = engine_result(STARTUP)
    [result] = rec.workloads
    cost = section(render(STARTUP, "md"), "### Cost")
    for item in [a.option for a in result.alternatives[:8]]:
        row = (
            f"| {result.standing(item).rank} | {item.name} | {money(item.monthly_cost)} | "
            f"{money(item.monthly_cost_10x)} | {money(item.monthly_cost_100x)} |"
        )
        assert row in cost
    api = next(r for r in result.ranked if r.category in ("proprietary-api", "hosted-open-weights"))
    entry = next(b for b in result.break_even if b["api_option"] == api.id)
    volume = f"{round(entry['requests_per_day'], -3):,.0f}"
    assert f"from about {volume} requests a day" in cost
    assert f"| Break-even | {volume} |" in cost


def test_answers_and_sources_are_listed_with_dates(fixture_kb):
    text = render(STARTUP, "md")
    answers = section(text, "## Answers given")
    assert (
        "| How many model requests does this workload make on an average day? | 2,000 requests per day |"
        in answers
    )
    # A question nobody answered is listed compactly with its default, in italics; the
    # full appendix has it as a table row.
    assert "**Left at their defaults:** " in answers
    assert "Must the model call tools or functions (agents, structured actions)? *No*" in answers
    assert "| Must the model call tools" not in answers
    full = section(render(STARTUP, "md", appendix="full"), "## Answers given")
    assert "| Must the model call tools or functions (agents, structured actions)? | *No* |" in full
    assert "Left at their defaults" not in full
    sources = section(text, "## Sources")
    assert "[Test fixture](<https://example.com/fixture>). Checked 2026-11-01." in sources


def test_several_workloads_get_a_hybrid_with_its_routing_rule(fixture_kb):
    rec, _, _ = engine_result(REPORT_DATA / "two-workloads.yaml")
    text = render(REPORT_DATA / "two-workloads.yaml", "md")
    assert_tables_well_formed(text)
    hybrid = section(text, "## Hybrid architecture")
    for line in rec.hybrid.routing_rule:
        assert f"- {line}" in hybrid
    for result in rec.workloads:
        assert f"| {result.name} | {result.winner.name} |" in hybrid
    steps = section(text, "## Implementation next steps")
    if len({r.winner.id for r in rec.workloads}) > 1:
        assert "### One interface over several options" in steps
    checklist = section(text, "## Security and compliance checklist")
    own = [r for r in rec.workloads if r.winner.category in ("self-hosted", "on-device")]
    if own:
        assert "inside your HIPAA security programme" in checklist
    if any(r.winner.option.facts.get("gpus_rented") for r in own):
        # The GPU cloud renting the machines is named as the one to sign the BAA.
        assert "GPU Rent, which rents you the GPUs, has signed a business associate" in checklist
    assert "*(Patient notes)*" in checklist
    # Growth makes the cost table show the end of the planning horizon.
    notes = section(text, "## Workload: Patient notes")
    assert "| 10× | 100× | In 1 month | Made of |" in notes


def test_a_decision_nothing_meets_still_reports_why(fixture_kb):
    text = render(REPORT_DATA / "nothing-fits.yaml", "md")
    assert_tables_well_formed(text)
    assert "**No option meets every hard requirement.**" in text
    assert "### Ranking" not in text and "### Cost" not in text
    ruled_out = section(text, "### Options ruled out")
    view = json.loads(render(REPORT_DATA / "nothing-fits.yaml", "json"))
    summary = view["workloads"][0]["eliminated"]["summary"]
    for row in summary["rows"]:
        assert f"| {row['factor']}: {row['title']} | {row['count']:,} |" in ruled_out
    assert (
        sum(r["count"] for r in summary["rows"]) + summary["other_options"]
        == (view["workloads"][0]["eliminated"]["count"])
    )
    # Every option and its reason are in the full appendix only.
    assert "1,000,000 tokens of context" not in ruled_out
    full = render(REPORT_DATA / "nothing-fits.yaml", "md", appendix="full")
    appendix = section(full, "## Appendix: every option ruled out")
    assert appendix.count("1,000,000 tokens of context") >= 6
    assert "Every option ruled out, with its reason, is listed in the appendix." in full
    assert "## Implementation next steps" not in text
