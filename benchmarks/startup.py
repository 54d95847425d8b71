"""Start-up time of `llmchoose --help` and `--version` against bare `python -c pass`.

Run: python benchmarks/startup.py [--runs N]
Prints the median and best wall time of each command over N runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def measure(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    cases = {
        "python -c pass": [py, "-c", "pass"],
        "llmchoose --version": [py, "-m", "llmchoose", "--version"],
        "llmchoose --help": [py, "-m", "llmchoose", "--help"],
        "llmchoose kb --help": [py, "-m", "llmchoose", "kb", "--help"],
    }
    baseline = None
    print(f"{'command':<24} {'median ms':>10} {'best ms':>8} {'over bare':>10}")
    for name, args in cases.items():
        times = measure(args, runs)
        median = statistics.median(times) * 1000
        baseline = baseline if baseline is not None else median
        print(f"{name:<24} {median:>10.1f} {min(times) * 1000:>8.1f} {median - baseline:>+10.1f}")
    imports = subprocess.run(
        [py, "-X", "importtime", "-m", "llmchoose", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    heavy = [
        m
        for m in ("numpy", "jinja2", "pydantic", "yaml")
        if f" {m}\n" in imports or f"| {m}\n" in imports
    ]
    print("heavy modules imported by --help:", ", ".join(heavy) or "none")


if __name__ == "__main__":
    main()
