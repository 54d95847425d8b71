"""Retirement dates worded in the tense the evaluation date calls for, wherever shown."""

from __future__ import annotations

import datetime as dt

from llmchoose.engine.wording import retirement_phrase

TODAY = dt.date(2026, 12, 1)


def test_past_today_and_future_retirements():
    assert retirement_phrase(dt.date(2026, 11, 30), TODAY) == "retired on 2026-11-30"
    assert retirement_phrase(TODAY, TODAY) == "retires today (2026-12-01)"
    assert retirement_phrase(dt.date(2027, 1, 15), TODAY) == (
        "is scheduled to retire on 2027-01-15"
    )
    assert retirement_phrase(None, TODAY) is None


def test_a_model_retired_yesterday_is_ruled_out_in_the_past_tense(fixture_kb, write_tree, tmp_path):
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    write_tree(
        {
            "retire/retire.yaml": (
                "models:\n  - id: big-closed\n    retires: 2026-11-30\n"
                "    source: fixture\n    as_of: 2026-11-01\n"
            ),
            "d.yaml": (
                "version: 1\nproject: {name: P}\n"
                "answers: {planning_horizon_months: 12}\n"
                "workloads: [{id: w, name: W}]\n"
            ),
        }
    )
    criteria = load_criteria()
    catalog = load_catalog([tmp_path / "retire"])
    decision = load_decision(tmp_path / "d.yaml", criteria)
    rec = recommend(decision, catalog, criteria, as_of=TODAY, samples=5)
    reasons = [r for e in rec.workloads[0].eliminated for r in e["reasons"] if "retire" in r]
    past = [r for r in reasons if r.startswith("Big Closed")]
    assert past == [
        "Big Closed at API Co retired on 2026-11-30, and you plan to use it for 12 months"
    ]
    # A retirement still to come keeps the future tense.
    assert any("is scheduled to retire on 2027-03-01" in r for r in reasons)
