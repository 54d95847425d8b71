"""Self-hosting on rented GPUs carries the GPU cloud's compliance; only GPUs the team owns
have no vendor. A team that requires a regulation is sized only on rentals whose cloud is
known to meet it, or on its own GPUs."""

from __future__ import annotations

from pathlib import Path

import pytest
from enginehelp import AS_OF, FIXTURE_KB, rank

from llmchoose.engine.constraints import screen
from llmchoose.engine.options import enumerate_options
from llmchoose.engine.rental import hardware_paper, required_vendor_facts
from llmchoose.engine.usage import Usage
from llmchoose.loading.answers import effective_answers
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors

OPTION = "server-rt/open-8b"

# The cheap 24 GB GPU is rented from a cloud with a SOC 2 report but no known BAA; the
# 80 GB one stays with the fixture's cloud, which has every certification.
CHEAP_CLOUD = """
providers:
  - id: cheap-cloud
    name: Cheap Cloud
    vendor: Cheap Cloud Inc
    kind: gpu-cloud
    regions: [us]
    compliance:
      hipaa_baa: null
      soc2_type2: true
    source: fixture
    as_of: 2026-11-01
hardware:
  - id: gpu-24
    price_provider: cheap-cloud
    source: fixture
    as_of: 2026-11-01
"""

# Both GPUs rented from the cloud with no known BAA.
NO_BAA_ANYWHERE = (
    CHEAP_CLOUD
    + """
  - id: gpu-80
    price_provider: cheap-cloud
    source: fixture
    as_of: 2026-11-01
"""
)


def _layer(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "clouds"
    folder.mkdir(exist_ok=True)
    (folder / "clouds.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def catalog(tmp_path):
    return load_catalog(layers=[FIXTURE_KB, _layer(tmp_path, CHEAP_CLOUD)])


def test_without_a_rule_the_cheapest_rental_is_used_with_its_cloud_terms(catalog):
    item = rank({}, catalog=catalog).workloads[0].find(OPTION)
    facts = item.option.facts
    assert facts["hardware"] == "gpu-24"
    assert (facts["gpus_rented"], facts["gpu_vendor"], facts["gpu_vendor_name"]) == (
        True,
        "cheap-cloud",
        "Cheap Cloud Inc",
    )
    # Unknown stays unknown: no BAA is assumed, the SOC 2 report is the cloud's.
    assert facts["hipaa_baa"] is None and facts["soc2_type2"] is True
    assert facts["regions"] == ["us"]
    assert item.option.provenance["gpu_vendor.compliance.soc2_type2"][0] == "fixture"


def test_a_hipaa_team_is_sized_only_on_a_rental_whose_cloud_signs_a_baa(catalog):
    free = rank({}, catalog=catalog).workloads[0].find(OPTION)
    result = rank({"regulations": ["hipaa"]}, catalog=catalog).workloads[0]
    item = result.find(OPTION)
    assert item is not None, "the option is kept, sized on the BAA-backed GPU"
    facts = item.option.facts
    assert facts["hardware"] == "gpu-80"
    assert (facts["gpu_vendor"], facts["hipaa_baa"]) == ("gpu-rent", True)
    # The compliant rental costs more than the cheap one it replaces.
    assert item.monthly_cost > free.monthly_cost
    assert result.usage.vendor_must == ("hipaa_baa",)


def test_without_any_baa_rental_self_hosting_is_unavailable_and_says_why(tmp_path):
    catalog = load_catalog(layers=[FIXTURE_KB, _layer(tmp_path, NO_BAA_ANYWHERE)])
    result = rank({"regulations": ["hipaa"]}, catalog=catalog).workloads[0]
    assert result.find(OPTION) is None
    reasons = {u.id: u.reason for u in result.unavailable}
    assert reasons[OPTION] == (
        "no GPU rental in the knowledge base that suits Server Runtime is known to sign a "
        "HIPAA business associate agreement; only GPUs you already own would do"
    )
    # Without the rule the same rentals are fine.
    assert rank({}, catalog=catalog).workloads[0].find(OPTION) is not None


@pytest.fixture(scope="module")
def builtin():
    return load_catalog()


# The built-in knowledge base: Lambda rents A100s and is not known to sign a BAA.
OWN = "vllm/llama-3.1-8b-instruct"


def test_owned_gpus_keep_their_no_vendor_facts(builtin):
    answers = {"regulations": ["hipaa"], "owned_gpu": "nvidia-a100-80gb", "owned_gpu_count": 8}
    item = rank(answers, catalog=builtin).workloads[0].find(OWN)
    facts = item.option.facts
    assert facts["hardware"] == "nvidia-a100-80gb" and facts["owned_gpus_used"]
    assert facts["gpus_rented"] is False and facts["gpu_vendor"] is None
    assert all(facts[f] is True for f in ("hipaa_baa", "soc2_type2", "iso27001", "gdpr_dpa"))
    # No rented-GPU adjustment: only the licence's user clause moves it from 0.9.
    assert item.notes["compliance"] == ["licence has a user-count clause (-0.10)"]
    assert item.factor_scores["compliance"] == pytest.approx(0.8)
    # Every prompt stays on machines the team owns and operates.
    assert item.factor_scores["privacy"] == pytest.approx(1.0)


def test_rented_gpus_score_privacy_like_a_managed_endpoint(builtin):
    """A cloud operates rented GPUs as it operates a managed endpoint in the account."""
    item = rank({"regulations": ["hipaa"]}, catalog=builtin).workloads[0].find(OWN)
    assert item.option.facts["gpus_rented"] is True
    assert item.factor_scores["privacy"] == pytest.approx(0.9)
    assert any("GPUs are rented" in note for note in item.notes["privacy"])


def test_a_hipaa_team_with_too_few_gpus_rents_only_from_a_cloud_with_a_baa(builtin):
    # One owned A100 cannot carry this load. Without the rule the cheapest rental is
    # Lambda's (not known to sign a BAA); with it, only AWS's BAA-backed GPUs remain.
    answers = {"owned_gpu": "nvidia-a100-80gb", "owned_gpu_count": 1, "requests_per_day": 500_000}
    free = rank(answers, catalog=builtin).workloads[0].find(OWN).option.facts
    assert free["gpu_vendor"] == "lambda" and free["hipaa_baa"] is None
    strict = rank({**answers, "regulations": ["hipaa"]}, catalog=builtin).workloads[0].find(OWN)
    facts = strict.option.facts
    assert (facts["gpu_vendor"], facts["hipaa_baa"]) == ("aws-ec2", True)


def test_an_unknown_vendor_fact_is_not_met_by_the_rule(catalog):
    """Sized without the team's rules (as a caller that builds its own usage would), the
    rented option's unknown BAA is ruled out with the rule's 'does not say' reason."""
    criteria = load_criteria()
    answers = effective_answers(criteria, {}, {"regulations": ["hipaa"]})
    options, _ = enumerate_options(catalog, Usage.from_answers(answers), AS_OF)
    screening = screen(criteria, options, answers)
    reasons = screening.eliminated[OPTION]
    assert [r.constraint for r in reasons] == ["hipaa-baa"]
    assert reasons[0].unknown
    assert "the knowledge base does not say" in reasons[0].reason


def test_a_hardware_record_without_a_renting_cloud_has_unknown_terms(tmp_path):
    layer = _layer(
        tmp_path,
        "hardware:\n  - {id: gpu-24, price_provider: null, source: fixture, as_of: 2026-11-01}\n",
    )
    catalog = load_catalog(layers=[FIXTURE_KB, layer])
    paper = hardware_paper(catalog, "gpu-24", rented=True)
    assert paper["gpus_rented"] is True and paper["gpu_vendor"] is None
    assert all(paper[f] is None for f in ("hipaa_baa", "soc2_type2", "iso27001", "gdpr_dpa"))
    assert hardware_paper(catalog, "gpu-24", rented=False)["hipaa_baa"] is True


def test_compliance_scores_a_rented_gpu_by_its_clouds_paper(catalog):
    licence = "licence has a user-count clause (-0.10)"  # the fixture model's own clause
    plain = rank({}, catalog=catalog).workloads[0].find(OPTION)
    # Cheap Cloud: rented (-0.20) with a SOC 2 report (+0.05), from 0.9.
    assert plain.notes["compliance"] == [
        "the GPUs are rented, so the GPU cloud's contracts and audits are part of yours (-0.20)",
        "the GPU cloud has a SOC 2 Type II report (+0.05)",
        licence,
    ]
    assert plain.factor_scores["compliance"] == pytest.approx(0.9 - 0.2 + 0.05 - 0.1)
    full = rank({"regulations": ["hipaa"]}, catalog=catalog).workloads[0].find(OPTION)
    # A cloud with a BAA, SOC 2 and ISO 27001 brings it back level with owned GPUs.
    assert full.factor_scores["compliance"] == pytest.approx(0.9 - 0.1)


@pytest.mark.parametrize(
    ("regulations", "expected"),
    [
        ([], ()),
        (["hipaa"], ("hipaa_baa",)),
        (["soc2", "eu-residency"], ("eu_data_residency", "soc2_type2")),
        (["gdpr-dpa", "iso27001", "hipaa"], ("gdpr_dpa", "hipaa_baa", "iso27001")),
    ],
)
def test_the_rules_a_team_switches_on_say_what_a_gpu_cloud_must_have(regulations, expected):
    criteria = load_criteria()
    answers = effective_answers(criteria, {}, {"regulations": regulations})
    assert required_vendor_facts(criteria, answers) == expected


def test_a_preference_is_not_a_requirement_of_the_cloud():
    criteria = load_criteria()
    answers = effective_answers(criteria, {}, {"regulations_preferred": ["hipaa"]})
    assert required_vendor_facts(criteria, answers) == ()


def test_a_misspelt_renting_cloud_is_reported_with_a_suggestion(tmp_path):
    layer = _layer(
        tmp_path,
        "hardware:\n  - {id: gpu-24, price_provider: gpu-rnt, source: fixture, as_of: 2026-11-01}\n",
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_catalog(layers=[FIXTURE_KB, layer])
    text = str(caught.value)
    assert "hardware 'gpu-24': price_provider 'gpu-rnt' does not exist" in text
    assert "gpu-rent" in text  # the did-you-mean


def test_a_renting_cloud_needs_a_rental_price(tmp_path):
    layer = _layer(
        tmp_path,
        "hardware:\n  - {id: laptop-16, price_provider: gpu-rent, source: fixture, "
        "as_of: 2026-11-01}\n",
    )
    with pytest.raises(KnowledgeErrors) as caught:
        load_catalog(layers=[FIXTURE_KB, layer])
    text = str(caught.value)
    assert "clouds.yaml:" in text
    assert "price_provider is given without price_per_hour" in text


def test_kb_validate_exits_2_on_a_dangling_renting_cloud(run_cli, tmp_path):
    layer = _layer(
        tmp_path,
        "hardware:\n  - {id: nvidia-l4-24gb, price_provider: runpdo, source: x, "
        "as_of: 2026-11-01}\nsources:\n  - {id: x, title: X, url: 'https://example.com'}\n",
    )
    code, _, err = run_cli("kb", "validate", str(layer))
    assert code == 2
    assert "clouds.yaml" in err and "price_provider 'runpdo' does not exist" in err
    assert "runpod" in err


def test_the_built_in_rentals_name_their_cloud():
    catalog = load_catalog()
    for hw in catalog.hardware.values():
        if hw.price_per_hour is not None:
            assert hw.price_provider in catalog.providers, hw.id
            assert catalog.providers[hw.price_provider].kind == "gpu-cloud"


def test_the_adr_names_the_gpu_cloud_whose_terms_were_scored():
    from llmchoose.report.adr import make_adr

    path = Path(__file__).parent / "data" / "report" / "two-workloads.yaml"
    catalog = load_catalog(layers=[FIXTURE_KB])
    text = make_adr(path, catalog=catalog, criteria=load_criteria(), as_of=AS_OF, samples=50)
    assert "Its GPUs are rented from GPU Rent, whose terms are the ones scored." in text
