"""Open weights on a managed endpoint inside the team's own cloud account: a privacy
class of its own, sized like self-hosting, billed per instance-hour."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from enginehelp import FIXTURE_KB, rank

from llmchoose.engine.recommend import recommend
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors
from llmchoose.schemas.vocabulary import CATEGORIES, MANAGED_IN_ACCOUNT

ROOT = Path(__file__).resolve().parent.parent

# A cloud whose managed service runs the fixture's server runtime on two instance types.
CLOUD = """
providers:
  - id: cloud-co
    name: Cloud Co ML
    vendor: Cloud Co
    kind: cloud-platform
    regions: [us]
    compliance:
      hipaa_baa: {hipaa}
      soc2_type2: false
    source: fixture
    as_of: 2026-11-01
managed_endpoints:
  - id: cloud-co-endpoint
    name: Cloud Co endpoint
    service: cloud-co
    container: Cloud Co serving container
    runtime: server-rt
    price_region: us-east
    setup_effort: hours
    instances:
      - {{type: small.1gpu, hardware: gpu-24, gpus: 1, price_per_hour: 2.0}}
      - {{type: big.2gpu, hardware: gpu-80, gpus: 2, price_per_hour: 10.0}}
    source: fixture
    as_of: 2026-11-01
"""


def _cloud_layer(tmp_path: Path, *, hipaa: str = "true", extra: str = "") -> Path:
    folder = tmp_path / "cloud"
    folder.mkdir(exist_ok=True)
    (folder / "cloud.yaml").write_text(CLOUD.format(hipaa=hipaa) + extra, encoding="utf-8")
    return folder


@pytest.fixture
def catalog(tmp_path):
    return load_catalog(layers=[FIXTURE_KB, _cloud_layer(tmp_path)])


def _managed(result):
    return [r for r in result.ranked if r.category == MANAGED_IN_ACCOUNT]


def test_the_category_sits_between_provider_apis_and_own_servers():
    assert CATEGORIES.index("hosted-open-weights") < CATEGORIES.index(MANAGED_IN_ACCOUNT)
    assert CATEGORIES.index(MANAGED_IN_ACCOUNT) < CATEGORIES.index("self-hosted")


def test_data_that_must_stay_in_own_infrastructure_admits_managed_endpoints(catalog):
    result = rank({"data_location": "own-infrastructure"}, catalog=catalog).workloads[0]
    managed = _managed(result)
    assert {r.id for r in managed} == {
        "cloud-co-endpoint/open-8b@account",
        "cloud-co-endpoint/open-70b@account",
        "cloud-co-endpoint/tiny-1b@account",
    }
    # The provider APIs are ruled out, each with the rule's reason; the managed ones are not.
    ruled_out = {e["id"]: e["reasons"] for e in result.eliminated}
    assert not any(i.endswith("@account") for i in ruled_out)
    assert "data may not leave your infrastructure" in ruled_out["api-co/big-closed"][0]
    # Its privacy score is its own class: above a provider under contract, level with own
    # servers on rented GPUs (a cloud operates both), below GPUs the team owns.
    item = result.find("cloud-co-endpoint/open-8b@account")
    own = result.find("server-rt/open-8b")
    assert item.factor_scores["privacy"] == pytest.approx(0.9)
    assert own.option.facts["gpus_rented"] is True
    assert own.factor_scores["privacy"] == pytest.approx(0.9)
    api = rank({}, catalog=catalog).workloads[0].find("host-co/open-70b")
    assert api.factor_scores["privacy"] < item.factor_scores["privacy"]


def test_a_stricter_rule_allows_only_machines_the_team_operates(catalog):
    result = rank({"data_location": "own-servers"}, catalog=catalog).workloads[0]
    assert not _managed(result)
    ruled_out = {e["id"]: e for e in result.eliminated}
    managed = ruled_out["cloud-co-endpoint/open-8b@account"]
    assert managed["constraints"] == ["privacy.data-on-own-servers"]
    assert managed["reasons"] == [
        "data may only be processed on machines your team operates, and this option is run "
        "by Cloud Co ML"
    ]
    assert "api-co/big-closed" in ruled_out
    assert result.find("server-rt/open-8b") is not None
    assert result.headline.category in ("self-hosted", "on-device")


def test_preferring_own_infrastructure_lifts_managed_no_higher_than_own_servers(catalog):
    plain = rank({}, catalog=catalog).workloads[0]
    preferred = rank({"privacy_preferred": ["own-infrastructure"]}, catalog=catalog).workloads[0]
    key = "cloud-co-endpoint/open-8b@account"
    assert preferred.find(key).factor_scores["privacy"] > plain.find(key).factor_scores["privacy"]
    assert preferred.find(key).factor_scores["privacy"] <= 1.0
    assert preferred.find("server-rt/open-8b").factor_scores["privacy"] == 1.0
    # A provider API does not meet the preference and gains nothing.
    api = "api-co/big-closed"
    assert preferred.find(api).factor_scores["privacy"] == plain.find(api).factor_scores["privacy"]


def test_the_cost_is_instance_hours_times_replicas_plus_operations(catalog):
    answers = {"managed_ops_hours_per_month": 6, "engineer_hourly_rate": 150}
    for volume in (1_000, 3_000_000):
        result = rank({**answers, "requests_per_day": volume}, catalog=catalog).workloads[0]
        item = result.find("cloud-co-endpoint/open-8b@account")
        deployment = item.option.deployment
        price = {"small.1gpu": 2.0, "big.2gpu": 10.0}[item.option.facts["instance_type"]]
        # By hand: price per instance-hour x replicas x 730 hours, plus 6 h x $150.
        expected = price * deployment.replicas * 730 + 6 * 150
        assert item.monthly_cost == pytest.approx(expected, abs=0.01)
        assert item.option.cost.breakdown == {
            "hardware": pytest.approx(price * deployment.replicas * 730, abs=0.01),
            "operations": 900.0,
        }
        # The own-server answer for operations does not apply to a managed endpoint.
        assert item.option.cost.structure == "instance-hours"
    assert deployment.replicas >= 2  # the big volume needs several instances


def test_speed_is_predicted_with_its_error_band_like_self_hosting(catalog):
    item = rank({}, catalog=catalog).workloads[0].find("cloud-co-endpoint/open-8b@account")
    facts = item.option.facts
    assert facts["speed_basis"] == "predicted"
    assert facts["speed_error_band"] and facts["output_tokens_per_s"] > 0
    assert facts["runtime"] == "server-rt" and facts["serving_container"]
    assert facts["data_leaves_infrastructure"] is False
    assert facts["offline_capable"] is False


def test_compliance_facts_come_from_the_clouds_record(tmp_path):
    with_baa = load_catalog(layers=[FIXTURE_KB, _cloud_layer(tmp_path)])
    item = rank({}, catalog=with_baa).workloads[0].find("cloud-co-endpoint/open-8b@account")
    assert item.option.facts["hipaa_baa"] is True
    assert item.option.facts["soc2_type2"] is False
    assert item.option.facts["iso27001"] is None  # the record does not say
    hipaa = rank({"regulations": ["hipaa"]}, catalog=with_baa).workloads[0]
    assert hipaa.find("cloud-co-endpoint/open-8b@account") is not None
    # The same service under a cloud record without a BAA is ruled out for HIPAA.
    without = load_catalog(layers=[FIXTURE_KB, _cloud_layer(tmp_path, hipaa="false")])
    hipaa = rank({"regulations": ["hipaa"]}, catalog=without).workloads[0]
    ruled_out = {e["id"]: e["constraints"] for e in hipaa.eliminated}
    assert ruled_out["cloud-co-endpoint/open-8b@account"] == ["compliance.hipaa-baa"]


def _unpriced_catalog(tmp_path):
    """The fixture knowledge base with the cloud's instances listed without prices."""
    unpriced = CLOUD.replace("price_per_hour: 2.0", "price_per_hour: null").replace(
        "price_per_hour: 10.0", "price_per_hour: null"
    )
    folder = tmp_path / "unpriced"
    folder.mkdir()
    (folder / "cloud.yaml").write_text(unpriced.format(hipaa="true"), encoding="utf-8")
    return load_catalog(layers=[FIXTURE_KB, folder])


def test_a_service_without_prices_is_sized_but_never_the_headline(tmp_path):
    catalog = _unpriced_catalog(tmp_path)
    result = rank({"data_location": "own-infrastructure"}, catalog=catalog).workloads[0]
    item = result.find("cloud-co-endpoint/open-8b@account")
    assert item.monthly_cost is None
    assert item.option.facts["instance_type"] == "small.1gpu"  # the smallest that serves
    assert result.headline.category == "self-hosted"


def test_a_managed_endpoint_record_with_an_unknown_gpu_is_refused(tmp_path):
    bad = CLOUD.replace("hardware: gpu-80", "hardware: gpu-800")
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "cloud.yaml").write_text(bad.format(hipaa="true"), encoding="utf-8")
    with pytest.raises(KnowledgeErrors) as caught:
        load_catalog(layers=[FIXTURE_KB, folder])
    text = str(caught.value)
    assert "cloud.yaml:" in text
    assert "instance big.2gpu: hardware 'gpu-800' does not exist" in text
    assert "gpu-80" in text  # the did-you-mean


def test_kb_validate_and_list_know_the_new_kind(run_cli, tmp_path):
    folder = _cloud_layer(tmp_path)
    code, out, err = run_cli("kb", "list", "--kind", "managed_endpoints", "--format", "json")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["aws-sagemaker-realtime"]["service"] == "aws-sagemaker"
    assert rows["aws-sagemaker-realtime"]["runtime"] == "vllm"
    assert (
        "ml.g5.12xlarge: 4 x nvidia-a10g-24gb, $7.09/h"
        in rows["aws-sagemaker-realtime"]["instances"]
    )
    bad = folder / "broken.yaml"
    bad.write_text("managed_endpoints:\n  - id: x\n    name: X\n", encoding="utf-8")
    code, out, err = run_cli("kb", "validate", "--kb", str(folder))
    assert code == 2
    assert "broken.yaml:2" in err
    assert "Traceback" not in err


def test_a_decision_file_from_before_still_loads_and_ranks():
    criteria = load_criteria()
    decision = load_decision(ROOT / "tests/data/check/decisions/startup-chatbot.yaml", criteria)
    result = recommend(decision, load_catalog(), criteria, as_of=dt.date(2026, 12, 1), samples=50)
    workload = result.workloads[0]
    assert workload.headline is not None
    # An old answer keeps its meaning: own infrastructure still admits managed endpoints.
    old = load_decision(ROOT / "tests/data/report/two-workloads.yaml", criteria)
    assert old.workloads[0].answers["data_location"] == "own-infrastructure"


def test_a_regulated_team_in_its_own_cloud_account_sees_managed_endpoints():
    """HIPAA data that must stay in the company's cloud account: every provider API is
    ruled out with its reason, managed endpoints rank beside own servers, and the
    recommendation has a known price."""
    criteria = load_criteria()
    decision = load_decision(ROOT / "tests/data/teams/regulated-cloud-account.yaml", criteria)
    result = recommend(decision, load_catalog(), criteria, as_of=dt.date(2026, 12, 1), samples=200)
    workload = result.workloads[0]
    ruled_out = {e["id"]: e for e in workload.eliminated}
    apis = [
        e for e in ruled_out.values() if e["category"] in ("proprietary-api", "hosted-open-weights")
    ]
    assert apis and all("privacy.data-stays-in-house" in e["constraints"] for e in apis)
    top = workload.ranked[:3]
    assert all(r.option.facts["data_leaves_infrastructure"] is False for r in top)
    assert all(r.option.facts["hipaa_baa"] is True for r in top)
    managed = _managed(workload)
    best = workload.category_best[MANAGED_IN_ACCOUNT]
    assert managed and best in managed
    # A managed endpoint with a price is costed as instance-hours, never as tokens.
    priced = next(r for r in managed if r.monthly_cost is not None)
    assert priced.option.cost.structure == "instance-hours"
    assert priced.option.facts["provider"] == "aws-sagemaker"
    # For a team that would rather not run servers it is a real contender, not an also-ran.
    leading = [a.option.category for a in workload.alternatives[:10]]
    assert MANAGED_IN_ACCOUNT in leading
    # The recommendation is never an option whose price the knowledge base lacks.
    assert workload.headline.monthly_cost is not None


def test_a_team_that_runs_no_servers_gets_the_managed_endpoint_over_rented_gpus():
    """The same team has no one to run GPU servers: renting GPUs to run them itself
    brings no contract a managed endpoint in its account lacks (both come with AWS's
    BAA, SOC 2 and ISO 27001), costs more and needs operations it does not have."""
    criteria = load_criteria()
    decision = load_decision(ROOT / "tests/data/teams/regulated-cloud-account.yaml", criteria)
    result = recommend(decision, load_catalog(), criteria, as_of=dt.date(2026, 12, 1), samples=200)
    workload = result.workloads[0]
    headline = workload.headline
    assert headline.category == MANAGED_IN_ACCOUNT
    facts = headline.option.facts
    assert facts["hipaa_baa"] is True and facts["soc2_type2"] is True
    assert headline.monthly_cost < workload.category_best["self-hosted"].monthly_cost


def test_sizing_on_instances_tries_only_them_and_bills_each_replica_whole(catalog):
    from llmchoose.engine.sizing import Instance, SizingError, size_deployment
    from llmchoose.engine.usage import Usage

    model, runtime = catalog.models["open-8b"], catalog.runtimes["server-rt"]
    instances = (Instance("gpu-24", 1, 2.0, "small"), Instance("gpu-80", 2, 10.0, "big"))
    prices = {("gpu-24", 1): 2.0, ("gpu-80", 2): 10.0}
    for volume in (1_000, 2_000_000):
        usage = Usage(requests_per_day=volume)
        found = size_deployment(
            catalog, model, runtime, usage, on_device=False, instances=instances
        )
        assert (found.hardware, found.count) in prices
        assert found.hourly_cost == pytest.approx(
            prices[found.hardware, found.count] * found.replicas
        )
        assert found.owned_gpus == 0 and found.rented_gpus == found.count * found.replicas
    assert found.replicas >= 2
    # Without instances the same model is sized on rented GPUs at their GPU-hour price.
    plain = size_deployment(catalog, model, runtime, Usage(), on_device=False)
    assert plain.hourly_cost == pytest.approx(
        catalog.hardware[plain.hardware].price_per_hour * plain.count * plain.replicas
    )
    with pytest.raises(SizingError, match="does not fit the largest instance type"):
        size_deployment(
            catalog,
            catalog.models["open-70b"],
            runtime,
            Usage(),
            on_device=False,
            instances=(Instance("gpu-24", 1, 2.0, "small"),),
        )


def test_check_reports_a_rise_of_the_chosen_instance_price(tmp_path):
    from llmchoose.decision.check.run import check_files
    from llmchoose.decision.decide import decide

    criteria = load_criteria()
    path = tmp_path / "d.yaml"
    path.write_text(
        "version: 1\nproject: {name: Notes}\nworkloads:\n  - id: notes\n    name: Notes\n"
        "    answers: {data_location: own-infrastructure}\n",
        encoding="utf-8",
    )
    today = load_catalog(layers=[FIXTURE_KB, _cloud_layer(tmp_path)])
    chosen = {"notes": "cloud-co-endpoint/open-8b@account"}
    result = decide(
        path, catalog=today, criteria=criteria, as_of=dt.date(2026, 11, 28), choose=chosen
    )
    path.write_text(result.text, encoding="utf-8")
    assert "instance_price_per_hour" in result.text
    # A month later the cloud charges more for both instance types.
    dearer = tmp_path / "dearer"
    dearer.mkdir()
    (dearer / "cloud.yaml").write_text(
        CLOUD.format(hipaa="true")
        .replace("price_per_hour: 2.0", "price_per_hour: 3.0")
        .replace("price_per_hour: 10.0", "price_per_hour: 15.0"),
        encoding="utf-8",
    )
    later = load_catalog(layers=[FIXTURE_KB, dearer])
    report = check_files([path], catalog=later, criteria=criteria, as_of=dt.date(2026, 11, 28))
    rises = [f for f in report.findings if f.code == "LC020"]
    assert [f.details["fact"] for f in rises] == ["instance_price_per_hour"]
    assert rises[0].details["change_percent"] == 50.0


def test_an_unknown_price_never_shows_as_an_hourly_cost(tmp_path):
    catalog = _unpriced_catalog(tmp_path)
    item = rank({}, catalog=catalog).workloads[0].find("cloud-co-endpoint/open-8b@account")
    assert item.deployment["instance"] == "small.1gpu"
    assert item.deployment["hourly_cost"] is None
    assert item.option.cost.breakdown == {}


def test_the_cost_command_prices_a_managed_endpoint_by_the_hour(run_cli):
    option = "aws-sagemaker-realtime/llama-3.1-8b-instruct@account"
    code, out, err = run_cli(
        "cost", option, "--requests-per-day", "20000", "--managed-ops-hours", "8",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    row = json.loads(out)["rows"][0]
    service = load_catalog().managed_endpoints["aws-sagemaker-realtime"]
    instance = next(i for i in service.instances if f"{i.type} (" in row["deployment"])
    replicas = (
        int(row["deployment"].split(" replicas of ")[0]) if "replicas" in row["deployment"] else 1
    )
    # By hand: the instance's hourly price x replicas x 730 hours, plus 8 h x $100.
    assert row["monthly"] == pytest.approx(instance.price_per_hour * replicas * 730 + 800, abs=0.01)
    assert row["structure"] == "instance-hours"
