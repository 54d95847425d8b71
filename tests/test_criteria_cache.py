"""The decision factors come from the cache only when their files are unchanged, and
then they are the same factors, questions and defaults (line numbers included)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cachehelp import counting_cache
from test_kb_cache import shape

import llmchoose.loading.criteria as criteria_module
from llmchoose.loading.criteria import CriteriaSet, load_criteria
from llmchoose.loading.layers import KnowledgeErrors


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """The cache on, in this test's own folder; counts the YAML files parsed."""
    return counting_cache(monkeypatch, tmp_path, criteria_module, "criteria")


def assert_same_criteria(cached: CriteriaSet, fresh: CriteriaSet) -> None:
    assert [c.id for c in cached.criteria] == [c.id for c in fresh.criteria]
    for mine, theirs in zip(cached.criteria, fresh.criteria, strict=True):
        assert shape(mine) == shape(theirs), mine.id
    assert list(cached.files.items()) == list(fresh.files.items())


def _defaults_with_lines(found: CriteriaSet) -> list:
    """Question defaults that are YAML data as read: lists and mappings with lines."""
    return [
        (q.id, type(q.default).__name__, q.default.line, q.default.lines)
        for q in found.questions.values()
        if hasattr(q.default, "lines")
    ]


def test_the_built_in_factors_from_the_cache_are_the_same(cache):
    folder, parsed = cache
    fresh = load_criteria()
    count = len(parsed)
    assert count > 0 and len(list(folder.glob("*.json"))) == 1
    cached = load_criteria()
    assert len(parsed) == count
    assert_same_criteria(cached, fresh)
    kept = _defaults_with_lines(fresh)
    assert kept and _defaults_with_lines(cached) == kept


def test_a_project_layer_from_the_cache_keeps_its_change(cache, tmp_path):
    _, parsed = cache
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "cost.yaml").write_text(
        "id: cost\nquestions:\n  - id: requests_per_day\n    default: 50000\n", encoding="utf-8"
    )
    fresh = load_criteria([folder])
    count = len(parsed)
    cached = load_criteria([folder])
    assert len(parsed) == count
    assert_same_criteria(cached, fresh)
    assert cached.questions["requests_per_day"].default == 50000
    assert cached.files["cost"] == folder / "cost.yaml"

    (folder / "cost.yaml").write_text(
        "id: cost\nquestions:\n  - id: requests_per_day\n    default: 70000\n", encoding="utf-8"
    )
    changed = load_criteria([folder])
    assert len(parsed) == 2 * count
    assert changed.questions["requests_per_day"].default == 70000


def test_factors_with_errors_are_reported_every_time_and_never_cached(cache, tmp_path):
    folder, _ = cache
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cost.yaml").write_text("id: cost\nscoring:\n  scorer: magic\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeErrors) as caught:
            load_criteria([bad])
        assert Path(caught.value.errors[0].file) == bad / "cost.yaml"
    assert not folder.exists() or not list(folder.glob("*.json"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: entry.update(criteria=entry["criteria"][:100]),
        lambda entry: entry.update(files=entry["files"][1:]),
        lambda entry: entry.update(criteria=json.dumps([{"id": "cost"}])),
        lambda entry: entry.update(
            criteria=entry["criteria"].replace('"line":', '"line":"x","_":')
        ),
    ],
    ids=["cut", "file-missing", "not-a-factor", "bad-line"],
)
def test_a_damaged_entry_is_ignored(cache, damage):
    folder, parsed = cache
    fresh = load_criteria()
    count = len(parsed)
    path = next(folder.glob("*.json"))
    entry = json.loads(path.read_text(encoding="utf-8"))
    damage(entry)
    path.write_text(json.dumps(entry), encoding="utf-8")
    again = load_criteria()
    assert len(parsed) == 2 * count
    assert_same_criteria(again, fresh)
