"""Extending the built-in data from a project: an internal deployment, a negotiated
price and a new factor, without forking."""

from __future__ import annotations

import json

DECISION = {
    "project": {"name": "P"},
    "answers": {"planning_horizon_months": 1},
    "workloads": [{"id": "w", "name": "W"}],
}


def test_internal_deployment_and_negotiated_price_are_ranked(
    run_cli, fixture_kb, write_tree, tmp_path
):
    write_tree(
        {
            "d.yaml": DECISION,
            "ours/internal.yaml": {
                "sources": [{"id": "platform-team", "title": "Platform team service sheet", "url": "https://intranet.example.com/llm"}],
                "providers": [
                    {"id": "internal", "name": "Internal LLM gateway", "vendor": "Us", "kind": "cloud-platform",
                     "regions": ["eu"], "compliance": {"trains_on_api_data": False, "retention_days": 0,
                     "zero_data_retention": "default", "hipaa_baa": True, "eu_data_residency": True},
                     "source": "platform-team", "as_of": "2026-11-01"}
                ],
                "offerings": [
                    {"id": "internal/open-70b", "provider": "internal", "model": "open-70b", "regions": ["eu"],
                     "price": {"input": 0.1, "output": 0.1}, "source": "platform-team", "as_of": "2026-11-01"},
                    {"id": "api-co/big-closed", "price": {"input": 0.5}, "source": "platform-team", "as_of": "2026-11-02"},
                ],
            },
        }
    )  # fmt: skip
    code, out, err = run_cli(
        "recommend",
        str(tmp_path / "d.yaml"),
        "--kb",
        str(tmp_path / "ours"),
        "--format",
        "json",
        "--top",
        "50",
    )
    assert code == 0, err
    ranked = {r["id"]: r for r in json.loads(out)["workloads"][0]["ranked"]}
    assert "internal/open-70b" in ranked
    code, out, _ = run_cli(
        "kb", "show", "api-co/big-closed", "--kb", str(tmp_path / "ours"), "--format", "json"
    )
    facts = {f["field"]: f for f in json.loads(out)[0]["facts"]}
    assert (
        facts["price.input"]["value"] == 0.5 and facts["price.input"]["source"] == "platform-team"
    )
    assert facts["price.output"]["source"] == "fixture"


def test_a_new_factor_from_a_criteria_folder_is_scored(run_cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "d.yaml": {**DECISION, "answers": {**DECISION["answers"], "sovereignty_importance": 5}},
            "crit/sovereignty.yaml": {
                "id": "sovereignty",
                "name": "Digital sovereignty",
                "order": 95,
                "summary": "Keep the model under European control.",
                "description": "Prefer options whose data stays in the EU.",
                "weight_question": "sovereignty_importance",
                "questions": [
                    {
                        "id": "sovereignty_importance",
                        "type": "importance",
                        "text": "How much?",
                        "help": "Weight.",
                        "example": "5",
                    }
                ],
                "scoring": {
                    "scorer": "table",
                    "attribute": "eu_data_residency",
                    "values": {"true": 1.0, "false": 0.0},
                },
            },
        }
    )
    code, out, err = run_cli(
        "recommend",
        str(tmp_path / "d.yaml"),
        "--criteria",
        str(tmp_path / "crit"),
        "--format",
        "json",
    )
    assert code == 0, err
    workload = json.loads(out)["workloads"][0]
    assert "sovereignty" in workload["weights"]["values"]
    assert all("sovereignty" in r["factor_scores"] for r in workload["ranked"])
    # The same answer without the new factor is an unknown question.
    code, _, err = run_cli("recommend", str(tmp_path / "d.yaml"))
    assert code == 2 and "sovereignty_importance: unknown question" in err
