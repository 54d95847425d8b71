"""A model's provenance is worked out once per model object, never shared between two."""

from __future__ import annotations

import datetime as dt
import gc

from enginehelp import FIXTURE_KB

from llmchoose.engine import option
from llmchoose.engine.option import model_provenance
from llmchoose.loading.knowledge import load_catalog
from llmchoose.schemas.common import Provenance


def a_model():
    catalog = load_catalog(layers=[FIXTURE_KB])
    return next(iter(catalog.models.values()))


def test_each_call_gives_a_dict_of_its_own():
    model = a_model()
    first = model_provenance(model)
    first["offering.price"] = ("someone", dt.date(2026, 1, 1))
    second = model_provenance(model)
    assert "offering.price" not in second
    assert second["model.quality"] == (model.source, model.as_of)


def test_a_changed_copy_of_a_model_gets_its_own_provenance():
    model = a_model()
    assert model_provenance(model)["model.quality"] == (model.source, model.as_of)
    checked = Provenance(source="leaderboard", as_of=dt.date(2026, 11, 1))
    copy = model.model_copy(update={"provenance": {"quality": checked}})
    assert model_provenance(copy)["model.quality"] == ("leaderboard", dt.date(2026, 11, 1))
    assert model_provenance(model)["model.quality"] == (model.source, model.as_of)


def test_the_entry_goes_with_its_model():
    model = a_model().model_copy()  # held by nothing else, whatever keeps catalogues
    model_provenance(model)
    key = id(model)
    assert key in option._MODEL_PROVENANCE
    del model
    gc.collect()
    assert key not in option._MODEL_PROVENANCE
