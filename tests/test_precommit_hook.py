"""The `llmchoose-check` pre-commit hook: it runs when a decision file or a .llmchoose/
overlay changes, and checks the decisions the change affects."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from llmchoose.decision.check.hook import DECISION_FILE, decision_files_for_changes

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
HOOKS = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("llm-decision.yaml", True),
        ("services/chat/llm-decision-eu.yml", True),
        (".llmchoose/knowledge/prices.yaml", True),
        (".llmchoose/criteria/extra.yaml", True),
        ("docs/llm-decision.md", False),
        ("README.md", False),
        ("sub/.llmchoose/knowledge/prices.yaml", False),  # overlays load from the top only
    ],
)
def test_the_hook_runs_on_decision_files_and_overlays(path, runs):
    assert bool(re.search(HOOKS["llmchoose-check"]["files"], path)) is runs


def test_the_hook_and_the_command_agree_on_decision_file_names():
    for name in ("llm-decision.yaml", "a/llm-decision-x.yml", "llm-decisions.yaml"):
        assert bool(DECISION_FILE.search(name)) is bool(
            re.search(HOOKS["llmchoose-check"]["files"], name)
        )


def test_an_overlay_change_checks_every_decision_file_at_the_top(tmp_path):
    for name in ("llm-decision.yaml", "llm-decision-eu.yml", "notes.yaml"):
        (tmp_path / name).write_text("x")
    overlay = [Path(".llmchoose/knowledge/prices.yaml")]
    assert decision_files_for_changes(overlay, tmp_path) == [
        Path("llm-decision-eu.yml"),
        Path("llm-decision.yaml"),
    ]
    only_decision = [Path("llm-decision.yaml")]
    assert decision_files_for_changes(only_decision, tmp_path) == only_decision
    both = [Path("llm-decision.yaml"), *overlay]
    assert decision_files_for_changes(both, tmp_path).count(Path("llm-decision.yaml")) == 1
    assert decision_files_for_changes([Path("README.md")], tmp_path) == []
    # A deleted decision file is not checked.
    assert decision_files_for_changes([Path("llm-decision-gone.yaml")], tmp_path) == []


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_rechecks_the_decision_on_an_overlay_commit(tmp_path, fixture_kb, run_cli):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed")
    decision = tmp_path / "llm-decision.yaml"
    example = (REPO / "examples" / "startup-chatbot.yaml").read_text(encoding="utf-8")
    decision.write_text(example.split("    choice:")[0], encoding="utf-8")
    code, _, err = run_cli(
        "decide", str(decision), "--as-of", "2026-11-28", "--choose", "api-co/big-closed"
    )
    assert code == 0, err
    # The hook as shipped, run from this checkout instead of an installed copy.
    hook = dict(HOOKS["llmchoose-check"])
    hook["language"] = "system"
    hook["entry"] = (
        hook["entry"].replace("llmchoose", f"{sys.executable} -m llmchoose", 1)
        + " --as-of 2026-12-02"
    )
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    overlay = tmp_path / ".llmchoose" / "knowledge" / "retire.yaml"
    overlay.parent.mkdir(parents=True)
    shutil.copy(DATA / "check" / "retired" / "retire.yaml", overlay)
    _git(tmp_path, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def pre_commit(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "llmchoose-check", "--files", *files],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    done = pre_commit(".llmchoose/knowledge/retire.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "LC010" in done.stdout
    assert "next: the best option now is" in done.stdout
    skipped = pre_commit(".pre-commit-config.yaml")
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout
