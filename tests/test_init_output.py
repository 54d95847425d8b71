"""What `init` and `questions` print: defaults accepted with Enter are echoed, the
summary fits a 45-line terminal, and the questions list never splits an id at 80
columns."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from llmchoose.cli.init_prompts import PlainAsker, kept_default_text
from llmchoose.cli.init_summary import print_summary
from llmchoose.loading.criteria import load_criteria
from llmchoose.questionnaire.flow import Flow


@pytest.fixture(scope="module")
def criteria():
    return load_criteria()


def _flow(criteria, workloads: str = "Support chat, Claim notes") -> Flow:
    flow = Flow(criteria, project_name="Acme")
    flow.answer("Acme")
    flow.answer("")
    flow.answer(workloads)
    return flow


def test_enter_alone_echoes_the_default_it_keeps(criteria):
    flow = _flow(criteria, "Main")
    while flow.current().question is None or flow.current().question.type != "number":
        flow.skip()
    step = flow.current()
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("\n"), stream=out)
    assert asker.ask(step, lambda raw: flow.check(step, raw)) is None
    echo = kept_default_text(step)
    assert echo is not None and echo.endswith(" (default)")
    assert echo + "\n" in out.getvalue()
    # A typed answer is not followed by the echo.
    out = io.StringIO()
    asker = PlainAsker("x.yaml", stdin=io.StringIO("7\n"), stream=out)
    asker.ask(step, lambda raw: flow.check(step, raw))
    assert "(default)" not in out.getvalue().split("]: ")[-1]


def test_a_choice_kept_with_enter_is_echoed_by_its_label(criteria):
    flow = _flow(criteria, "Main")
    step = flow.current()
    assert step.question.type == "choice"
    out = io.StringIO()
    PlainAsker("x.yaml", stdin=io.StringIO("\n"), stream=out).ask(
        step, lambda raw: flow.check(step, raw)
    )
    label = next(c.label for c in step.question.choices if c.value == step.default)
    assert f"  → {label} (default)\n" in out.getvalue()


def test_a_question_without_a_default_echoes_nothing(criteria):
    step = Flow(criteria).current()  # the project name
    assert step.default is None or kept_default_text(step) is not None
    flow = Flow(criteria)
    flow.answer("Acme")
    organisation = flow.current()
    assert organisation.default in (None, "")
    if organisation.default is None:
        assert kept_default_text(organisation) is None


def _summary_lines(flow: Flow, *, every: bool = False, height: int = 45) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=100, height=height, color_system=None)
    print_summary(console, flow, numbered=True, every=every)
    return out.getvalue().splitlines()


def _change_many(flow: Flow) -> int:
    """Answer every importance question 5 and double every number: many changes."""
    changed = 0
    for step in list(flow.steps()):
        question = step.question
        if question is None:
            continue
        if question.type == "importance" and step.default != 5:
            flow.goto(step.key)
            flow.answer(5)
            changed += 1
        elif question.type == "number" and step.default:
            value = step.default * 2
            if question.max is None or value <= question.max:
                flow.goto(step.key)
                flow.answer(value)
                changed += 1
    return changed


@pytest.mark.parametrize("many", [False, True])
def test_the_summary_fits_a_45_line_terminal(criteria, many):
    flow = _flow(criteria)
    flow.fill_defaults()
    if many:
        assert _change_many(flow) >= 15
    every = _summary_lines(flow, every=True)
    assert len(every) > 45  # what scrolled off before
    compact = _summary_lines(flow)
    assert len(compact) <= 45 - 10  # room for the menu under it
    text = "\n".join(compact)
    for section in flow.summary():
        assert section.title in text  # every factor has its line
    if many:
        assert "5 of 5" in text and "defaults kept" in text


def test_a_summary_cut_to_fit_says_how_many_more_there_are(criteria):
    flow = _flow(criteria)
    flow.fill_defaults()
    _change_many(flow)
    lines = _summary_lines(flow, height=36)
    assert len(lines) <= 36 - 10
    assert any("more: show every answer to see them" in line for line in lines)


def test_questions_at_80_columns_never_split_an_id(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli("questions")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    code, data, _ = run_cli("questions", "--format", "json")
    rows = json.loads(data)
    words = {w.rstrip(",") for line in lines for w in line.split()}
    for row in rows:
        assert row["id"] in words, row["id"]
        for value in row["allowed"]:
            if " " not in value:  # choice values are ids too
                assert value in words, value


def test_the_outcome_lists_models_as_recommend_does_headline_first():
    """What init prints after the questions agrees with `recommend`: distinct models
    numbered from 1, the headline first (never one whose price is unknown), and no
    factor every option shares given as a strength."""
    import datetime as dt
    from pathlib import Path

    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.questionnaire.output import outcomes

    criteria = load_criteria()
    root = Path(__file__).resolve().parent.parent
    decision = load_decision(root / "tests/data/teams/insurer-claims.yaml", criteria)
    rec = recommend(decision, load_catalog(), criteria, as_of=dt.date(2026, 12, 1), samples=100)
    workload = rec.workloads[0]
    lines = outcomes(rec, criteria)[0].top
    assert [line.id for line in lines] == [a.option.id for a in workload.alternatives[:3]]
    assert lines[0].id == workload.headline.id and lines[0].monthly_cost is not None
    assert [line.rank for line in lines] == [1, 2, 3]
    unpriced = [line for line in lines if line.monthly_cost is None]
    assert all(line.why.endswith("price unknown") for line in unpriced)
    names = {c.id: c.name.split(" and ")[0].lower() for c in criteria.criteria}
    level = [
        names[f]
        for f in workload.weights.values
        if len({r.factor_scores.get(f) for r in workload.ranked}) == 1
    ]
    assert level  # e.g. offline: every API here needs a connection
    assert not any(f"strong on {name}" in line.why for line in lines for name in level)
