"""Time the engine's ranking work: a second ``recommend`` call on each example.

Sizing is memoised per catalogue object, so a second call on the same loaded catalogue
shows what ranking costs (enumeration after sizing, screening, scoring, aggregation and
sensitivity). Prints, per example, the median in-process time of ``--repeat`` such calls
and the best of them (steadier on a busy machine).

Run: python benchmarks/ranking_speed.py [--repeat 5] [--profile EXAMPLE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="EXAMPLE", help="cProfile one example's call instead.")
    parser.add_argument("--sort", default="tottime", help="Profile order: tottime or cumulative.")
    parser.add_argument("--lines", type=int, default=25, help="Profile rows to print.")
    args = parser.parse_args()

    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog

    catalog, criteria = load_catalog([]), load_criteria([])
    for path in sorted(ROOT.glob("examples/*.yaml")):
        if args.profile and args.profile not in path.stem:
            continue
        decision = load_decision(path, criteria)
        recommend(decision, catalog, criteria, as_of=AS_OF)  # sizes and warms every memo
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as profiler:
                recommend(decision, catalog, criteria, as_of=AS_OF)
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
            continue
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            recommend(decision, catalog, criteria, as_of=AS_OF)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"{path.stem:<28} {statistics.median(times):7.1f} ms (median of {args.repeat}), "
            f"best {min(times):.1f} ms"
        )


if __name__ == "__main__":
    main()
