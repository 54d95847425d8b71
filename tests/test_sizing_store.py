"""Sizings are remembered between runs for the same catalogue contents and workload, and
a run that finds them gives exactly the answer a run that sizes everything gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from llmchoose.engine import sizing
from llmchoose.engine.recommend import recommend
from llmchoose.engine.serialize import recommendation_to_dict
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog

EXAMPLES = Path(__file__).parent.parent / "examples"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def store_on(monkeypatch, tmp_path) -> Path:
    monkeypatch.delenv("LLMCHOOSE_NO_CACHE")
    folder = tmp_path / "cache"
    monkeypatch.setenv("LLMCHOOSE_CACHE_DIR", str(folder))
    return folder / "sizing"


def _ranked(example: str, key: str | None, **edits) -> tuple[dict, object]:
    """A recommendation from a freshly loaded catalogue with the given content key."""
    catalog = load_catalog()
    catalog.content_key = key  # type: ignore[attr-defined]
    criteria = load_criteria()
    decision = load_decision(EXAMPLES / example, criteria)
    if edits:
        decision = decision.model_copy(update={"answers": {**decision.answers, **edits}})
    rec = recommend(decision, catalog, criteria, as_of=AS_OF)
    store = getattr(catalog, "_sizing_store", None)
    if store is not None:
        store.flush()  # what the end of the process does
    return recommendation_to_dict(rec, top=100_000), catalog


def _no_sizing(monkeypatch) -> list[str]:
    """Make working out a plan fail loudly, and count the attempts."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(args[1].id)
        raise AssertionError("sized although the store holds the answer")

    monkeypatch.setattr(sizing, "_plan", refuse)
    return attempts


def test_a_second_run_sizes_nothing_and_answers_the_same(store_on, monkeypatch):
    first, _ = _ranked("startup-chatbot.yaml", "kb-1")
    assert list(store_on.glob("*.json")), "the first run kept its sizings"
    attempts = _no_sizing(monkeypatch)
    second, _ = _ranked("startup-chatbot.yaml", "kb-1")
    assert attempts == []
    assert second == first


def test_the_store_answers_exactly_what_sizing_answers(store_on, monkeypatch):
    remembered, _ = _ranked("hospital-clinical-notes.yaml", "kb-1")
    remembered, _ = _ranked("hospital-clinical-notes.yaml", "kb-1")
    monkeypatch.setenv("LLMCHOOSE_NO_CACHE", "1")
    fresh, _ = _ranked("hospital-clinical-notes.yaml", "kb-1")
    assert remembered == fresh


def test_another_catalogue_or_workload_is_sized_again(store_on, monkeypatch):
    _ranked("startup-chatbot.yaml", "kb-1")
    attempts = _no_sizing(monkeypatch)
    with pytest.raises(AssertionError):
        _ranked("startup-chatbot.yaml", "kb-2")
    with pytest.raises(AssertionError):
        _ranked("startup-chatbot.yaml", "kb-1", max_response_s=2)
    assert len(attempts) == 2


def test_a_catalogue_of_unknown_contents_is_never_stored(store_on):
    _ranked("startup-chatbot.yaml", None)
    assert not store_on.exists() or not list(store_on.glob("*.json"))


@pytest.mark.parametrize("example", ["startup-chatbot.yaml", "hybrid-support-and-notes.yaml"])
def test_a_damaged_entry_is_sized_again(store_on, example):
    first, _ = _ranked(example, "kb-1")
    kept = [json.loads(e.read_text())["sizings"] for e in store_on.glob("*.json")]
    assert any(item.startswith("plans|") for sizings in kept for item in sizings)
    for entry in store_on.glob("*.json"):
        data = json.loads(entry.read_text())
        for item in data["sizings"]:
            data["sizings"][item] = {"deployment": {"hardware": 3}, "plans": [["x"]]}
        entry.write_text(json.dumps(data))
    again, _ = _ranked(example, "kb-1")
    assert again == first
