"""`llmchoose init` without a person at the keyboard: --answers, --defaults, --edit,
--force, the no-terminal refusal, and that the file written loads and recommends."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent / "data" / "init"
AS_OF = ("--as-of", "2026-11-28")


@pytest.fixture(autouse=True)
def _no_terminal(fixture_kb, monkeypatch):
    """Stdin that is no terminal."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def load(path: str | Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def test_without_a_terminal_it_refuses_at_once_and_says_what_to_do(run_cli):
    code, out, err = run_cli("init")
    assert code == 2
    assert out == ""
    assert err == (
        "Error: `llmchoose init` asks questions, and stdin is not a terminal; use --answers "
        "FILE to give the answers, --defaults to take the defaults, or both\n"
    )
    assert not Path("llm-decision.yaml").exists()


def test_defaults_write_a_decision_that_loads_and_recommends(run_cli):
    code, out, err = run_cli("init", "--defaults", *AS_OF)
    assert code == 0, err
    assert out == ""  # talk goes to stderr
    text = Path("llm-decision.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=llm-decision.schema.json\n")
    assert "Wrote llm-decision.yaml: 1 workload, 41 answers." in err
    assert "Main workload: 5 options ranked, 4 ruled out by your requirements" in err
    assert re.search(
        r"  1\. api-co/big-closed \(Proprietary API, score 0\.\d\d\) — strong on ", err
    )
    assert err.count("\n  2. ") == 1 and err.count("\n  3. ") == 1 and "\n  4. " not in err
    assert "Recorded for main: api-co/big-closed (rank 1 of 4 models, new)." in err
    assert f"Decision file: {Path('llm-decision.yaml').resolve().as_posix()}" in err
    data = load("llm-decision.yaml")
    assert data["workloads"][0]["choice"]["option"] == "api-co/big-closed"
    # Recording the choice kept the comment heading each factor's answers.
    text = Path("llm-decision.yaml").read_text(encoding="utf-8")
    assert "\n  # Data privacy\n" in text and "\n      # Cost\n" in text
    code, out, err = run_cli("recommend", "llm-decision.yaml", *AS_OF, "--format", "json")
    assert code == 0, err
    assert '"server-rt/tiny-1b"' in out


def test_answers_then_defaults_for_the_rest(run_cli):
    code, _, err = run_cli(
        "init", "--answers", str(DATA / "team-answers.yaml"), "--defaults", "--no-record",
        "-o", "out/decision.yaml", *AS_OF,
    )  # fmt: skip
    assert code == 0, err
    data = load("out/decision.yaml")
    assert data["project"] == {"name": "Acme assistants", "organisation": "Acme Ltd"}
    assert [w["id"] for w in data["workloads"]] == ["support-chat", "contract-review"]
    assert data["answers"]["ops_capability"] == "none"  # from the file
    assert data["answers"]["cost_importance"] == 3  # a default
    chat, review = (w["answers"] for w in data["workloads"])
    assert chat["requests_per_day"] == 2000 and review["requests_per_day"] == 150
    assert review["min_context_tokens"] == 30000
    # The same for both workloads: written once, with the shared answers.
    assert data["answers"]["input_tokens"] == 1500 and "input_tokens" not in chat
    # Asked only where the condition holds: a batch job has no response-time limit.
    assert "max_response_s" in chat and "max_response_s" not in review
    assert "choice" not in data["workloads"][0]  # --no-record
    assert "Contract review: " in err
    code, _, err = run_cli("recommend", "out/decision.yaml", *AS_OF)
    assert code == 0, err


def test_answers_alone_must_answer_everything_without_a_terminal(run_cli, write_tree):
    write_tree({"a.yaml": "project: Acme\nanswers: {cost_importance: 5}\n"})
    code, _, err = run_cli("init", "--answers", "a.yaml", *AS_OF)
    assert code == 2
    assert err.startswith("Error: a.yaml: 41 questions have no answer: workloads, data_sensitivity (main), ")  # fmt: skip
    assert err.endswith("(add them to the file, or add --defaults to take the defaults)\n")
    assert not Path("llm-decision.yaml").exists()


def test_a_complete_answers_file_needs_no_defaults(run_cli):
    code, _, err = run_cli("init", "--defaults", "--no-record", "-o", "first.yaml", *AS_OF)
    assert code == 0, err
    code, _, err = run_cli("init", "--answers", "first.yaml", "-o", "second.yaml", "--no-record", *AS_OF)  # fmt: skip
    assert code == 0, err
    assert load("first.yaml") == load("second.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "answers:\n  ops_capability: none\n  cost_importanse: 4\n",
            "Error: a.yaml:3: answers.cost_importanse: unknown question "
            "(did you mean 'cost_importance'?)\n",
        ),
        (
            "workloads:\n  - name: Chat\n    answers:\n      requests_per_day: -5\n",
            "Error: a.yaml:4: workloads[0].answers.requests_per_day: must be at least 0 "
            "(allowed: a number from 0 to 1,000,000,000 requests per day)\n",
        ),
        (
            "answers:\n  time_to_launch: tomorrow\n",
            "Error: a.yaml:2: answers.time_to_launch: 'tomorrow' is not a choice; allowed: "
            "days, weeks, months\n",
        ),
        (
            "answers:\n  integration_importance: high\n",
            "Error: a.yaml:2: answers.integration_importance: expected a number, got 'high' "
            "(allowed: 1 to 5)\n",
        ),
    ],
)
def test_a_bad_answers_file_is_one_message_and_exit_2(run_cli, write_tree, text, message):
    write_tree({"a.yaml": text})
    code, out, err = run_cli("init", "--answers", "a.yaml", "--defaults", *AS_OF)
    assert (code, out, err) == (2, "", message)
    assert not Path("llm-decision.yaml").exists()


def test_an_existing_decision_is_not_overwritten_without_force(run_cli):
    Path("llm-decision.yaml").write_text("# ours\n", encoding="utf-8")
    code, _, err = run_cli("init", "--defaults", *AS_OF)
    assert code == 2
    assert err == (
        "Error: llm-decision.yaml: the decision file exists (add --force to replace it, "
        "or revise it with --edit llm-decision.yaml)\n"
    )
    assert Path("llm-decision.yaml").read_text(encoding="utf-8") == "# ours\n"
    code, _, err = run_cli("init", "--defaults", "--force", "--no-record", *AS_OF)
    assert code == 0, err
    assert load("llm-decision.yaml")["project"]["name"]


def test_edit_keeps_the_choice_the_policy_and_the_comments(run_cli, write_tree):
    original = (DATA.parent / "report" / "two-workloads.yaml").read_text(encoding="utf-8")
    body = original[original.index("version: 1") :]
    write_tree(
        {
            "d.yaml": "# The clinic's decision, agreed on 2026-10-01.\n"
            + body
            + "policy:\n  max_rank: 2\n"
        }
    )
    code, _, err = run_cli("init", "--edit", "d.yaml", "--defaults", *AS_OF, "--by", "Dr Who")
    assert code == 0, err
    text = Path("d.yaml").read_text(encoding="utf-8")
    assert "# The clinic's decision, agreed on 2026-10-01." in text
    data = load("d.yaml")
    assert data["policy"]["max_rank"] == 2
    assert data["project"]["description"].startswith("Drafts patient notes")
    notes, copy = data["workloads"]
    assert notes["answers"]["data_location"] == "own-infrastructure"
    assert copy["answers"]["quality_importance"] == 5  # kept for that workload
    assert notes["choice"]["decided_by"] == "Dr Who"
    # Revising again without changes keeps the answers as they are.
    before = {k: v for k, v in data.items()}
    code, _, err = run_cli("init", "--edit", "d.yaml", "--defaults", "--no-record", *AS_OF)
    assert code == 0, err
    after = load("d.yaml")
    assert after["answers"] == before["answers"]
    assert [w["answers"] for w in after["workloads"]] == [w["answers"] for w in before["workloads"]]
    assert after["workloads"][0]["choice"]["option"] == notes["choice"]["option"]


def test_resume_without_a_draft_says_so(run_cli):
    code, _, err = run_cli("init", "--resume", "--defaults", *AS_OF)
    assert code == 2
    assert err == (
        "Error: llm-decision.yaml.draft: no draft to resume (start with `llmchoose init`)\n"
    )


def test_a_draft_finished_with_defaults(run_cli, write_tree):
    write_tree(
        {
            "llm-decision.yaml.draft": "draft: 1\ntarget: llm-decision.yaml\nstate:\n"
            "  values:\n    ':name': Drafted\n    cost_importance: 5\n"
            "  cursor: privacy_importance\n"
        }
    )
    code, _, err = run_cli("init", "--resume", "--defaults", "--no-record", *AS_OF)
    assert code == 0, err
    data = load("llm-decision.yaml")
    assert data["project"]["name"] == "Drafted"
    assert data["answers"]["cost_importance"] == 5


def test_a_leftover_draft_is_left_alone_by_a_scripted_run(run_cli, write_tree):
    write_tree({"llm-decision.yaml.draft": "draft: 1\nstate: {values: {}}\n"})
    code, _, err = run_cli("init", "--defaults", "--no-record", *AS_OF)
    assert code == 0, err
    assert Path("llm-decision.yaml.draft").exists()
    assert "Note: an earlier run's draft is still at llm-decision.yaml.draft" in err


def test_a_teams_own_criteria_folder_adds_a_question_without_code(run_cli, write_tree):
    write_tree({"a.yaml": "answers: {privacy_review_done: true}\n"})
    code, _, err = run_cli(
        "init", "--criteria", str(DATA / "extra-criteria"), "--answers", "a.yaml",
        "--defaults", "--no-record", *AS_OF,
    )  # fmt: skip
    assert code == 0, err
    data = load("llm-decision.yaml")
    assert data["answers"]["privacy_review_done"] is True
    # The layer also changed a default.
    assert data["workloads"][0]["answers"]["data_sensitivity"] == "confidential"


def test_options_that_do_not_go_together(run_cli):
    code, _, err = run_cli("init", "--resume", "--answers", "a.yaml")
    assert (code, err) == (2, "Error: give --resume or --answers, not both\n")


def test_init_has_help_with_an_example(run_cli):
    code, out, _ = run_cli("init", "--help")
    assert code == 0
    assert "Example: llmchoose init --answers answers.yaml --defaults" in out
    for option in ("--answers", "--defaults", "--edit", "--resume", "--force", "--plain"):
        assert option in out


def test_a_resumed_draft_keeps_the_permission_to_replace(run_cli, write_tree):
    write_tree(
        {
            "llm-decision.yaml": "# an old decision\n",
            "llm-decision.yaml.draft": "draft: 1\nreplace: true\nstate:\n  values: {':name': New}\n",
        }
    )
    code, _, err = run_cli("init", "--resume", "--defaults", "--no-record", *AS_OF)
    assert code == 0, err
    assert load("llm-decision.yaml")["project"]["name"] == "New"
