"""Time `kb validate` and `recommend` on a generated overlay of many offerings.

The overlay (default 14,000 offerings of 700 models at 20 providers, about 4 MB in one
file) stands for an imported or hand-grown market. Prints the overlay's size and the
wall time of each command run as a user runs it (a fresh process), best of --repeat.

Targets (docs/fuzz.md): `kb validate` <= 2 s and `recommend` <= 5 s at 14,000 offerings.

Run: python benchmarks/large_overlay.py [--offerings 14000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DECISION = REPO / "examples" / "startup-chatbot.yaml"
PROVIDERS = 20


def overlay_text(offerings: int) -> str:
    """One knowledge file: a source, PROVIDERS providers, models and their offerings."""
    models = max(1, offerings // PROVIDERS)
    lines = [
        "sources:",
        "  - id: bench-source",
        "    title: Generated benchmark data",
        "    url: https://example.com/bench",
        "providers:",
    ]
    for p in range(PROVIDERS):
        lines += [
            f"  - id: bench-provider-{p}",
            f"    name: Bench provider {p}",
            "    vendor: Bench",
            "    kind: reseller",
            "    regions: [us, eu]",
            "    source: bench-source",
            "    as_of: 2026-11-20",
        ]
    lines.append("models:")
    for m in range(models):
        lines += [
            f"  - id: bench-model-{m}",
            f"    name: Bench model {m}",
            "    vendor: Bench",
            "    family: bench",
            "    open_weights: false",
            "    released: 2026-06-01",
            f"    context_window: {32000 + 1000 * (m % 100)}",
            "    licence: {id: proprietary, commercial_use: true}",
            f"    quality: {{lmarena-text: {1200 + m % 250}}}",
            "    source: bench-source",
            "    as_of: 2026-11-20",
        ]
    lines.append("offerings:")
    for index in range(offerings):
        m, p = divmod(index, PROVIDERS)
        m %= models
        price = 0.1 + (index % 97) / 10
        lines += [
            f"  - id: bench-provider-{p}/bench-model-{m}",
            f"    provider: bench-provider-{p}",
            f"    model: bench-model-{m}",
            f"    api_model_id: bench-model-{m}-v1",
            "    regions: [us]",
            f"    price: {{input: {price:.2f}, output: {price * 4:.2f}}}",
            "    source: bench-source",
            "    as_of: 2026-11-20",
        ]
    return "\n".join(lines) + "\n"


def run(args: list[str], repeat: int) -> tuple[float, int]:
    best = float("inf")
    code = 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "llmchoose", *args],
            capture_output=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        best = min(best, time.perf_counter() - start)
        code = done.returncode
        if code not in (0, 1):
            sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
    return best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offerings", type=int, default=14_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="Write the overlay here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "overlay"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "bench.yaml"
        path.write_text(overlay_text(args.offerings), encoding="utf-8")
        print(f"overlay: {args.offerings:,} offerings, {path.stat().st_size / 1e6:.1f} MB")
        for label, command in (
            ("llmchoose --help", ["--help"]),
            ("kb validate --kb OVERLAY", ["kb", "validate", "--kb", str(folder)]),
            ("recommend --kb OVERLAY", ["recommend", str(DECISION), "--kb", str(folder)]),
        ):
            seconds, code = run(command, args.repeat)
            print(f"  {label:<32} {seconds:6.2f} s  (exit {code}, best of {args.repeat})")


if __name__ == "__main__":
    main()
