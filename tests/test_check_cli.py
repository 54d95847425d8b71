"""`llmchoose check` from the command line: exit codes, --fail-on, --output, determinism,
no terminal, the shipped examples, and the docs that describe it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from llmchoose.schemas.vocabulary import CODES

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
OVERLAYS = DATA / "check"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
TEST_COPIES = sorted((OVERLAYS / "decisions").glob("*.yaml"))
AS_OF = "2026-11-28"
EXAMPLES_AS_OF = "2026-12-01"  # the date the shipped examples were recorded


@pytest.fixture
def cli(run_cli, fixture_kb):
    return run_cli


@pytest.fixture
def decision(cli, tmp_path):
    """The start-up example, recorded afresh as of AS_OF with the option the overlays in
    tests/data/check change."""
    path = tmp_path / "llm-decision.yaml"
    text = (REPO / "examples" / "startup-chatbot.yaml").read_text(encoding="utf-8")
    path.write_text(text.split("    choice:")[0], encoding="utf-8")
    code, _, err = cli(
        "decide", str(path), "--as-of", AS_OF, "--by", "Tester", "--choose", "api-co/big-closed"
    )
    assert code == 0, err
    return path


def test_a_decision_that_holds_exits_0(cli, decision):
    code, out, err = cli("check", str(decision), "--as-of", AS_OF)
    assert code == 0
    assert re.search(r"support-chat: api-co/big-closed \(rank \d+ of \d+, score 0\.\d{3}", out)
    assert "the decision holds; exit 0 (--fail-on error)" in out
    assert err == ""


def test_the_default_file_is_llm_decision_yaml(cli, decision, monkeypatch):
    monkeypatch.chdir(decision.parent)
    code, out, _ = cli("check", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    assert json.loads(out)["files"][0]["file"] == "llm-decision.yaml"


def test_a_missing_default_file_is_exit_2_with_a_hint(cli):
    code, out, err = cli("check")
    assert code == 2 and out == ""
    assert err.strip() == (
        "Error: llm-decision.yaml: file not found (record a decision with "
        "`llmchoose decide FILE`, or name the file)"
    )


def test_a_missing_named_file_is_exit_2(cli, decision):
    code, _, err = cli("check", str(decision), "nowhere.yaml", "--as-of", AS_OF)
    assert code == 2
    assert err.strip() == "Error: nowhere.yaml: file not found"


def test_usage_errors_are_exit_2(cli, decision):
    assert cli("check", str(decision), "--format", "xml")[0] == 2
    assert cli("check", str(decision), "--fail-on", "sometimes")[0] == 2
    assert cli("check", str(decision), "--as-of", "28/11/2026")[0] == 2
    code, _, err = cli("check", str(decision), "--kb", "no-such-folder")
    assert code == 2 and "folder not found" in err


def test_a_broken_knowledge_overlay_is_exit_2(cli, decision, write_tree, tmp_path):
    write_tree({"bad/kb.yaml": "offerings:\n  - id: api-co/big-closed\n    price: cheap\n"})
    code, out, err = cli("check", str(decision), "--kb", str(tmp_path / "bad"))
    assert code == 2 and out == ""
    assert err.startswith("Error: ")


def test_findings_at_fail_on_exit_1(cli, decision):
    args = ["check", str(decision), "--as-of", "2026-12-02", "--kb", str(OVERLAYS / "price-up")]
    assert cli(*args)[0] == 0  # a warning and two infos
    assert cli(*args, "--fail-on", "warning")[0] == 1
    assert cli(*args, "--fail-on", "info")[0] == 1
    retired = ["check", str(decision), "--as-of", "2026-12-02", "--kb", str(OVERLAYS / "retired")]
    code, out, _ = cli(*retired)
    assert code == 1
    assert "LC010" in out and "the decision fails" in out
    assert cli(*retired, "--fail-on", "never")[0] == 0


@pytest.mark.parametrize("fail_on", ["error", "warning", "info", "never"])
def test_fail_on_changes_the_exit_code_never_the_verdict(cli, decision, fail_on):
    retired = ["check", str(decision), "--as-of", "2026-12-02", "--kb", str(OVERLAYS / "retired")]
    code, out, _ = cli(*retired, "--fail-on", fail_on)
    assert code == (0 if fail_on == "never" else 1)
    assert f"the decision fails; exit {code} (--fail-on {fail_on})." in out
    assert "holds" not in out.splitlines()[-1]
    code, out, _ = cli(*retired, "--fail-on", fail_on, "--format", "json")
    data = json.loads(out)
    assert (data["result"], data["files"][0]["result"]) == ("fails", "fails")
    assert data["exit_code"] == code == (0 if fail_on == "never" else 1)


def test_a_ruled_out_choice_says_what_to_choose_and_how(cli, decision):
    retired = ["check", str(decision), "--as-of", "2026-12-02", "--kb", str(OVERLAYS / "retired")]
    _, out, _ = cli(*retired, "--format", "json")
    workload = json.loads(out)["files"][0]["workloads"][0]
    step = workload["next_step"]
    assert step["why"] == "ruled-out"
    assert step["option"] not in (None, "api-co/big-closed")
    # One workload: --choose takes the option alone.
    assert step["commands"] == [
        f"llmchoose decide {decision} --choose {step['option']}",
        f"llmchoose decide {decision} --reset",
    ]
    _, text, _ = cli(*retired)
    assert f"next: the best option now is {step['option']}" in text
    assert f"`llmchoose decide {decision} --choose {step['option']}`" in text


def test_a_decision_that_holds_has_no_next_step(cli, decision):
    _, out, _ = cli("check", str(decision), "--as-of", AS_OF, "--format", "json")
    assert json.loads(out)["files"][0]["workloads"][0]["next_step"] is None
    assert "next:" not in cli("check", str(decision), "--as-of", AS_OF)[1]


def test_a_file_that_fails_the_schema_is_a_finding_and_the_others_are_still_checked(
    cli, decision, tmp_path
):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 2\nproject: {name: X}\nworkloads: [{id: a, name: A}]\n")
    code, out, _ = cli("check", str(broken), str(decision), "--as-of", AS_OF, "-f", "json")
    assert code == 1
    data = json.loads(out)
    assert [f["code"] for f in data["files"][0]["findings"]] == ["LC001"]
    assert data["files"][0]["findings"][0]["line"] == 1
    assert data["files"][1]["result"] == "holds"


def test_output_writes_the_report_and_summarises_on_stderr(cli, decision, tmp_path):
    target = tmp_path / "out" / "report.sarif"
    code, out, err = cli(
        "check",
        str(decision),
        "--as-of",
        "2026-12-02",
        "--kb",
        str(OVERLAYS / "retired"),
        "-f",
        "sarif",
        "-o",
        str(target),
    )
    assert code == 1
    assert out == ""
    assert err.startswith(f"Wrote {target}. 1 error, 1 warning, 1 info in 1 file")
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert cli("check", str(decision), "-o", str(tmp_path))[0] == 2  # a folder


@pytest.mark.parametrize("fmt", ["human", "json", "junit", "github", "sarif"])
def test_the_same_inputs_give_the_same_bytes(cli, decision, fmt):
    args = ["check", str(decision), "--as-of", "2026-12-02", "--kb", str(OVERLAYS / "price-up")]
    first = cli(*args, "-f", fmt)
    second = cli(*args, "-f", fmt)
    assert first == second
    assert first[1]


def test_check_runs_without_a_terminal_and_never_prompts(decision):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LLMCHOOSE_")},
        "LLMCHOOSE_KNOWLEDGE_DIR": str(DATA / "kb"),
        "PYTHONPATH": str(REPO),
        "TERM": "dumb",
    }
    done = subprocess.run(
        [sys.executable, "-m", "llmchoose", "check", str(decision), "--as-of", AS_OF],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=decision.parent,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "holds" in done.stdout
    assert "\x1b[" not in done.stdout  # no colour codes without a terminal


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_holds_on_the_built_in_knowledge_base(run_cli, example):
    code, out, err = run_cli("check", str(example), "--as-of", EXAMPLES_AS_OF, "-f", "json")
    data = json.loads(out)
    errors = [
        f"{f['code']}: {f['message']}"
        for f in data["files"][0]["findings"]
        if f["severity"] == "error"
    ]
    # When the built-in knowledge base changes so much that an example no longer holds,
    # record it again: llmchoose decide examples/NAME.yaml --reset --as-of 2026-12-01
    assert (code, errors) == (0, []), err
    assert all(w["state"] == "ranked" for w in data["files"][0]["workloads"])


@pytest.mark.parametrize("example", TEST_COPIES, ids=lambda p: p.stem)
def test_the_test_copies_of_the_examples_hold_on_the_test_knowledge_base(cli, example):
    code, out, err = cli("check", str(example), "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    found = json.loads(out)["files"][0]["findings"]
    assert [f"{f['code']}: {f['message']}" for f in found if f["area"] != "ranking"] == []


def test_the_test_copies_keep_the_examples_answers():
    for copy in TEST_COPIES:
        original = yaml.safe_load((REPO / "examples" / copy.name).read_text(encoding="utf-8"))
        ours = yaml.safe_load(copy.read_text(encoding="utf-8"))
        for key in ("project", "answers", "weights", "ahp", "method"):
            assert ours.get(key) == original.get(key), (copy.name, key)
        assert [{**w, "choice": None} for w in ours["workloads"]] == [
            {**w, "choice": None} for w in original["workloads"]
        ]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_explains_itself_and_names_its_schema(example):
    lines = example.read_text(encoding="utf-8").splitlines()
    # A stable location wherever the file is copied: the schema `llmchoose schema
    # decision` writes next to it, as `decide` and `init` name it.
    assert lines[0] == "# yaml-language-server: $schema=llm-decision.schema.json"
    assert lines[1] == (
        "# For completion in your editor: llmchoose schema decision -o llm-decision.schema.json"
    )
    header = [line for line in lines[2:] if line.startswith("#")]
    assert len(header) >= 2  # the scenario, in a few lines
    data = yaml.safe_load("\n".join(lines))
    assert all(w["choice"]["snapshot"]["facts"] for w in data["workloads"])
    assert "policy" in data
    # Headroom: a recorded choice within a few ranks of the best does not fail CI on a
    # small price move; the margin is the guard.
    assert data["policy"]["max_rank"] >= 5 and data["policy"]["max_margin"] > 0


def test_the_examples_cover_the_scenarios_the_issue_names():
    names = {p.stem for p in EXAMPLES}
    assert {
        "startup-chatbot",
        "hospital-clinical-notes",
        "offline-field-app",
        "hybrid-support-and-notes",
    } <= names
    hybrid = yaml.safe_load((REPO / "examples" / "hybrid-support-and-notes.yaml").read_text())
    options = [w["choice"]["option"] for w in hybrid["workloads"]]
    assert len(options) == 2 and len(set(options)) == 2
    hospital = yaml.safe_load((REPO / "examples" / "hospital-clinical-notes.yaml").read_text())
    assert hospital["workloads"][0]["choice"]["snapshot"]["category"] == "self-hosted"
    field = yaml.safe_load((REPO / "examples" / "offline-field-app.yaml").read_text())
    assert field["workloads"][0]["choice"]["snapshot"]["category"] == "on-device"


def test_the_docs_list_every_finding_code_as_the_registry_does():
    text = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (LC\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", text, re.M)
    assert [(code, name, severity) for code, name, severity in rows] == [
        (c.code, c.name, c.severity) for c in CODES.values()
    ]
    for phrase in ("| 0 |", "| 1 |", "| 2 |", "upload-sarif", ".pre-commit-config.yaml"):
        assert phrase in text


def test_the_pre_commit_hooks_run_check():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"llmchoose-check", "llmchoose-check-always"}
    for hook in hooks:
        assert hook["entry"].startswith("llmchoose check")
        assert hook["language"] == "python"
        assert {"id", "name", "entry", "language"} <= set(hook)
    changed = next(h for h in hooks if h["id"] == "llmchoose-check")
    pattern = re.compile(changed["files"])
    assert pattern.search("llm-decision.yaml") and pattern.search("team/llm-decision-chat.yml")
    assert not pattern.search("other.yaml")


@pytest.mark.parametrize("command", ["check", "decide", "adr"])
def test_each_command_has_help_with_an_example(cli, command):
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert "Example: llmchoose " + command in out
