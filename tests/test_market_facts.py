"""Speed basis, combined quality signals, dated prices in the options, and the
references the new fields make (stand-in offerings, conflicting sources)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from llmchoose.engine.option import quality_percentiles
from llmchoose.engine.options import enumerate_options
from llmchoose.engine.usage import Usage
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors

FIXTURE = Path(__file__).parent / "data" / "kb" / "all.yaml"
TODAY = dt.date(2026, 12, 1)


def fixture_data() -> dict:
    return yaml.safe_load(FIXTURE.read_text())


def load(tmp_path: Path, data: dict):
    folder = tmp_path / "kb"
    folder.mkdir(exist_ok=True)
    (folder / "all.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return load_catalog(layers=[folder])


def offering_in(data: dict, offering_id: str) -> dict:
    return next(o for o in data["offerings"] if o["id"] == offering_id)


def api_facts(catalog, usage=None, today=TODAY) -> dict[str, dict]:
    options, _ = enumerate_options(catalog, usage or Usage(), today)
    return {o.id: o.facts for o in options if o.facts["deployment"] == "api"}


def test_speed_basis_tells_measured_from_stand_in_and_unknown(tmp_path):
    data = fixture_data()
    offering_in(data, "host-co/open-70b")["performance"] = {
        "output_tokens_per_s": 80,
        "ttft_s": 0.8,
        "method": "independent",
        "measured": "2026-10-30",
        "stand_in": "api-co/big-closed",
    }
    facts = api_facts(load(tmp_path, data))
    assert facts["api-co/big-closed"]["speed_basis"] == "measured"
    assert facts["api-co/big-closed"]["speed_measured"] == dt.date(2026, 10, 30)
    assert facts["host-co/open-70b"]["speed_basis"] == "stand-in"
    assert facts["host-co/open-70b"]["speed_stand_in"] == "api-co/big-closed"
    del offering_in(data, "host-co/open-70b")["performance"]
    facts = api_facts(load(tmp_path, data))
    assert facts["host-co/open-70b"]["speed_basis"] is None
    assert facts["host-co/open-70b"]["speed_measured"] is None


def test_a_stand_in_must_name_an_existing_offering(tmp_path):
    data = fixture_data()
    offering_in(data, "host-co/open-70b")["performance"] = {
        "output_tokens_per_s": 80,
        "method": "independent",
        "measured": "2026-10-30",
        "stand_in": "api-co/big-closd",
    }
    with pytest.raises(KnowledgeErrors) as caught:
        load(tmp_path, data)
    message = str(caught.value.errors[0])
    assert "stand_in 'api-co/big-closd' does not exist" in message
    assert "api-co/big-closed" in message  # did you mean


def test_conflicting_sources_must_exist_and_say_what_conflicts(tmp_path):
    data = fixture_data()
    data["sources"].append(
        {
            "id": "other-doc",
            "title": "Another page of the same vendor",
            "url": "https://example.com/other",
            "conflicts_with": ["fixture"],
            "note": "Says prompts are kept 30 days; the fixture page says none.",
        }
    )
    catalog = load(tmp_path, data)
    assert catalog.sources["other-doc"].conflicts_with == ["fixture"]
    assert catalog.sources["other-doc"].kind == "vendor"
    broken = copy.deepcopy(data)
    broken["sources"][-1]["conflicts_with"] = ["fixtur"]
    with pytest.raises(KnowledgeErrors, match="conflicts_with 'fixtur' does not exist"):
        load(tmp_path, broken)
    silent = copy.deepcopy(data)
    del silent["sources"][-1]["note"]
    with pytest.raises(KnowledgeErrors, match="needs a note saying what conflicts"):
        load(tmp_path, silent)


def test_quality_averages_the_positions_on_each_signal(tmp_path):
    data = fixture_data()
    models = {m["id"]: m for m in data["models"]}
    # lmarena: tiny-1b 1100 < open-8b 1180 < small-closed 1300 < open-70b 1320 < big-closed 1450
    models["big-closed"]["quality"]["aa-intelligence-index"] = 40
    models["open-70b"]["quality"]["aa-intelligence-index"] = 50
    models["open-8b"]["quality"] = {"aa-intelligence-index": 30}
    quality = quality_percentiles(load(tmp_path, data))
    # big-closed: 1.0 on lmarena (top of 4), 0.5 on AA (middle of 3) -> 0.75
    assert quality["big-closed"] == (pytest.approx(0.75), "lmarena-text + aa-intelligence-index")
    # open-70b: 2/3 on lmarena, 1.0 on AA
    assert quality["open-70b"][0] == pytest.approx((2 / 3 + 1.0) / 2)
    # open-8b has only the second signal, and is lowest there
    assert quality["open-8b"] == (0.0, "aa-intelligence-index")
    assert quality["tiny-1b"] == (0.0, "lmarena-text")


def test_the_option_cost_uses_the_price_in_force_on_the_evaluation_date(tmp_path):
    data = fixture_data()
    offering_in(data, "api-co/small-closed")["price_changes"] = [
        {"starts": "2027-01-01", "price": {"input": 0.5, "output": 4.0, "cached_input": 0.05}}
    ]
    catalog = load(tmp_path, data)
    before = api_facts(catalog, today=dt.date(2026, 12, 31))["api-co/small-closed"]
    after = api_facts(catalog, today=dt.date(2027, 1, 1))["api-co/small-closed"]
    assert after["monthly_cost"] == pytest.approx(2 * before["monthly_cost"], rel=1e-3)


def test_a_long_prompt_workload_pays_the_tier_price(tmp_path):
    data = fixture_data()
    price = offering_in(data, "api-co/big-closed")["price"]
    price["tiers"] = [
        {"above_input_tokens": 200_000, "input": 5.0, "output": 22.5, "cached_input": 0.5}
    ]
    catalog = load(tmp_path, data)
    short = api_facts(catalog, Usage(input_tokens=200_000, output_tokens=100))
    long = api_facts(catalog, Usage(input_tokens=200_001, output_tokens=100))
    ratio = long["api-co/big-closed"]["monthly_cost"] / short["api-co/big-closed"]["monthly_cost"]
    assert ratio == pytest.approx(2.0, rel=0.01)
    # An offering without tiers grows only with the token count.
    flat = (
        long["api-co/small-closed"]["monthly_cost"] / short["api-co/small-closed"]["monthly_cost"]
    )
    assert flat == pytest.approx(1.0, rel=0.01)


def test_an_unpriced_offering_still_loads_and_has_unknown_cost(tmp_path):
    data = fixture_data()
    del offering_in(data, "host-co/open-70b")["price"]
    facts = api_facts(load(tmp_path, data))
    assert facts["host-co/open-70b"]["monthly_cost"] is None
    assert facts["api-co/big-closed"]["monthly_cost"] is not None


def test_the_report_says_when_a_sibling_measurement_stands_in():
    from llmchoose.report.compare import _latency

    stand_in = {
        "response_time_s": 4.5,
        "ttft_s": 0.8,
        "output_tokens_per_s": 80.0,
        "speed_basis": "stand-in",
        "speed_measured": dt.date(2026, 10, 30),
        "speed_stand_in": "api-co/big-closed",
    }
    text = _latency(stand_in, None)
    assert text.endswith(
        "(not measured itself: api-co/big-closed's measurement on 2026-10-30 stands in)"
    )
    own = stand_in | {"speed_basis": "measured", "speed_stand_in": None}
    assert _latency(own, None).endswith("(measured on 2026-10-30)")
    assert _latency({"response_time_s": None}, None) == "Not known"
