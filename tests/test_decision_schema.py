"""The decision file schema: choices, snapshots and the check policy on top of what
`recommend` reads; its JSON Schema export; and reading a file with every problem in it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from llmchoose.errors import InputError
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.decision import load_decision, read_decision
from llmchoose.schemas.decision import Choice, Decision, Policy, Snapshot
from llmchoose.schemas.export import json_schema

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

MINIMAL = {"project": {"name": "P"}, "workloads": [{"id": "w", "name": "W"}]}


def snapshot(**extra):
    return {
        "as_of": "2026-11-28",
        "category": "on-device",
        "rank": 1,
        "of": 2,
        "score": 0.9,
        "margin": 0.1,
        **extra,
    }


def test_a_decision_without_choice_or_policy_gets_the_default_policy():
    decision = Decision.model_validate(MINIMAL)
    assert decision.workloads[0].choice is None
    assert decision.policy == Policy()
    assert (
        decision.policy.max_rank,
        decision.policy.max_margin,
        decision.policy.price_change_percent,
        decision.policy.retirement_horizon_days,
        decision.policy.max_fact_age_days,
    ) == (3, 0.05, 10, 90, 180)


def test_a_choice_with_a_snapshot_validates():
    choice = Choice.model_validate(
        {
            "option": "laptop-rt/open-8b@device",
            "decided_on": "2026-11-28",
            "snapshot": snapshot(
                facts={
                    "licence_id": {
                        "value": "apache-2.0",
                        "source": "fixture",
                        "as_of": "2026-11-01",
                    },
                    "retires": {"value": dt.date(2027, 3, 1)},
                    "regions": {"value": ["us", "eu"]},
                    "licence_user_limit": {"value": None},
                }
            ),
        }
    )
    facts = choice.snapshot.facts
    assert facts["retires"].value == dt.date(2027, 3, 1)
    assert facts["regions"].value == ["us", "eu"]
    assert facts["licence_user_limit"].value is None
    assert facts["licence_id"].as_of == dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"option": "Not An Id"}, "should match pattern"),
        ({"option": "a/b", "snapshot": snapshot(rank=3, of=2)}, "rank 3 is above"),
        ({"option": "a/b", "snapshot": snapshot(category="cloud")}, "category"),
        ({"option": "a/b", "snapshot": snapshot(score=1.5)}, "less than or equal to 1"),
        ({"option": "a/b", "whoo": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_choices_are_refused(data, message):
    with pytest.raises(ValidationError, match=message):
        Choice.model_validate(data)


def test_the_policy_checks_its_values_and_codes():
    assert Policy.model_validate({"severity": {"LC040": "off", "LC012": "error"}}).severity == {
        "LC040": "off",
        "LC012": "error",
    }
    with pytest.raises(ValidationError, match="unknown finding code 'LC049'"):
        Policy.model_validate({"severity": {"LC049": "error"}})
    with pytest.raises(ValidationError):
        Policy.model_validate({"severity": {"LC040": "fatal"}})
    with pytest.raises(ValidationError):
        Policy.model_validate({"max_margin": 1.5})
    with pytest.raises(ValidationError):
        Policy.model_validate({"max_rank": 0})


def test_the_json_schema_describes_choice_snapshot_and_policy():
    schema = json_schema("decision")
    defs = schema["$defs"]
    assert {"Choice", "Snapshot", "SnapshotFact", "Policy"} <= set(defs)
    assert "choice" in defs["Workload"]["properties"]
    assert "policy" in schema["properties"]
    severity = defs["Policy"]["properties"]["severity"]
    assert list(severity["patternProperties"]) == ["^LC[0-9]{3}$"]
    assert severity["additionalProperties"] is False


def _as_json(data):
    """YAML data as JSON would carry it (dates as ISO strings)."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates_against_the_exported_json_schema(example):
    data = _as_json(yaml.safe_load(example.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(json_schema("decision"))
    assert [e.message for e in validator.iter_errors(data)] == []
    data["workloads"][0]["choice"]["snapshot"]["rank"] = 0
    assert list(validator.iter_errors(data))


def test_the_published_schema_file_is_current():
    published = REPO / "docs" / "schemas" / "decision.schema.json"
    if not published.exists():
        pytest.skip("docs/schemas/decision.schema.json is not generated yet")
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema("decision")


def test_read_decision_collects_every_problem_and_load_decision_raises_the_first(tmp_path):
    criteria = load_criteria()
    path = tmp_path / "d.yaml"
    path.write_text(
        "version: 1\n"
        "project: {name: P}\n"
        "answers:\n"
        "  requests_per_dya: 10\n"
        "workloads:\n"
        "  - id: w\n"
        "    name: W\n"
        "    answers:\n"
        "      latency_need: instant\n"
    )
    document = read_decision(path, criteria)
    assert [(p.kind, p.error.line) for p in document.problems] == [("question", 4), ("schema", 9)]
    assert "did you mean 'requests_per_day'?" in str(document.problems[0].error)
    with pytest.raises(InputError) as first:
        load_decision(path, criteria)
    assert str(first.value) == str(document.problems[0].error)


def test_read_decision_raises_only_when_there_is_no_file(tmp_path):
    criteria = load_criteria()
    with pytest.raises(InputError, match="file not found"):
        read_decision(tmp_path / "missing.yaml", criteria)
    with pytest.raises(InputError, match="found a folder"):
        read_decision(tmp_path, criteria)
    (tmp_path / "list.yaml").write_text("- 1\n")
    document = read_decision(tmp_path / "list.yaml", criteria)
    assert document.decision is None and document.problems[0].kind == "schema"


def test_recommend_ignores_choice_and_policy(run_cli, fixture_kb, tmp_path):
    text = (REPO / "examples" / "startup-chatbot.yaml").read_text(encoding="utf-8")
    with_choice = tmp_path / "with.yaml"
    with_choice.write_text(text)
    without = tmp_path / "without.yaml"
    without.write_text(text.split("    choice:")[0])
    args = ("--as-of", "2026-11-28", "--format", "json", "--samples", "50")
    a = run_cli("recommend", str(with_choice), *args)
    b = run_cli("recommend", str(without), *args)
    assert a[0] == b[0] == 0
    assert json.loads(a[1]) == json.loads(b[1])


def test_snapshot_margin_can_be_negative():
    assert Snapshot.model_validate(snapshot(rank=2, margin=-0.2)).margin == -0.2
