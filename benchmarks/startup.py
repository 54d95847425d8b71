"""Start-up time of `llmchoose --help` and `--version` against bare `python -c pass`.

Run: python benchmarks/startup.py [--runs N]
Prints the median and best wall time of each command over N runs, and the median as a
multiple of bare Python's. Targets: --version within 3x bare Python (it answers before
typer or rich load), --help within 8x.
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
    targets = {"llmchoose --version": 3.0, "llmchoose --help": 8.0}
    baseline = None
    print(f"{'command':<24} {'median ms':>10} {'best ms':>8} {'x bare':>7} {'target':>7}")
    for name, args in cases.items():
        times = measure(args, runs)
        median = statistics.median(times) * 1000
        baseline = baseline if baseline is not None else median
        target = f"<= {targets[name]:.0f}x" if name in targets else ""
        print(
            f"{name:<24} {median:>10.1f} {min(times) * 1000:>8.1f} "
            f"{median / baseline:>6.1f}x {target:>7}"
        )
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
    version_imports = subprocess.run(
        [py, "-X", "importtime", "-m", "llmchoose", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    ui = [m for m in ("typer", "rich", "click") if f" {m}\n" in version_imports]
    print("terminal libraries imported by --version:", ", ".join(ui) or "none")


if __name__ == "__main__":
    main()
