"""Measured speeds read back from the knowledge base: matching, predicted against
measured, and the age a check policy may require."""

from __future__ import annotations

import datetime as dt

import pytest
from probe_server import serve

from llmchoose.engine.measured import (
    find_measurement,
    measured_ages,
    predicted_vs_measured,
    stale_measurements,
)
from llmchoose.loading.knowledge import load_catalog

DAY = dt.date(2026, 12, 1)


def _measurement(id_: str, **kw) -> dict:
    base = {
        "id": id_, "model": "open-8b", "runtime": "server-rt", "hardware": "gpu-80", "count": 1,
        "quantization": "bf16", "concurrency": 1, "input_tokens": 1000, "output_tokens": 256,
        "output_tokens_per_s": 100.0, "method": "own", "source": "lab", "as_of": "2026-11-20",
    }  # fmt: skip
    return {**base, **kw}


@pytest.fixture
def catalog(fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "layer/m.yaml": {
                "sources": [{"id": "lab", "title": "Lab run", "url": "http://127.0.0.1:8000/v1"}],
                "measurements": [
                    _measurement("c1", concurrency=1, output_tokens_per_s=120.0, ttft_s=0.05),
                    _measurement("c8", concurrency=8, output_tokens_per_s=90.0),
                    _measurement("c32", concurrency=32, output_tokens_per_s=60.0),
                    _measurement(
                        "pub-c8",
                        concurrency=8,
                        output_tokens_per_s=99.0,
                        method="independent",
                        as_of="2026-11-30",
                    ),
                    _measurement("other-hw", hardware="gpu-24", output_tokens_per_s=40.0),
                ],
                "offerings": [
                    {
                        "id": "api-co/big-closed",
                        "source": "lab",
                        "as_of": "2026-10-01",
                        "performance": {
                            "output_tokens_per_s": 70.5,
                            "ttft_s": 0.9,
                            "method": "own",
                            "measured": "2026-10-01",
                        },
                    },
                ],
            }
        }
    )
    return load_catalog([tmp_path / "layer"])


@pytest.mark.parametrize(
    ("concurrency", "record"), [(1, "c1"), (6, "c8"), (20, "c32"), (300, "c32")]
)
def test_nearest_concurrency_of_the_best_method(catalog, concurrency, record):
    found = find_measurement(
        catalog, "server-rt/open-8b", hardware="gpu-80", concurrency=concurrency
    )
    assert found.record == record and found.method == "own"


def test_only_the_same_configuration_matches(catalog):
    assert (
        find_measurement(catalog, "server-rt/open-8b", hardware="gpu-24").output_tokens_per_s == 40
    )
    assert find_measurement(catalog, "server-rt/open-8b", hardware="gpu-80", count=2) is None
    assert (
        find_measurement(catalog, "server-rt/open-8b", hardware="gpu-80", quantization="int4")
        is None
    )
    assert find_measurement(catalog, "laptop-rt/open-8b", hardware="gpu-80") is None


def test_predicted_against_measured(catalog):
    found = find_measurement(catalog, "server-rt/open-8b", hardware="gpu-80")
    rows = predicted_vs_measured({"output_tokens_per_s": 150.0, "ttft_s": None}, found)
    assert rows[0] == {
        "figure": "output_tokens_per_s", "predicted": 150.0, "measured": 120.0, "error_percent": 25.0,
    }  # fmt: skip
    assert rows[1]["measured"] == 0.05 and rows[1]["error_percent"] is None


def test_ages_of_own_measurements(catalog):
    ages = measured_ages(catalog, "server-rt/open-8b", DAY)
    assert [a["record"] for a in ages][:3] == ["c1", "c32", "c8"]
    assert "pub-c8" not in [a["record"] for a in ages]  # not our own
    assert ages[0]["age_days"] == 11
    (offering,) = measured_ages(catalog, "api-co/big-closed", DAY)
    assert offering["age_days"] == 61 and offering["source"] == "lab"


def test_policy_on_measurement_age(catalog):
    assert stale_measurements(catalog, "server-rt/open-8b", DAY, 30) is None
    stale = stale_measurements(catalog, "api-co/big-closed", DAY, 30)
    assert "61 days old (2026-10-01)" in stale["message"]
    assert stale["details"]["record"] == "api-co/big-closed"
    missing = stale_measurements(catalog, "api-co/small-closed", DAY, 30)
    assert "no measurement of your own" in missing["message"]


def test_engine_uses_the_probed_api_figures(fixture_kb, run_cli):
    """probe → overlay → the option the engine builds carries the measured latency and
    credits it to the probe run."""
    from llmchoose.engine.options import enumerate_options
    from llmchoose.engine.usage import Usage

    with serve() as (url, _app):
        code, _out, err = run_cli(
            "probe", url, "--model", "ttft=0.1,itl=0.01,tokens=10", "--warmup", "0",
            "--requests", "3", "--option", "api-co/small-closed", "--as-of", "2026-12-01",
        )  # fmt: skip
    assert code == 0, err
    options, _ = enumerate_options(load_catalog(), Usage(), DAY)
    option = next(o for o in options if o.id == "api-co/small-closed")
    assert 0.1 <= option.facts["ttft_s"] < 0.4  # the fixture's own figure was 0.4
    catalog = load_catalog()
    offering = catalog.offerings["api-co/small-closed"]
    assert offering.provenance_of("performance.ttft_s").source == "probe-api-co-small-closed"
    assert offering.provenance_of("price.input").source == "fixture"
    assert stale_measurements(catalog, "api-co/small-closed", DAY, 7) is None


class _Collector:
    """Stands in for the check run's collector: records what would be reported."""

    def __init__(self):
        self.added = []

    def line(self, *loc):
        return 7

    def add(self, code, message, **kw):
        self.added.append((code, message, kw))


class _Policy:
    def __init__(self, days):
        self.max_measurement_age_days = days


@pytest.mark.parametrize(
    ("option", "days", "reported"),
    [
        ("server-rt/open-8b", 30, False),
        ("server-rt/open-8b", 5, True),
        ("api-co/small-closed", 365, True),  # never measured
        ("api-co/small-closed", None, False),  # the policy asks for nothing
    ],
)
def test_check_reports_measurements_older_than_the_policy(catalog, option, days, reported):
    from llmchoose.decision.check.measured import check_measurement_age

    out = _Collector()
    check_measurement_age(out, (0, "chat"), option, catalog, DAY, _Policy(days))
    assert bool(out.added) is reported
    if reported:
        code, message, details = out.added[0]
        assert code == "LC041" and "re-run `llmchoose probe`" in message
        assert details["option"] == option and details["line"] == 7
        assert details["max_age_days"] == days
