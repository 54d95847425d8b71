"""The next step `check` gives when a choice no longer stands."""

from __future__ import annotations

from types import SimpleNamespace

from llmchoose.decision.check.advice import best_option_now, next_step


def _ranked(*ids_scores):
    """A ranking of distinct models, as the engine's result gives it."""
    items = [SimpleNamespace(id=i, score=s) for i, s in ids_scores]
    return SimpleNamespace(
        ranked=items,
        headline=items[0] if items else None,
        runner_up=items[1] if len(items) > 1 else None,
    )


def test_the_best_option_now_skips_the_chosen_one():
    result = _ranked(("a", 0.9), ("b", 0.8))
    assert best_option_now(result, "a").id == "b"
    assert best_option_now(result, "b").id == "a"
    assert best_option_now(result, "gone").id == "a"
    assert best_option_now(_ranked(("a", 0.9)), "a") is None
    assert best_option_now(_ranked(), "a") is None


def test_several_workloads_name_the_workload_in_choose():
    step = next_step(
        "overtaken",
        file="llm-decision.yaml",
        workload="chat",
        workloads=2,
        best=SimpleNamespace(id="openai/gpt-5", score=0.81234),
    )
    assert step.commands == (
        "llmchoose decide llm-decision.yaml --choose chat=openai/gpt-5",
        "llmchoose decide llm-decision.yaml --reset",
    )
    assert step.text() == (
        "the best option now is openai/gpt-5 (score 0.812); record it with "
        "`llmchoose decide llm-decision.yaml --choose chat=openai/gpt-5` or "
        "`llmchoose decide llm-decision.yaml --reset`"
    )


def test_a_file_name_with_spaces_is_quoted_for_the_shell():
    step = next_step(
        "retired",
        file="my decisions/llm.yaml",
        workload="w",
        workloads=1,
        best=SimpleNamespace(id="x/y", score=0.5),
    )
    assert step.commands[0] == "llmchoose decide 'my decisions/llm.yaml' --choose x/y"


def test_with_nothing_left_the_step_says_so_and_offers_only_reset():
    step = next_step("ruled-out", file="d.yaml", workload="w", workloads=1, best=None)
    assert step.option is None and step.commands == ("llmchoose decide d.yaml --reset",)
    assert step.text().startswith("no option meets every requirement now")
    assert step.to_dict()["option"] is None
