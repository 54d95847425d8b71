"""How long `check` and `recommend` take on the shipped examples, against bare Python, and
how much of it is sizing self-hosted and on-device options.

Run: python benchmarks/serving_speed.py [--runs N] [--example FILE ...]

Prints, per example, the median wall time of fresh `llmchoose check` and
`llmchoose recommend` processes as a multiple of `python -c pass` (targets: check 20x,
recommend 30x), and the in-process time of enumerating and sizing every option
(`enumerate_options`) on a freshly loaded catalogue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

AS_OF = "2026-11-28"


def _wall(args: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            args, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True
        )
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return statistics.median(times)


def _sizing(example: Path, runs: int) -> float:
    """Median seconds to enumerate and size every option of the example's workloads."""
    from llmchoose.engine.options import enumerate_options
    from llmchoose.engine.usage import Usage
    from llmchoose.loading.answers import effective_answers
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    criteria = load_criteria()
    decision = load_decision(example, criteria)
    usages = [
        Usage.from_answers(effective_answers(criteria, decision.answers, w.answers))
        for w in decision.workloads
    ]
    times = []
    for _ in range(runs):
        catalog = load_catalog()
        start = time.perf_counter()
        for usage in usages:
            enumerate_options(catalog, usage, dt.date.fromisoformat(AS_OF))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--example", action="append", default=[])
    options = parser.parse_args()
    examples = [Path(e) for e in options.example] or sorted((REPO / "examples").glob("*.yaml"))
    env = {k: v for k, v in os.environ.items() if k != "LLMCHOOSE_KNOWLEDGE_DIR"}
    env["NO_COLOR"] = "1"
    py = sys.executable
    bare = _wall([py, "-c", "pass"], options.runs, env)
    print(f"python -c pass: {bare * 1000:.1f} ms (median of {options.runs})")
    print(f"{'example':<32} {'check':>14} {'recommend':>14} {'sizing ms':>10}")
    for example in examples:
        rel = str(example.resolve().relative_to(REPO))
        check = _wall([py, "-m", "llmchoose", "check", rel, "--as-of", AS_OF], options.runs, env)
        rec = _wall([py, "-m", "llmchoose", "recommend", rel, "--as-of", AS_OF], options.runs, env)
        sizing = _sizing(example, options.runs)
        print(
            f"{example.stem:<32} {check * 1000:>7.0f} ({check / bare:>3.0f}x)"
            f" {rec * 1000:>7.0f} ({rec / bare:>3.0f}x) {sizing * 1000:>10.0f}"
        )
    print("targets: check <= 20x bare, recommend <= 30x bare")


if __name__ == "__main__":
    main()
