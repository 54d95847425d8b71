"""Time to load the built-in knowledge base and criteria, as every ranking run does.

Each run is a fresh process that imports the loaders and then times
``load_catalog()`` + ``load_criteria()`` (so the time includes what a first load pays:
building validators on first use, reading and hashing the files). Measured three ways:
with ``LLMCHOOSE_NO_CACHE=1`` (every run parses the YAML); with an empty cache (the first
run after a change: it parses and stores); and with the cache warmed in a temporary
folder (the files are unchanged).

Run: python benchmarks/load_speed.py [--runs N]
Prints the median, best and worst milliseconds of each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_TIMED = """
import time
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
start = time.perf_counter()
catalog = load_catalog()
criteria = load_criteria()
print((time.perf_counter() - start) * 1000, len(catalog.offerings), len(criteria.criteria))
"""


def measure(runs: int, env: dict[str, str], *, empty_cache: bool = False) -> list[float]:
    times = []
    for _ in range(runs):
        if empty_cache:
            shutil.rmtree(env["LLMCHOOSE_CACHE_DIR"], ignore_errors=True)
        done = subprocess.run(
            [sys.executable, "-c", _TIMED], cwd=REPO, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.exit(f"loading failed:\n{done.stderr}")
        times.append(float(done.stdout.split()[0]))
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:<28} median {statistics.median(times):6.1f} ms"
        f"   best {min(times):6.1f}   worst {max(times):6.1f}   ({len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LLMCHOOSE_KNOWLEDGE_DIR", "LLMCHOOSE_CRITERIA_DIR", "LLMCHOOSE_NO_CACHE")
    }
    with tempfile.TemporaryDirectory() as folder:
        env["LLMCHOOSE_CACHE_DIR"] = folder
        cold = measure(options.runs, {**env, "LLMCHOOSE_NO_CACHE": "1"})
        first = measure(options.runs, env, empty_cache=True)  # the last run fills the cache
        cached = measure(options.runs, env)
    show("cold (LLMCHOOSE_NO_CACHE=1)", cold)
    show("first run (parse and store)", first)
    show("cached (files unchanged)", cached)


if __name__ == "__main__":
    main()
