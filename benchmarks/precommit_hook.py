"""End-to-end time of the `llmchoose-check` pre-commit hook on an overlay commit.

Builds a throwaway git repository with a shipped example as `llm-decision.yaml`, the hook
from `.pre-commit-hooks.yaml` (run from this checkout's Python instead of a pre-commit
managed environment, so no install is timed), `pre-commit install`ed as the git hook.
Each run edits an overlay under `.llmchoose/knowledge/` and times `git commit`: git,
pre-commit's own start-up, and `llmchoose check --changed` together, as a user waits
for them. A commit that changes nothing the hook watches is timed too (pre-commit
alone, the hook skipped).

Run: python benchmarks/precommit_hook.py [--runs N] [--example FILE] [--fixture-kb]
Needs git and pre-commit (`pip install pre-commit`). Prints median, best and worst.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
OVERLAY = """\
# Benchmark overlay, run {run}: a source-only layer, so the facts stay the same.
sources:
  - id: benchmark-note
    title: Benchmark note
    url: https://example.com/benchmark
"""


def _git(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def _setup(root: Path, example: Path, env: dict[str, str]) -> None:
    shutil.copy(example, root / "llm-decision.yaml")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = dict(next(h for h in hooks if h["id"] == "llmchoose-check"))
    hook["language"] = "system"
    hook["entry"] = hook["entry"].replace("llmchoose", f"{sys.executable} -m llmchoose", 1)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (root / ".llmchoose" / "knowledge").mkdir(parents=True)
    (root / ".llmchoose" / "knowledge" / "bench.yaml").write_text(OVERLAY.format(run=0))
    (root / "notes.txt").write_text("0\n")
    for step in (
        ["init", "-q"],
        ["config", "user.email", "bench@example.com"],
        ["config", "user.name", "Bench"],
        ["add", "."],
        ["commit", "-q", "-m", "start", "--no-verify"],
    ):
        done = _git(root, *step, env=env)
        if done.returncode:
            sys.exit(f"git {' '.join(step)} failed:\n{done.stderr}")
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode:
        sys.exit(f"pre-commit install failed:\n{install.stdout}{install.stderr}")


def _timed_commit(root: Path, path: str, text: str, env: dict[str, str]) -> tuple[float, str]:
    (root / path).write_text(text, encoding="utf-8")
    _git(root, "add", path, env=env)
    start = time.perf_counter()
    done = _git(root, "commit", "-q", "-m", f"edit {path}", env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"git commit failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    if done.returncode == 1:  # the hook failed the commit; commit anyway for the next run
        _git(root, "commit", "-q", "-m", f"edit {path}", "--no-verify", env=env)
    return elapsed, "passed" if done.returncode == 0 else "failed"


def _report(label: str, times: list[float], outcome: str) -> None:
    print(
        f"{label:<38} median {statistics.median(times):6.2f} s   best {min(times):6.2f} s   "
        f"worst {max(times):6.2f} s   (hook {outcome}, {len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--example", default="examples/startup-chatbot.yaml")
    parser.add_argument("--fixture-kb", action="store_true", help="Use the test knowledge base.")
    options = parser.parse_args()
    if shutil.which("git") is None:
        sys.exit("git is not installed")
    env = {k: v for k, v in os.environ.items() if k != "LLMCHOOSE_KNOWLEDGE_DIR"}
    env["NO_COLOR"] = "1"
    example = REPO / options.example
    if options.fixture_kb:
        env["LLMCHOOSE_KNOWLEDGE_DIR"] = str(REPO / "tests" / "data" / "kb")
        example = REPO / "tests" / "data" / "check" / "decisions" / example.name
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env["PRE_COMMIT_HOME"] = str(root / ".cache")
        _setup(root, example, env)
        overlay, other = [], []
        outcome = skipped = ""
        for run in range(1, options.runs + 1):
            elapsed, outcome = _timed_commit(
                root, ".llmchoose/knowledge/bench.yaml", OVERLAY.format(run=run), env
            )
            overlay.append(elapsed)
            elapsed, skipped = _timed_commit(root, "notes.txt", f"{run}\n", env)
            other.append(elapsed)
    print(f"example: {options.example}   knowledge: {'test' if options.fixture_kb else 'built-in'}")
    _report("commit of a .llmchoose/ overlay", overlay, outcome)
    _report("commit of an unrelated file", other, f"skipped, commit {skipped}")


if __name__ == "__main__":
    main()
