"""Several workloads and the hybrid proposal; the recommend command end to end."""

from __future__ import annotations

import json

from enginehelp import rank

SHARED = {
    "ops_capability": "some",
    "integration_importance": 4,
    "app_type": "service",
    "planning_horizon_months": 1,
}
NOTES = {
    "data_sensitivity": "regulated",
    "data_location": "own-infrastructure",
    "requests_per_day": 3000,
}
COPY = {
    "data_sensitivity": "public",
    "data_location": "any-provider",
    "requests_per_day": 500,
    "quality_importance": 5,
}


def two_workloads():
    return rank(
        SHARED,
        workloads=[
            {"id": "notes", "name": "Patient notes", "answers": NOTES},
            {"id": "copy", "name": "Marketing copy", "answers": COPY},
        ],
    )


def test_different_winners_give_a_hybrid_with_a_routing_rule():
    rec = two_workloads()
    notes, copy = rec.workloads
    assert notes.ranked[0].category in ("self-hosted", "on-device")
    assert copy.ranked[0].category == "proprietary-api"
    hybrid = rec.hybrid
    assert hybrid is not None
    assert {a["workload"]: a["option"] for a in hybrid.assignments} == {
        "notes": notes.ranked[0].id,
        "copy": copy.ranked[0].id,
    }
    assert len(hybrid.routing_rule) == 2
    assert "data location: own-infrastructure" in hybrid.routing_rule[0]
    assert hybrid.hybrid_monthly_cost == round(
        notes.ranked[0].monthly_cost + copy.ranked[0].monthly_cost, 2
    )
    # The best single option must be allowed in both workloads, so it is one of ours.
    single = hybrid.single_option
    assert single is not None and single["option"] in {r.id for r in notes.ranked}
    # Self-hosted plus API: one client interface over both.
    assert "OpenAI-compatible gateway" in hybrid.abstraction
    assert hybrid.worthwhile == (hybrid.hybrid_mean_score > single["mean_score"])


def test_identical_workloads_need_no_hybrid():
    rec = rank(
        SHARED,
        workloads=[
            {"id": "a", "name": "A", "answers": COPY},
            {"id": "b", "name": "B", "answers": COPY},
        ],
    )
    assert rec.hybrid is not None
    assert not rec.hybrid.worthwhile
    assert rec.hybrid.routing_rule == []
    assert rec.hybrid.summary.startswith("One option serves every workload best")


def test_recommend_json_has_what_the_issue_lists(run_cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "d.yaml": {
                "version": 1,
                "project": {"name": "P"},
                "answers": SHARED,
                "workloads": [
                    {"id": "notes", "name": "Patient notes", "answers": NOTES},
                    {"id": "copy", "name": "Marketing copy", "answers": COPY},
                ],
            }
        }
    )
    code, out, err = run_cli(
        "recommend",
        str(tmp_path / "d.yaml"),
        "--format",
        "json",
        "--as-of",
        "2026-11-28",
        "--samples",
        "100",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == "2026-11-28"
    workload = data["workloads"][0]
    top = workload["ranked"][0]
    for key in ("id", "category", "score", "factor_scores", "monthly_cost"):
        assert key in top
    assert workload["eliminated"] and all(e["reasons"] for e in workload["eliminated"])
    assert workload["sensitivity"]["thresholds"]
    assert data["hybrid"]["assignments"]
    # Same command, same bytes.
    assert (
        run_cli(
            "recommend",
            str(tmp_path / "d.yaml"),
            "--format",
            "json",
            "--as-of",
            "2026-11-28",
            "--samples",
            "100",
        )[1]
        == out
    )


def test_recommend_table_output(run_cli, fixture_kb):
    from conftest import REPO

    code, out, _ = run_cli(
        "recommend",
        str(REPO / "examples" / "startup-chatbot.yaml"),
        "--top",
        "3",
        "--as-of",
        "2026-11-28",
    )
    assert code == 0
    assert "Customer support chat" in out
    assert "is recommended with" in out


def test_bad_answer_points_at_file_line_and_suggests(run_cli, fixture_kb, write_tree, tmp_path):
    write_tree(
        {
            "d.yaml": "project: {name: P}\nworkloads:\n  - id: w\n    name: W\n    answers:\n      data_sensitivty: public\n",
            "e.yaml": "project: {name: P}\nworkloads:\n  - id: w\n    name: W\n    answers:\n      requests_per_day: -5\n",
            "f.yaml": "project: {name: P}\nworkloads: []\n",
        }
    )
    code, out, err = run_cli("recommend", str(tmp_path / "d.yaml"))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"Error: {tmp_path / 'd.yaml'}:6: workloads[0].answers.data_sensitivty: unknown question "
        "(did you mean 'data_sensitivity'?)"
    )
    code, _, err = run_cli("recommend", str(tmp_path / "e.yaml"))
    assert code == 2 and ":6: workloads[0].answers.requests_per_day: must be at least 0" in err
    code, _, err = run_cli("recommend", str(tmp_path / "f.yaml"))
    assert code == 2 and "workloads" in err and "Traceback" not in err
    code, _, err = run_cli("recommend", str(tmp_path / "missing.yaml"))
    assert code == 2 and "file not found" in err


def test_workloads_sharing_a_self_hosted_option_share_its_deployment():
    from enginehelp import FIXTURE_KB

    from llmchoose.engine.recommend import _shared_cost
    from llmchoose.loading.knowledge import load_catalog

    rec = two_workloads()
    catalog = load_catalog(layers=[FIXTURE_KB])
    option = "server-rt/open-8b"
    separate = [next(r for r in w.ranked if r.id == option).monthly_cost for w in rec.workloads]
    shared = _shared_cost(catalog, option, rec.workloads)
    # One server and one operations allowance instead of two.
    assert shared < sum(separate)
    assert shared >= max(separate)
    api = "api-co/big-closed"
    bills = [next((r.monthly_cost for r in w.ranked if r.id == api), None) for w in rec.workloads]
    if None not in bills:
        assert _shared_cost(catalog, api, rec.workloads) == round(sum(bills), 2)
