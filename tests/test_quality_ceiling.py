"""An unrated open model's quality may not range above the best rated model of its size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llmchoose.engine.option import Option, quality_ceilings, quality_percentiles
from llmchoose.engine.recommend import recommend
from llmchoose.engine.scoring import score_factor
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog

AS_OF = dt.date(2026, 12, 1)
TEAMS = Path(__file__).parent / "data" / "teams"


@pytest.fixture(scope="module")
def builtin():
    return load_catalog(), load_criteria()


def test_the_ceiling_is_the_best_rated_model_no_larger(builtin):
    catalog, _ = builtin
    quality = quality_percentiles(catalog)
    ceilings = quality_ceilings(catalog, quality)
    assert ceilings, "the built-in base has unrated open models of known size"
    for model_id, ceiling in ceilings.items():
        size = catalog.models[model_id].parameters.total_b
        no_larger = [
            quality[m.id][0]
            for m in catalog.models.values()
            if m.id in quality and m.parameters.total_b and m.parameters.total_b <= size
        ]
        assert ceiling == max(no_larger)
    # Rated models and closed models of unknown size get none.
    assert not set(ceilings) & set(quality)
    assert all(catalog.models[m].parameters.total_b for m in ceilings)


def _option(quality, ceiling):
    facts = {"quality": quality, "quality_ceiling": ceiling}
    return Option("x", "x", "self-hosted", facts, cost=None)  # type: ignore[arg-type]


def test_an_unknown_quality_ranges_up_to_its_ceiling_only(builtin):
    _, criteria = builtin
    factor = criteria.by_id()["quality"]
    options = [_option(None, None), _option(None, 0.1), _option(None, 0.9), _option(0.2, None)]
    column = score_factor(factor, options, {})
    assert (column.low[0], column.high[0], column.values[0]) == (0.0, 0.6, 0.3)
    assert (column.low[1], column.high[1]) == (0.0, 0.1)
    assert column.values[1] == pytest.approx(0.05)
    assert column.high[2] == 0.6  # a ceiling never raises the prior
    assert column.values[3] == pytest.approx(0.2)


def test_a_rated_small_model_outranks_an_unrated_one_of_its_size(builtin):
    catalog, criteria = builtin
    decision = load_decision(TEAMS / "phone-notes.yaml", criteria)
    [result] = recommend(decision, catalog, criteria, as_of=AS_OF, samples=200).workloads
    models = [a.model for a in result.alternatives]
    assert models.index("ministral-3-8b") < models.index("mistral-7b-instruct-v0.3")
    assert result.headline.option.facts["quality"] is not None
