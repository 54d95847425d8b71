"""Start-up-to-exit time of `llmchoose check` on a shipped example, without a terminal.

Each run is a fresh process with stdin closed and stdout/stderr captured (as in CI), on
the built-in knowledge base (or, with --fixture-kb, the small test one) and a fixed
--as-of date, so every run does the same work.

Run: python benchmarks/check_startup.py [--runs N] [--example FILE] [--format FMT] [--fixture-kb]
Prints the median, best and worst wall time against bare `python -c pass` (target: 20x
bare), and the check's exit code: once with --no-cache (every run does the whole check,
as the first run after any change does) and once as a pre-commit hook sees it on an
unchanged repository (the answer for these inputs is already cached).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def measure(args: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            args, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True
        )
        times.append(time.perf_counter() - start)
        code = done.returncode
        if code not in (0, 1):
            sys.exit(f"{' '.join(args)} failed ({code}):\n{done.stderr.decode()}")
    return times, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--example", default="examples/startup-chatbot.yaml")
    parser.add_argument("--format", default="human", dest="fmt")
    parser.add_argument(
        "--fixture-kb",
        action="store_true",
        help="Use the test knowledge base (with the example copies recorded against it).",
    )
    options = parser.parse_args()
    py = sys.executable
    env = {k: v for k, v in os.environ.items() if k != "LLMCHOOSE_KNOWLEDGE_DIR"}
    env["NO_COLOR"] = "1"
    if options.fixture_kb:
        env["LLMCHOOSE_KNOWLEDGE_DIR"] = str(REPO / "tests" / "data" / "kb")
        if options.example.startswith("examples/"):
            options.example = "tests/data/check/decisions/" + options.example.split("/", 1)[1]
    check = [
        *[py, "-m", "llmchoose"],
        "check",
        options.example,
        "--as-of",
        "2026-11-28",
        "--format",
        options.fmt,
    ]
    cases = {
        "python -c pass": [py, "-c", "pass"],
        f"check {options.fmt}, no cache": [*check, "--no-cache"],
        f"check {options.fmt}, cached": check,
    }
    baseline = None
    print(f"{'command':<28} {'median ms':>10} {'best ms':>8} {'worst ms':>9} {'x bare':>7}")
    with tempfile.TemporaryDirectory() as cache:
        env["LLMCHOOSE_CACHE_DIR"] = cache
        env.pop("LLMCHOOSE_NO_CACHE", None)
        subprocess.run(check, cwd=REPO, env=env, capture_output=True)  # fill the cache
        for name, args in cases.items():
            times, code = measure(args, options.runs, env)
            median = statistics.median(times) * 1000
            baseline = baseline if baseline is not None else median
            print(
                f"{name:<28} {median:>10.1f} {min(times) * 1000:>8.1f} "
                f"{max(times) * 1000:>9.1f} {median / baseline:>6.1f}x"
            )
    kb = "test" if options.fixture_kb else "built-in"
    print(
        f"check exit code: {code} ({options.example}, {kb} knowledge base, {options.runs} runs, "
        "no terminal)"
    )


if __name__ == "__main__":
    main()
