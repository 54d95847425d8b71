"""Shared fixtures. Every test runs in an empty temporary folder with a clean
environment, so a developer's own ./.llmchoose layers or settings never leak in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE_KB = REPO / "tests" / "data" / "kb"


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    for name in (
        "LLMCHOOSE_KNOWLEDGE_DIR",
        "LLMCHOOSE_CRITERIA_DIR",
        "LLMCHOOSE_CACHE_DIR",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.delenv(name, raising=False)
    # A test that changes code behaviour in-process must not get an earlier answer;
    # tests/test_check_cache.py turns the cache back on.
    monkeypatch.setenv("LLMCHOOSE_NO_CACHE", "1")


@pytest.fixture
def fixture_kb(monkeypatch) -> Path:
    """Use the small test knowledge base instead of the built-in one."""
    monkeypatch.setenv("LLMCHOOSE_KNOWLEDGE_DIR", str(FIXTURE_KB))
    return FIXTURE_KB


@pytest.fixture
def write_tree(tmp_path):
    """Write files from a dict {relative path: text or data}; data is dumped as YAML."""

    def write(files: dict, root: Path | None = None) -> Path:
        base = root or tmp_path
        for rel, content in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
            path.write_text(text, encoding="utf-8")
        return base

    return write


@pytest.fixture
def run_cli(capsys):
    """Run `llmchoose ARGS` in-process; return (exit code, stdout, stderr)."""
    from llmchoose.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run
