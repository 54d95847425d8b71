"""Print the serving model's predicted speed divided by each published measurement.

    python benchmarks/calibration.py [--kb DIR ...]

One line per point of knowledge/measurements.yaml: predicted / measured output tokens per
second per stream (and time to first token where measured), then the median, the extremes
and the error band options show next to predicted figures. Targets: median within
0.8-1.25, every point within 0.5-2x (tests/test_calibration.py pins them).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from llmchoose.engine.calibration import check_all, error_band
from llmchoose.loading.knowledge import load_catalog


def main(argv: list[str]) -> int:
    extra = [Path(a) for a in argv if not a.startswith("-")]
    catalog = load_catalog(extra)
    checks = check_all(catalog)
    print(f"{'measurement':58} {'measured':>9} {'predicted':>9} {'ratio':>6} {'ttft ratio':>10}")
    ratios = []
    for check in checks:
        m = check.measurement
        ratio = check.speed_ratio
        if ratio is None:
            continue
        ratios.append(ratio)
        ttft = f"{check.ttft_ratio:.2f}" if check.ttft_ratio is not None else "-"
        print(
            f"{m.id[:58]:58} {m.output_tokens_per_s:9.1f} {check.predicted_tokens_per_s:9.1f}"
            f" {ratio:6.2f} {ttft:>10}"
        )
    if not ratios:
        print("no measurements")
        return 0
    print(
        f"\n{len(ratios)} points: median {statistics.median(ratios):.2f}, "
        f"min {min(ratios):.2f}, max {max(ratios):.2f}; "
        f"error band shown with predictions: ±{error_band(catalog):.0%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
