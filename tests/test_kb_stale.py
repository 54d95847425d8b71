"""`kb stale`: facts due for review, and retirements and deprecations."""

from __future__ import annotations

import json

import pytest

SOURCES = [{"id": "s", "title": "S", "url": "https://example.com/s"}]


@pytest.fixture
def cli(run_cli):
    return run_cli


def _stale(cli, *args):
    code, out, err = cli("kb", "stale", "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_every_fixture_fact_is_due_after_180_days(cli, fixture_kb):
    # Fixture facts were checked on 2026-11-01: 212 days before 2027-06-01.
    result = _stale(cli, "--as-of", "2027-06-01", "--older-than", "180d")
    assert {r["age_days"] for r in result["stale"]} == {212}
    fields = {r["field"] for r in result["stale"] if r["id"] == "api-co/small-closed"}
    # The facts the record states; defaults it never wrote (status, imported) are not facts.
    assert fields == {
        "provider", "model", "regions", "price.input", "price.output", "price.cached_input",
        "fine_tuning", "performance.output_tokens_per_s", "performance.ttft_s",
        "performance.method", "performance.percentile", "performance.measured",
    }  # fmt: skip
    assert {r["kind"] for r in result["stale"]} == {
        "providers",
        "models",
        "offerings",
        "runtimes",
        "hardware",
        "quantizations",
    }
    assert _stale(cli, "--as-of", "2027-06-01", "--older-than", "1y")["stale"] == []
    assert _stale(cli, "--as-of", "2027-06-01", "--older-than", "30w")["older_than_days"] == 210


def test_a_fact_with_newer_provenance_is_not_due(cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "ours/price.yaml": {
                "sources": [{"id": "ours", "title": "Ours", "url": "https://example.com/o"}],
                "offerings": [{"id": "api-co/big-closed", "price": {"input": 2.0}, "source": "ours", "as_of": "2027-05-01"}],
            }
        }
    )  # fmt: skip
    result = _stale(cli, "--as-of", "2027-06-01", "--kb", str(tmp_path / "ours"))
    fields = {r["field"] for r in result["stale"] if r["id"] == "api-co/big-closed"}
    assert "price.input" not in fields
    assert {"price.output", "price.cached_input"} <= fields


def test_retirements_due_within_the_window_and_past(cli, fixture_kb):
    # small-closed retires on 2027-03-01 in the fixture.
    soon = _stale(cli, "--as-of", "2027-01-15", "--within", "90d")["lifecycle"]
    assert soon == [
        {"kind": "models", "id": "small-closed", "event": "retires", "date": "2027-03-01",
         "days": 45, "source": "fixture", "as_of": "2026-11-01"}
    ]  # fmt: skip
    assert _stale(cli, "--as-of", "2026-11-15", "--within", "90d")["lifecycle"] == []
    past = _stale(cli, "--as-of", "2027-04-01")["lifecycle"]
    assert [(r["id"], r["event"], r["days"]) for r in past] == [("small-closed", "retired", -31)]


def test_deprecations_are_listed(cli, write_tree, tmp_path, monkeypatch):
    def model(**extra):
        return {"name": "M", "vendor": "V", "family": "f", "open_weights": False, "context_window": 1000,
                "licence": {"id": "proprietary", "commercial_use": True}, "source": "s", "as_of": "2026-11-01",
                **extra}  # fmt: skip

    write_tree(
        {
            "kb/k.yaml": {
                "sources": SOURCES,
                "providers": [{"id": "p", "name": "P", "vendor": "P", "kind": "model-vendor", "source": "s", "as_of": "2026-11-01"}],
                "models": [model(id="old", deprecated="2026-09-01"), model(id="fine")],
                "offerings": [
                    {"id": "p/fine", "provider": "p", "model": "fine", "status": "deprecated", "source": "s", "as_of": "2026-11-01"},
                    {"id": "p/old", "provider": "p", "model": "old", "retires": "2027-01-10", "source": "s", "as_of": "2026-11-01"},
                ],
            }
        }
    )  # fmt: skip
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(tmp_path / "kb"))
    events = _stale(cli, "--as-of", "2026-12-01", "--within", "60d")["lifecycle"]
    assert [(r["kind"], r["id"], r["event"], r["date"]) for r in events] == [
        ("models", "old", "deprecated", "2026-09-01"),
        ("offerings", "p/old", "retires", "2027-01-10"),
        ("offerings", "p/fine", "deprecated", None),
    ]


def test_the_table_groups_facts_by_record(cli, fixture_kb):
    code, out, _ = cli("kb", "stale", "--as-of", "2027-06-01", "--exit-code")
    assert code == 1
    line = next(line for line in out.splitlines() if "offerings host-co/open-70b" in line)
    assert "price.input" in line and "fixture" in line and "2026-11-01" in line
    assert "small-closed" in out and "retired" in out


def test_nothing_due_says_so(cli, fixture_kb):
    code, out, err = cli("kb", "stale", "--as-of", "2026-11-02", "--exit-code")
    assert code == 0
    assert out == ""
    assert "Nothing due" in err


def test_a_bad_age_is_an_input_error(cli, fixture_kb):
    code, _, err = cli("kb", "stale", "--older-than", "soon")
    assert code == 2
    assert err == (
        "Error: cannot read the age 'soon' "
        "(a number of days, weeks, months or years: 180d, 26w, 6m, 1y)\n"
    )


def test_imported_records_can_be_left_out(cli, fixture_kb, write_tree, tmp_path):
    from llmchoose.kb.kbsync.stale import lifecycle_events, stale_facts
    from llmchoose.loading.catalog import Catalog, Origin
    from llmchoose.loading.knowledge import load_catalog

    catalog: Catalog = load_catalog()
    from llmchoose.schemas.knowledge import Model, Offering

    imported_model = Model.model_validate(
        {"id": "gp.x.m", "name": "M", "vendor": "V", "family": "f", "open_weights": False,
         "context_window": 1, "licence": {"id": "unknown", "commercial_use": True},
         "source": "fixture", "as_of": "2026-01-01"}
    )  # fmt: skip
    imported = Offering.model_validate(
        {"id": "gp.x/m", "provider": "api-co", "model": "gp.x.m", "status": "deprecated",
         "imported": True, "source": "fixture", "as_of": "2026-01-01"}
    )  # fmt: skip
    origin = Origin(file=tmp_path / "x.yaml", line=1, layer=1)
    catalog.add("models", imported_model, origin)
    catalog.add("offerings", imported, origin)
    day = __import__("datetime").date(2026, 12, 1)
    with_ = {r["id"] for r in stale_facts(catalog, today=day, older_than_days=180)}
    without = {
        r["id"] for r in stale_facts(catalog, today=day, older_than_days=180, imported=False)
    }
    assert with_ == {"gp.x.m", "gp.x/m"} and without == set()
    assert [r["id"] for r in lifecycle_events(catalog, today=day, within_days=30)] == ["gp.x/m"]
    assert lifecycle_events(catalog, today=day, within_days=30, imported=False) == []


def test_recommend_warns_when_a_top_option_retires(run_cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {"d.yaml": {"project": {"name": "P"}, "answers": {"planning_horizon_months": 1},
                    "workloads": [{"id": "w", "name": "W"}]}}
    )  # fmt: skip
    code, out, err = run_cli(
        "recommend", str(tmp_path / "d.yaml"), "--format", "json", "--as-of", "2027-01-15"
    )
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    assert any("retire on 2027-03-01 (45 days" in w for w in warnings)
