"""How long `check` and `recommend` take on the shipped examples, against bare Python, and
how much of it is sizing self-hosted and on-device options.

Run: python benchmarks/serving_speed.py [--runs N] [--example FILE ...]

Prints, per example, the median wall time of fresh `llmchoose check` processes (with
--no-cache: the whole check, as after any change; and cached: a pre-commit run on an
unchanged repository) and `llmchoose recommend` processes, as multiples of
`python -c pass` (targets: check 20x, recommend 30x), and the in-process time of
building the options: every option sized (`enumerate_options`) and only those the early
rules keep (what `recommend` does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
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


def _sizing(example: Path, runs: int) -> tuple[float, float]:
    """Median seconds to build the example's options: all sized, and only survivors."""
    from llmchoose.engine.constraints import rules_without
    from llmchoose.engine.options import SIZED_FACTS, enumerate_options, enumerate_screened
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
    answers = [effective_answers(criteria, decision.answers, w.answers) for w in decision.workloads]
    every, screened = [], []
    for _ in range(runs):
        catalog = load_catalog()
        start = time.perf_counter()
        for usage in usages:
            enumerate_options(catalog, usage, dt.date.fromisoformat(AS_OF))
        every.append(time.perf_counter() - start)
        catalog = load_catalog()
        start = time.perf_counter()
        for usage, given in zip(usages, answers, strict=True):
            early = rules_without(criteria, given, SIZED_FACTS)
            enumerate_screened(catalog, usage, dt.date.fromisoformat(AS_OF), early=early)
        screened.append(time.perf_counter() - start)
    return statistics.median(every), statistics.median(screened)


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
    print(
        f"{'example':<26} {'check, no cache':>16} {'check, cached':>14} {'recommend':>14} "
        f"{'size all ms':>11} {'survivors ms':>12}"
    )
    with tempfile.TemporaryDirectory() as cache:
        env["LLMCHOOSE_CACHE_DIR"] = cache
        env.pop("LLMCHOOSE_NO_CACHE", None)
        for example in examples:
            rel = str(example.resolve().relative_to(REPO))
            check = [py, "-m", "llmchoose", "check", rel, "--as-of", AS_OF]
            cold = _wall([*check, "--no-cache"], options.runs, env)
            warm = _wall(check, options.runs, env)  # the first run fills the cache
            rec = _wall(
                [py, "-m", "llmchoose", "recommend", rel, "--as-of", AS_OF], options.runs, env
            )
            every, screened = _sizing(example, options.runs)
            print(
                f"{example.stem:<26} {cold * 1000:>8.0f} ({cold / bare:>3.0f}x)"
                f" {warm * 1000:>6.0f} ({warm / bare:>3.0f}x) {rec * 1000:>6.0f} ({rec / bare:>3.0f}x)"
                f" {every * 1000:>11.0f} {screened * 1000:>12.0f}"
            )
    print("targets: check <= 20x bare, recommend <= 30x bare")


if __name__ == "__main__":
    main()
