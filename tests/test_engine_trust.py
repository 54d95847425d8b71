"""Behaviour a skeptical architect expects of the ranking, on decision files of our own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from enginehelp import rank

from llmchoose.engine.recommend import recommend
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog

TEAMS = Path(__file__).parent / "data" / "teams"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def builtin():
    return load_catalog(), load_criteria()


def run(name: str, builtin, **options):
    catalog, criteria = builtin
    decision = load_decision(TEAMS / name, criteria)
    return recommend(decision, catalog, criteria, as_of=AS_OF, samples=200, **options)


def test_a_lone_compliant_api_ranks_on_its_merits():
    # Only api-co/big-closed keeps data in the EU; its rivals are self-hosted.
    result = rank({"regulations": ["eu-residency"], "ops_capability": "none"}).workloads[0]
    api = [r for r in result.ranked if r.category == "proprietary-api"]
    assert [r.id for r in api] == ["api-co/big-closed"]
    item = api[0]
    # Its privacy score is its own (a provider under contract), not 0 for being the
    # least private of the options that happened to survive.
    assert 0.4 < item.factor_scores["privacy"] < 1.0
    assert item.factor_scores["compliance"] > 0.3
    # Ruling its rivals out changes nothing of its own score.
    alone = rank(
        {
            "regulations": ["eu-residency"],
            "ops_capability": "none",
            "data_location": "no-training",
            "app_type": "service",
            "privacy_preferred": [],
        },
    ).workloads[0]
    assert alone.find("api-co/big-closed").score == item.score
    # For a team that runs no servers it is the recommendation, and it says why.
    assert result.headline.id == "api-co/big-closed"
    assert result.verdict.level in ("clear", "moderate", "close")


def test_a_public_workload_and_a_sensitive_one_get_different_answers(builtin):
    rec = run("faq-and-pii.yaml", builtin)
    faq, accounts = rec.workloads
    assert faq.weights.values["privacy"] < accounts.weights.values["privacy"]
    assert faq.answers["privacy_importance"] == 1 and accounts.answers["privacy_importance"] == 5
    assert any("public" in note for note in faq.notes)
    assert faq.headline.category in ("proprietary-api", "hosted-open-weights")
    # The personal data stays in infrastructure the team controls: its own servers, or a
    # managed endpoint in its own cloud account (rented GPUs come with their cloud's terms).
    assert accounts.headline.category in ("self-hosted", "managed-in-account")
    assert accounts.headline.option.facts["data_leaves_infrastructure"] is False
    # The public bot is not sent to a GPU cluster: it costs a fraction of the private one.
    assert faq.headline.monthly_cost < accounts.headline.monthly_cost / 10
    assert rec.hybrid is not None and rec.hybrid.worthwhile


def test_a_project_wide_importance_that_the_data_contradicts_is_flagged():
    result = rank(
        {"privacy_importance": 5},
        workloads=[{"id": "faq", "name": "FAQ", "answers": {"data_sensitivity": "public"}}],
    ).workloads[0]
    assert result.answers["privacy_importance"] == 5  # what the team said stands
    assert any("privacy_importance for this workload" in w for w in result.warnings)


def test_eu_residency_as_a_rule_rules_out_and_as_a_preference_adds():
    horizon = {"planning_horizon_months": 1}
    rule = rank({"regulations": ["eu-residency"], **horizon}).workloads[0]
    preferred = rank({"regulations_preferred": ["eu-residency"], **horizon}).workloads[0]
    neither = rank(horizon).workloads[0]
    ruled_out = {e["id"] for e in rule.eliminated}
    assert {"api-co/small-closed", "host-co/open-70b"} <= ruled_out
    kept = {r.id for r in preferred.ranked}
    assert {"api-co/small-closed", "host-co/open-70b"} <= kept
    eu = preferred.find("api-co/big-closed")
    assert any("meets your preference: data kept in the EU" in n for n in eu.notes["compliance"])
    before = neither.find("api-co/big-closed").factor_scores["compliance"]
    assert eu.factor_scores["compliance"] == pytest.approx(min(1.0, before + 0.15))
    us = preferred.find("api-co/small-closed")
    assert us.factor_scores["compliance"] == neither.find("api-co/small-closed").factor_scores["compliance"]  # fmt: skip


WEIGHTS_THAT_SPLIT_THE_METHODS = {
    "privacy": 4, "compliance": 8, "cost": 8, "customization": 4, "integration": 4,
    "latency": 16, "offline": 1, "quality": 1, "lock_in": 16,
}  # fmt: skip


def test_when_the_methods_disagree_the_lead_is_not_called_clear():
    result = rank({}, weights=WEIGHTS_THAT_SPLIT_THE_METHODS).workloads[0]
    verdict = result.verdict
    assert not verdict.methods_agree
    assert verdict.level == "close" and verdict.label == "Close call"
    other = result.find(verdict.other_winner)
    assert f"TOPSIS ranks {other.name} first instead" in verdict.text
    assert verdict.text in result.explanation["close_call"]
    topsis = rank({}, weights=WEIGHTS_THAT_SPLIT_THE_METHODS, method="topsis").workloads[0]
    assert topsis.headline.id == verdict.other_winner


def test_the_top_of_the_list_is_distinct_models(builtin):
    rec = run("bank-two-workloads.yaml", builtin)
    for result in rec.workloads:
        models = [a.model for a in result.alternatives]
        assert len(models) == len(set(models))
        folded = {i for a in result.alternatives for i in a.folded}
        shown = {a.option.id for a in result.alternatives}
        assert not folded & shown
        assert folded | shown == {r.id for r in result.ranked}
        assert result.runner_up.option.facts["model"] != result.headline.option.facts["model"]
        assert result.sensitivity["runner_up"] == result.runner_up.id


def test_an_unknown_price_is_flagged_not_called_over_budget():
    result = rank(
        {"monthly_budget": 100},
        workloads=[{"id": "w", "name": "W", "answers": {"requests_per_day": 10}}],
    ).workloads[0]
    unknown = [r for r in result.ranked if not r.price_known]
    for item in unknown:
        assert any("price is unknown" in f for f in item.flags)
    for entry in result.eliminated:
        for reason in entry["reasons"]:
            assert "unknown a month" not in reason
    assert result.headline is None or result.headline.price_known


def test_a_tie_never_reads_as_needing_the_same_score(builtin):
    rec = run("own-gpus.yaml", builtin)
    for result in rec.workloads:
        runner = result.explanation.get("runner_up") or {"would_win_if": []}
        for sentence in runner["would_win_if"]:
            parts = re.findall(r"scored (\d\.\d\d) instead of (\d\.\d\d)", sentence)
            assert all(a != b for a, b in parts), sentence


def test_a_misspelt_preference_is_refused_with_a_suggestion(run_cli, tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        "project: {name: P}\nworkloads:\n  - id: w\n    name: W\n    answers:\n"
        "      regulations_preferred: [hippa]\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("recommend", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {path}:6: workloads[0].answers.regulations_preferred: ")
    assert "'hippa' is not a choice" in err and "(did you mean 'hipaa'?)" in err


def test_the_table_counts_distinct_models_from_one(run_cli):
    # Unpriced managed endpoints score above the priced options of the same models; they
    # are folded under those, and the table still starts at 1 and counts as check does.
    team = TEAMS / "regulated-cloud-account.yaml"
    code, out, _ = run_cli("recommend", str(team), "--as-of", AS_OF.isoformat(), "--top", "4")
    assert code == 0
    numbers = re.findall(r"^\s*(\d+) │", out, flags=re.MULTILINE)
    assert numbers == ["1", "2", "3", "4"], out


def test_a_gpu_the_lab_owns_is_costed_as_power_and_people_and_loses_to_a_cheap_api(builtin):
    """An owned RTX 5090 costs only power, but the hours to run it cost more than a
    small API bill for 400 nightly digests; the self-hosted option says both."""
    workload = run("lab-owned-workstation.yaml", builtin).workloads[0]
    headline = workload.headline
    assert headline.category in ("proprietary-api", "hosted-open-weights")
    own = workload.category_best["self-hosted"]
    assert own.option.facts["hardware"] == "nvidia-rtx-5090-32gb"
    assert own.option.facts["gpus_rented"] is False
    assert own.option.cost.structure == "owned-hardware"
    assert own.cost_breakdown["operations"] > own.cost_breakdown["power"] > 0
    assert headline.monthly_cost < own.monthly_cost


def test_a_hard_latency_limit_holds_for_every_ranked_option_with_a_known_time(builtin):
    workload = run("voice-latency-limit.yaml", builtin).workloads[0]
    times = [r.option.facts.get("response_time_s") for r in workload.ranked]
    assert all(t <= 1.5 for t in times if t is not None)
    assert workload.headline.option.facts["response_time_s"] <= 1.5
    slow = [e for e in workload.eliminated if "latency.max-response-time" in e["constraints"]]
    assert slow  # the limit rules options out, with its reason
