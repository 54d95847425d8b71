"""Every kind of finding `check` reports, each from a decision whose facts, answers or
policy were changed to cause exactly it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from llmchoose.decision.check.run import check_files
from llmchoose.decision.decide import decide
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog

DATA = Path(__file__).parent / "data"
FIXTURE_KB = DATA / "kb"
OVERLAYS = DATA / "check"
AS_OF = dt.date(2026, 11, 28)

CHAT = """\
# yaml-language-server: $schema=llm-decision.schema.json
# A support chatbot (test decision).
version: 1
project:
  name: Test chat
answers:
  ops_capability: none
  time_to_launch: days
  integration_importance: 5
  lock_in_importance: 1
  planning_horizon_months: 12
workloads:
  - id: chat
    name: Chat
    answers:
      requests_per_day: 2000  # a busy day
      input_tokens: 2000
      output_tokens: 300
      cached_share: 0.5
      latency_need: interactive
      min_context_tokens: 16000
"""


@pytest.fixture(scope="module")
def criteria():
    return load_criteria()


def catalog(*overlays: str | Path):
    layers = [FIXTURE_KB] + [OVERLAYS / o if isinstance(o, str) else o for o in overlays]
    return load_catalog(layers=layers)


BIG = {"chat": "api-co/big-closed"}  # the option the overlays in tests/data/check change


def decided(tmp_path: Path, criteria, text: str = CHAT, choose=BIG, name="d.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = decide(
        path, catalog=catalog(), criteria=criteria, as_of=AS_OF, choose=choose, decided_by="T"
    )
    path.write_text(result.text, encoding="utf-8")
    return path


def findings(path: Path, criteria, *overlays, as_of: dt.date = AS_OF, kb=None):
    """The report, and its findings other than ranking ones (tests of drift should not
    depend on how the engine happens to score the fixture options)."""
    report = check_files([path], catalog=kb or catalog(*overlays), criteria=criteria, as_of=as_of)
    return report, [f for f in report.findings if f.area != "ranking"]


def codes(found) -> list[str]:
    return [f.code for f in found]


@pytest.fixture(scope="module")
def ranked(criteria) -> list:
    """Today's ranking of the CHAT workload on the fixture knowledge base."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.schemas.decision import Decision

    decision = Decision.model_validate(yaml.safe_load(CHAT))
    rec = recommend(decision, catalog(), criteria, as_of=AS_OF, samples=10)
    return rec.workloads[0].ranked


def fourth_model(ranked: list):
    """The best option of the fourth distinct model (the same model elsewhere is one)."""
    seen: list[str] = []
    for item in ranked:
        model = item.option.facts["model"]
        if model not in seen:
            seen.append(model)
            if len(seen) == 4:
                return item
    raise AssertionError("fewer than four models")


def line_of_text(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_fresh_decision_holds(tmp_path, criteria, ranked):
    path = decided(tmp_path, criteria, choose=None)
    report = check_files([path], catalog=catalog(), criteria=criteria, as_of=AS_OF)
    assert report.findings == []
    assert report.exit_code == 0
    [status] = report.files[0].workloads
    assert (status.option, status.state, status.rank, status.best) == (
        ranked[0].id,
        "ranked",
        1,
        ranked[0].id,
    )


def test_invalid_yaml_is_lc001_with_its_line(tmp_path, criteria):
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nproject:\n  name: [unclosed\n")
    report, found = findings(path, criteria)
    assert codes(found) == ["LC001"]
    assert found[0].severity == "error" and found[0].line is not None
    assert "invalid YAML" in found[0].message
    assert report.exit_code == 1


def test_a_misspelt_key_is_lc001_with_did_you_mean_and_line(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "    choice:\n", "    choise:\n")
    _, found = findings(path, criteria)
    assert codes(found) == ["LC001"]
    assert "unknown key 'choise'" in found[0].message
    assert "did you mean 'choice'?" in found[0].message
    assert found[0].line == line_of_text(path, r"^\s+choise:")


def test_every_schema_problem_is_reported_not_just_the_first(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "  max_rank: 3", "  max_rank: 0")
    edit(path, "  max_margin: 0.05", "  max_margin: 2")
    _, found = findings(path, criteria)
    assert codes(found) == ["LC001", "LC001"]
    assert {f.line for f in found} == {
        line_of_text(path, "max_rank"),
        line_of_text(path, "max_margin"),
    }


def test_an_unknown_finding_code_in_the_policy_is_lc001(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    path.write_text(path.read_text() + "  severity:\n    LC099: error\n")
    _, found = findings(path, criteria)
    assert codes(found) == ["LC001"]
    assert "unknown finding code 'LC099'" in found[0].message


def test_unknown_question_is_lc002_with_did_you_mean(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "      input_tokens: 2000", "      input_tokns: 2000")
    _, found = findings(path, criteria)
    assert codes(found) == ["LC002"]
    assert "workloads[0].answers.input_tokns: unknown question" in found[0].message
    assert "did you mean 'input_tokens'?" in found[0].message
    assert found[0].line == line_of_text(path, "input_tokns")


def test_unknown_option_is_lc003_with_did_you_mean(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "option: api-co/big-closed", "option: api-co/big-closd")
    report, found = findings(path, criteria)
    assert codes(found) == ["LC003"]
    assert "did you mean 'api-co/big-closed'?" in found[0].message
    assert found[0].line == line_of_text(path, "option: api-co/big-closd")
    assert report.files[0].workloads[0].state == "unknown-option"


def test_a_workload_without_a_choice_is_lc004(tmp_path, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(CHAT)
    report, found = findings(path, criteria)
    assert codes(found) == ["LC004"]
    assert found[0].workload == "chat"
    assert found[0].line == line_of_text(path, "- id: chat")
    assert report.exit_code == 1


def test_a_choice_without_snapshot_is_lc005_and_cannot_drift(tmp_path, criteria):
    path = tmp_path / "d.yaml"
    path.write_text(CHAT + "    choice:\n      option: api-co/big-closed\n")
    report, found = findings(path, criteria, "price-up")
    assert codes(found) == ["LC005"]
    assert found[0].severity == "warning"
    assert report.exit_code == 0


def test_a_broken_hard_requirement_is_lc010_with_the_reason(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(
        path,
        "      requests_per_day: 2000",
        "      data_location: own-infrastructure\n      requests_per_day: 2000",
    )
    report, found = findings(path, criteria)
    assert codes(found) == ["LC010"]
    [f] = found
    assert f.severity == "error"
    assert f.details["constraint"] == "privacy.data-stays-in-house"
    assert "data may not leave your infrastructure" in f.message
    assert f.line == line_of_text(path, "option: api-co/big-closed")
    assert report.files[0].workloads[0].state == "ruled-out"


def test_an_option_below_max_rank_is_lc011(tmp_path, criteria, ranked):
    fourth = fourth_model(ranked)
    path = decided(tmp_path, criteria, choose={"chat": fourth.id})
    report = check_files([path], catalog=catalog(), criteria=criteria, as_of=AS_OF)
    rank = [f for f in report.findings if f.code == "LC011"]
    assert len(rank) == 1 and rank[0].severity == "error"
    assert rank[0].details["rank"] == 4 and rank[0].details["max_rank"] == 3
    assert "now ranks 4 of 4 distinct models" in rank[0].message
    assert rank[0].line == line_of_text(path, f"option: {fourth.id}")
    assert report.exit_code == 1
    edit(path, "  max_rank: 3", "  max_rank: 4")
    report = check_files([path], catalog=catalog(), criteria=criteria, as_of=AS_OF)
    assert "LC011" not in codes(report.findings)


def test_trailing_by_more_than_max_margin_is_lc012_and_its_severity_follows_the_policy(
    tmp_path, criteria, ranked
):
    second = ranked[1]
    gap = round(ranked[0].score - second.score, 4)
    assert gap > 0.002
    path = decided(tmp_path, criteria, choose={"chat": second.id})
    edit(path, "  max_margin: 0.05", f"  max_margin: {gap / 2:.4f}")

    def check():
        report = check_files([path], catalog=catalog(), criteria=criteria, as_of=AS_OF)
        return report, [f for f in report.findings if f.area == "ranking"]

    report, found = check()
    assert [(f.code, f.severity) for f in found] == [("LC012", "warning")]
    assert found[0].details["gap"] == pytest.approx(gap, abs=1e-4)
    assert found[0].details["best"] == ranked[0].id
    assert report.exit_code == 0
    path.write_text(path.read_text() + "  severity:\n    LC012: error\n")
    report, found = check()
    assert [(f.code, f.severity) for f in found] == [("LC012", "error")]
    assert report.exit_code == 1
    edit(path, f"  max_margin: {gap / 2:.4f}", f"  max_margin: {gap + 0.01:.4f}")
    assert check()[1] == []


def test_an_option_that_can_no_longer_be_built_is_lc013(tmp_path, criteria, write_tree):
    path = decided(tmp_path, criteria, choose={"chat": "server-rt/open-70b"})
    small = write_tree(
        {
            "small-gpus/hw.yaml": {
                "hardware": [
                    {"id": g, "memory_gb": 4, "source": "fixture", "as_of": "2026-11-20"}
                    for g in ("gpu-24", "gpu-80")
                ]
            }
        }
    )
    _, found = findings(path, criteria, small / "small-gpus")
    assert codes(found) == ["LC013"]
    assert "cannot serve this workload" in found[0].message


def test_a_price_rise_is_lc020_with_old_and_new_and_a_fall_is_lc021(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    report, found = findings(path, criteria, "price-up")
    by_code = {f.code: f for f in found}
    assert sorted(by_code) == ["LC020", "LC021", "LC025"]
    rise = by_code["LC020"]
    assert rise.severity == "warning"
    assert (rise.details["fact"], rise.details["old"], rise.details["new"]) == (
        "price_input",
        2.5,
        3,
    )
    assert rise.details["change_percent"] == 20.0
    assert "rose from 2.5 to 3 (+20%)" in rise.message
    assert rise.line == line_of_text(path, r"^\s+price_input:")
    fall = by_code["LC021"]
    assert (fall.details["fact"], fall.severity) == ("price_cached_input", "info")
    # The output price moved by exactly 10%: not above the threshold, so not reported.
    assert all(f.details.get("fact") != "price_output" for f in found)
    assert report.exit_code == 0


def test_the_price_threshold_comes_from_the_policy(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "  price_change_percent: 10", "  price_change_percent: 25")
    assert findings(path, criteria, "price-up")[1] == []


def test_changed_terms_are_lc022(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    _, found = findings(path, criteria, "terms")
    assert codes(found) == ["LC022", "LC022"]
    assert {f.details["fact"]: (f.details["old"], f.details["new"]) for f in found} == {
        "trains_on_api_data": (False, True),
        "retention_days": (30, 90),
    }
    assert "trains on API data changed from no to yes" in found[0].message


def test_a_changed_licence_is_lc023_and_may_break_a_requirement(tmp_path, criteria):
    path = decided(tmp_path, criteria, choose={"chat": "server-rt/open-70b"})
    report, found = findings(path, criteria, "terms")
    assert "LC010" in codes(found)  # commercial use is required; ranking is not checked then
    licence = [f for f in found if f.code == "LC023"]
    # The overlay merges into the licence: its user limit stays as it was.
    assert {f.details["fact"] for f in licence} == {"licence_id", "licence_commercial"}
    assert all(f.severity == "warning" for f in licence)
    assert report.exit_code == 1


def test_an_announced_retirement_is_lc024_and_lc030_within_the_horizon(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    # A one-month planning horizon: the lock-in rule does not rule the option out.
    edit(path, "  planning_horizon_months: 12", "  planning_horizon_months: 1")
    as_of = dt.date(2026, 12, 2)
    report, found = findings(path, criteria, "retired", as_of=as_of)
    assert codes(found) == ["LC024", "LC030"]
    changed, soon = found
    assert (changed.details["old"], changed.details["new"]) == (None, "2027-01-15")
    assert "retirement date changed from not stated to 2027-01-15" in changed.message
    assert soon.details["days"] == 44 and soon.severity == "warning"
    assert soon.line == line_of_text(path, r"^\s+retires:")
    assert report.exit_code == 0


def test_a_retirement_within_the_planning_horizon_also_breaks_the_lock_in_rule(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    report, found = findings(path, criteria, "retired", as_of=dt.date(2026, 12, 2))
    assert codes(found) == ["LC010", "LC024", "LC030"]
    assert found[0].details["constraint"] == "lock_in.not-retired"
    assert report.exit_code == 1


def test_a_passed_retirement_is_lc031(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    _, found = findings(path, criteria, "retired", as_of=dt.date(2027, 2, 1))
    retired = [f for f in found if f.code == "LC031"]
    assert len(retired) == 1 and retired[0].severity == "error"
    assert "retired on 2027-01-15, 17 days ago" in retired[0].message


def test_a_deprecated_model_or_runtime_is_lc032(tmp_path, criteria, write_tree):
    path = decided(tmp_path, criteria)
    overlay = write_tree(
        {
            "dep/models.yaml": {
                "models": [
                    {
                        "id": "big-closed",
                        "deprecated": "2026-11-15",
                        "source": "fixture",
                        "as_of": "2026-11-20",
                    }
                ]
            }
        }
    )
    _, found = findings(path, criteria, overlay / "dep")
    assert codes(found) == ["LC024", "LC032"]
    assert "was deprecated on 2026-11-15" in found[1].message


def test_old_facts_are_lc040_per_source_and_date(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    _, found = findings(path, criteria, as_of=dt.date(2027, 6, 1))
    assert codes(found) == ["LC040"]
    [stale] = found
    assert stale.details["source"] == "fixture"
    assert stale.details["age_days"] == 212
    assert "offering.price" in stale.details["fields"]
    assert "provider.compliance" in stale.details["fields"]
    edit(path, "  max_fact_age_days: 180", "  max_fact_age_days: 400")
    assert findings(path, criteria, as_of=dt.date(2027, 6, 1))[1] == []


def test_a_check_can_be_turned_off(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    path.write_text(path.read_text() + "  severity:\n    LC040: off\n")  # YAML reads false
    assert findings(path, criteria, as_of=dt.date(2027, 6, 1))[1] == []


def test_more_volume_is_lc025_cost_changed(tmp_path, criteria):
    path = decided(tmp_path, criteria)
    edit(path, "requests_per_day: 2000", "requests_per_day: 4000")
    _, found = findings(path, criteria)
    assert codes(found) == ["LC025"]
    assert found[0].details["change_percent"] == pytest.approx(100, abs=0.5)
    assert found[0].line == line_of_text(path, "monthly_cost:")


def test_a_self_hosted_choice_records_and_checks_the_hardware_price(tmp_path, criteria, write_tree):
    path = decided(tmp_path, criteria, choose={"chat": "server-rt/open-70b"})
    text = path.read_text()
    assert "hardware_price_per_hour: {value: 3," in text
    overlay = write_tree(
        {
            "gpu/hw.yaml": {
                "hardware": [
                    {"id": g, "price_per_hour": price, "source": "fixture", "as_of": "2026-11-20"}
                    for g, price in (("gpu-80", 4.5), ("gpu-24", 1.2))
                ]
            }
        }
    )
    _, found = findings(path, criteria, overlay / "gpu")
    rises = [f for f in found if f.code == "LC020"]
    assert [(f.details["fact"], f.details["old"], f.details["new"]) for f in rises] == [
        ("hardware_price_per_hour", 3, 4.5)
    ]
    assert "LC025" in codes(found)  # the monthly bill follows


def test_on_other_hardware_the_hourly_price_is_not_compared(tmp_path, criteria, write_tree):
    path = decided(tmp_path, criteria, choose={"chat": "server-rt/open-70b"})
    overlay = write_tree(
        {
            "gpu/hw.yaml": {
                "hardware": [
                    {
                        "id": "gpu-80",
                        "price_per_hour": 9.0,
                        "source": "fixture",
                        "as_of": "2026-11-20",
                    }
                ]
            }
        }
    )
    _, found = findings(path, criteria, overlay / "gpu")
    facts = {f.details.get("fact"): f for f in found if f.area == "facts"}
    assert facts["hardware"].code == "LC024"
    assert facts["hardware"].details["old"] == "gpu-80"
    assert "hardware_price_per_hour" not in facts


def test_findings_are_grouped_per_file_and_sorted_stably(tmp_path, criteria, ranked):
    a = decided(tmp_path, criteria, name="a.yaml")
    b = decided(tmp_path, criteria, name="b.yaml", choose={"chat": fourth_model(ranked).id})
    report = check_files([b, a], catalog=catalog("price-up"), criteria=criteria, as_of=AS_OF)
    assert [r.file for r in report.files] == [str(b), str(a)]
    again = check_files([b, a], catalog=catalog("price-up"), criteria=criteria, as_of=AS_OF)
    assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in again.findings]
    first = [f.code for f in report.files[0].findings]
    assert first[0] == "LC011"  # ranking before facts
    assert [f.code for f in report.files[1].findings if f.area == "facts"] == [
        "LC025",
        "LC020",
        "LC021",
    ]
