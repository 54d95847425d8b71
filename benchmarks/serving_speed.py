"""How long `check` and `recommend` take on the shipped examples, against bare Python, and
how much of it is sizing self-hosted and on-device options.

Run: python benchmarks/serving_speed.py [--runs N] [--example FILE ...]

Prints, per example, the median wall time of fresh processes as multiples of
`python -c pass` (targets: check 20x, recommend 30x), in three situations:

- cold: every cache off (`LLMCHOOSE_NO_CACHE=1`), as on a fresh CI machine;
- edited: the decision file changes before every run (a comment line), so `check`
  cannot reuse its answer, while the parsed knowledge and the sizings (keyed by the
  knowledge's contents and the workload) are reused: a team editing its decision;
- unchanged: `check` on an unchanged repository (a pre-commit hook).

and the in-process time of building the options: every option sized
(`enumerate_options`) and only those the early rules keep (what `recommend` does).
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


def _edited(example: Path, folder: Path) -> Path:
    """A copy of the example that gets a new comment line before each run."""
    copy = folder / example.name
    copy.write_bytes(example.read_bytes())
    return copy


def _wall_edited(args: list[str], copy: Path, runs: int, env: dict[str, str]) -> float:
    times = []
    for run in range(runs + 1):
        with copy.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {run}\n")
        times.append(_wall(args, 1, env))
    return statistics.median(times[1:])  # the first run fills the caches


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
        f"{'':<26} {'check':^42} {'recommend':^28} {'sizing in-process':>22}"
        f"\n{'example':<26} {'cold':>13} {'edited':>13} {'unchanged':>13}"
        f" {'cold':>13} {'edited':>13} {'all ms':>10} {'kept ms':>10}"
    )

    def cell(seconds: float) -> str:
        return f"{seconds * 1000:>6.0f} ({seconds / bare:>3.0f}x)"

    cold_env = {**env, "LLMCHOOSE_NO_CACHE": "1"}
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as work:
        env["LLMCHOOSE_CACHE_DIR"] = cache
        env.pop("LLMCHOOSE_NO_CACHE", None)
        for example in examples:
            copy = _edited(example.resolve(), Path(work))
            check = [py, "-m", "llmchoose", "check", "--as-of", AS_OF]
            recommend = [py, "-m", "llmchoose", "recommend", "--as-of", AS_OF]
            rel = str(example.resolve().relative_to(REPO))
            figures = (
                _wall([*check, rel], options.runs, cold_env),
                _wall_edited([*check, str(copy)], copy, options.runs, env),
                _wall([*check, rel], options.runs, env),  # the first run fills the cache
                _wall([*recommend, rel], options.runs, cold_env),
                _wall_edited([*recommend, str(copy)], copy, options.runs, env),
            )
            every, screened = _sizing(example, options.runs)
            print(
                f"{example.stem:<26} "
                + " ".join(cell(f) for f in figures)
                + f" {every * 1000:>10.0f} {screened * 1000:>10.0f}"
            )
    print("targets: check <= 20x bare, recommend <= 30x bare")


if __name__ == "__main__":
    main()
