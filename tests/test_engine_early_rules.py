"""Rules that need no sizing run before an own-hardware option is sized: the answer must
be the one the engine gives when it sizes everything, with less sizing done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import llmchoose.engine.managed as managed
import llmchoose.engine.own as own
from llmchoose.engine.constraints import rules_without, screen
from llmchoose.engine.options import SIZED_FACTS, enumerate_options, enumerate_screened
from llmchoose.engine.rental import required_vendor_facts
from llmchoose.engine.usage import Usage
from llmchoose.loading.answers import check_answer_ids, effective_answers
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog

AS_OF = dt.date(2026, 12, 1)
ROOT = Path(__file__).parent.parent
FILES = [
    *sorted((ROOT / "tests" / "data" / "teams").glob("*.yaml")),
    ROOT / "examples" / "offline-field-app.yaml",
    ROOT / "examples" / "hospital-clinical-notes.yaml",
]


@pytest.fixture(scope="module")
def inputs():
    return load_catalog(), load_criteria()


def _workloads(path: Path, criteria):
    decision = load_decision(path, criteria)
    project = check_answer_ids(criteria, decision.answers, where="answers")
    for workload in decision.workloads:
        yield workload.id, effective_answers(criteria, project, workload.answers)


def _counting_sizer(monkeypatch) -> list[str]:
    sized: list[str] = []
    real = own.size_deployment

    def counted(catalog, model, runtime, usage, **kw):
        sized.append(f"{runtime.id}/{model.id}")
        return real(catalog, model, runtime, usage, **kw)

    monkeypatch.setattr(own, "size_deployment", counted)
    monkeypatch.setattr(managed, "size_deployment", counted)
    return sized


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_early_rules_keep_the_same_options_and_size_fewer(path, inputs, monkeypatch):
    catalog, criteria = inputs
    sized = _counting_sizer(monkeypatch)
    for workload, answers in _workloads(path, criteria):
        # As the engine builds it: GPUs are rented only from clouds the rules allow.
        usage = Usage.from_answers(answers, required_vendor_facts(criteria, answers))
        sized.clear()
        options, unavailable = enumerate_options(catalog, usage, AS_OF)
        full = screen(criteria, options, answers)
        full_count = len(sized)
        sized.clear()
        early = rules_without(criteria, answers, SIZED_FACTS)
        found = enumerate_screened(catalog, usage, AS_OF, early=early)
        quick = screen(criteria, found.options, answers)
        assert [o.id for o in quick.kept] == [o.id for o in full.kept], workload
        assert [o.facts for o in quick.kept] == [o.facts for o in full.kept], workload
        # Every option ruled out early was out of the full run too, for the same reason.
        out_before = set(full.eliminated) | {u.id for u in unavailable}
        for ruled in found.ruled_out:
            assert ruled.option.id in out_before, ruled.option.id
            if ruled.option.id in full.eliminated:
                before = {e.reason for e in full.eliminated[ruled.option.id]}
                assert {e.reason for e in ruled.reasons} <= before
        assert len(sized) == full_count - len(found.ruled_out), workload


def test_a_rule_that_reads_a_sized_fact_waits_for_sizing(inputs):
    _, criteria = inputs
    answers = effective_answers(criteria, {}, {"max_response_s": 0.5, "monthly_budget": 1})
    facts = {
        "category": "self-hosted",
        "model_name": "M",
        "provider_name": "you",
        "monthly_cost": 10_000,
        "response_time_s": 60,
    }
    early = {e.constraint for e in rules_without(criteria, answers, SIZED_FACTS)(facts)}
    every = {e.constraint for e in rules_without(criteria, answers, frozenset())(facts)}
    # A budget or answer-time rule reads sized facts, so it waits for sizing.
    sized_rules = every - early
    assert {"within-budget", "max-response-time"} <= sized_rules, sized_rules
    assert early and early < every


def test_only_builds_the_one_option_asked_for(inputs):
    catalog, _ = inputs
    found = enumerate_screened(catalog, Usage(), AS_OF, only="vllm/llama-3.1-8b-instruct")
    assert [o.id for o in found.options] == ["vllm/llama-3.1-8b-instruct"]
    assert found.options[0].facts["monthly_cost"] is not None
