"""A person watching an answer stream waits for its first words and for any stretch the
stream falls behind their reading; anyone else waits for the complete answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llmchoose.engine.option import answer_wait
from llmchoose.engine.recommend import recommend
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog

AS_OF = dt.date(2026, 12, 1)
TEAMS = Path(__file__).parent / "data" / "teams"
READ = 5.3


def test_a_stream_faster_than_reading_costs_only_its_first_token():
    assert answer_wait(0.8, 90.0, 700, interactive=True, reading_rate=READ) == 0.8
    # Complete-answer work waits for all of it: 0.8 + 700 / 90.
    assert answer_wait(0.8, 90.0, 700, interactive=False, reading_rate=READ) == pytest.approx(
        8.58, abs=0.01
    )


def test_a_stream_slower_than_reading_adds_the_time_it_falls_behind():
    # 300 tokens at 3 tokens/s take 100 s; the reader needs 300 / 5.3 = 56.6 s of them.
    wait = answer_wait(2.0, 3.0, 300, interactive=True, reading_rate=READ)
    assert wait == pytest.approx(2.0 + 100 - 300 / READ, abs=0.01)
    assert answer_wait(None, 90.0, 300, interactive=True, reading_rate=READ) is None
    assert answer_wait(0.5, None, 300, interactive=True, reading_rate=READ) is None


@pytest.fixture(scope="module")
def code_chat():
    catalog, criteria = load_catalog(), load_criteria()
    decision = load_decision(TEAMS / "code-chat.yaml", criteria)
    [result] = recommend(decision, catalog, criteria, as_of=AS_OF, samples=200).workloads
    return result


def test_a_watched_chat_is_not_judged_on_the_time_to_finish_long_answers(code_chat):
    # Long answers (700 tokens) from fast-starting APIs: streamed faster than anyone
    # reads, so their latency is near the best although they take 5-10 s to finish.
    fast_start = [
        r
        for r in code_chat.ranked
        if r.option.facts.get("answer_wait_s") is not None
        and r.option.facts["answer_wait_s"] <= 1.5
        and r.option.facts["response_time_s"] >= 5
    ]
    assert fast_start
    assert all(r.factor_scores["latency"] >= 0.95 for r in fast_start)
    # The recommendation rests on a known wait, not on an unmeasured speed's prior.
    assert code_chat.headline.option.facts["answer_wait_s"] is not None
