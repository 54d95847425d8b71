"""`check` reuses its answer for inputs it has seen, and only for those."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import llmchoose.decision.check.run as check_run

EXAMPLES = Path(__file__).parent.parent / "examples"
AS_OF = ("--as-of", "2026-12-01")


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """The cache on, in a folder of this test's own, and a count of real check runs."""
    monkeypatch.delenv("LLMCHOOSE_NO_CACHE")
    folder = tmp_path / "cache"
    monkeypatch.setenv("LLMCHOOSE_CACHE_DIR", str(folder))
    runs: list[int] = []
    real = check_run.check_files

    def counted(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(check_run, "check_files", counted)
    return folder, runs


def _decision(tmp_path: Path) -> Path:
    target = tmp_path / "llm-decision.yaml"
    shutil.copy(EXAMPLES / "startup-chatbot.yaml", target)
    return target


def test_the_same_inputs_give_the_same_answer_without_a_second_run(run_cli, cached, tmp_path):
    folder, runs = cached
    decision = _decision(tmp_path)
    first = run_cli("check", str(decision), *AS_OF)
    second = run_cli("check", str(decision), *AS_OF)
    assert first == second and first[0] == 0
    assert "holds" in first[1]
    assert len(runs) == 1
    assert len(list(folder.glob("*.json"))) == 1


def test_any_changed_input_runs_the_check_again(run_cli, cached, tmp_path):
    _, runs = cached
    decision = _decision(tmp_path)
    run_cli("check", str(decision), *AS_OF)
    run_cli("check", str(decision), "--as-of", "2026-12-02")  # another day
    run_cli("check", str(decision), *AS_OF, "--format", "json")  # another format
    overlay = tmp_path / ".llmchoose" / "knowledge"
    overlay.mkdir(parents=True)
    (overlay / "extra.yaml").write_text("sources: []\n", encoding="utf-8")
    run_cli("check", str(decision), *AS_OF)  # a project overlay appeared
    decision.write_text(decision.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8")
    run_cli("check", str(decision), *AS_OF)  # the decision file changed
    run_cli("check", str(decision), *AS_OF, "--no-cache")
    assert len(runs) == 6


def test_a_failing_check_is_remembered_with_its_exit_code(run_cli, cached, tmp_path):
    _, runs = cached
    decision = _decision(tmp_path)
    text = decision.read_text(encoding="utf-8")
    gone = text.replace("option: google-vertex-ai/gemini-3.8-flash", "option: nobody/no-model")
    decision.write_text(gone, encoding="utf-8")
    first = run_cli("check", str(decision), *AS_OF, "--format", "github")
    second = run_cli("check", str(decision), *AS_OF, "--format", "github")
    assert first == second
    assert first[0] == 1 and "nobody/no-model" in first[1]
    assert len(runs) == 1


def test_a_damaged_entry_is_ignored_and_replaced(run_cli, cached, tmp_path):
    folder, runs = cached
    decision = _decision(tmp_path)
    expected = run_cli("check", str(decision), *AS_OF, "--format", "json")
    (entry,) = folder.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert run_cli("check", str(decision), *AS_OF, "--format", "json") == expected
    assert len(runs) == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["exit_code"] == expected[0]


def test_an_unwritable_cache_does_not_fail_the_check(run_cli, cached, tmp_path, monkeypatch):
    _, runs = cached
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("LLMCHOOSE_CACHE_DIR", str(blocker / "cache"))
    decision = _decision(tmp_path)
    code, out, _ = run_cli("check", str(decision), *AS_OF)
    assert code == 0 and "holds" in out
    run_cli("check", str(decision), *AS_OF)
    assert len(runs) == 2
