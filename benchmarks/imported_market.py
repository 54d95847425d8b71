"""Rank the whole imported API market: `kb import genai-prices` into a temporary
folder over a knowledge base, load it, and run the engine with sensitivity analysis.

Prints the time of each step, and of each phase of the ranking (enumerating options,
hard rules, scoring, perturbed weights, weight thresholds, break-even volumes). The
phases are timed through the engine's own (partly private) functions; `recommend`
is timed as a whole too.

Run: python benchmarks/imported_market.py [--kb DIR] [--decision FILE] [--samples 1000]
Needs the `prices` extra (genai-prices).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE_KB = REPO / "tests" / "data" / "kb"
AS_OF = dt.date(2026, 11, 28)


@contextmanager
def timed(label: str, times: dict[str, float]):
    start = time.perf_counter()
    yield
    times[label] = time.perf_counter() - start
    print(f"  {label:<44} {times[label]:8.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--kb", type=Path, default=None, help="Base knowledge folder (default: built-in)."
    )
    parser.add_argument("--decision", type=Path, default=REPO / "examples" / "startup-chatbot.yaml")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--method", default=None, choices=[None, "weighted-sum", "topsis"])
    parser.add_argument(
        "--gc",
        action="store_true",
        help="Keep the cycle collector on (the command line turns it off).",
    )
    args = parser.parse_args()
    if not args.gc:
        gc.disable()  # as `llmchoose` itself runs (llmchoose/cli/__init__.py)
    # Every load here is a first load, as after `kb import`: no cached knowledge.
    os.environ["LLMCHOOSE_NO_CACHE"] = "1"

    from llmchoose.kb.kbsync.genai_prices import load_catalogue
    from llmchoose.kb.kbsync.importer import plan_import, write_import
    from llmchoose.kb.kbsync.mapping import load_mapping
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.loading.paths import builtin_dir

    base = (args.kb or builtin_dir("knowledge")).resolve()
    decision_file = args.decision.resolve()
    os.environ["LLMCHOOSE_KNOWLEDGE_DIR"] = str(base)  # the import compares with this base
    times: dict[str, float] = {}
    print(f"Python {sys.version.split()[0]}; base knowledge: {base}")
    with tempfile.TemporaryDirectory() as tmp:
        # Work in an empty folder, so no ./.llmchoose layer of the caller's joins in.
        os.chdir(tmp)
        out = Path(tmp) / "imported"
        print("Import")
        with timed("read the genai-prices catalogue", times):
            catalogue = load_catalogue(AS_OF)
        with timed("plan the import (records, validation, YAML)", times):
            plan = plan_import(catalogue, load_mapping(), as_of=AS_OF, output=out, kb=[])
        with timed("write the files", times):
            write_import(plan)
        size = sum(p.stat().st_size for p in out.glob("*.yaml"))
        print(
            f"  genai-prices {plan.version}: {plan.total:,} entries, {plan.offerings:,} offerings "
            f"imported ({plan.categories}), {len(plan.files)} files, {size / 1e6:.1f} MB"
        )
        print("Load")
        with timed("load the knowledge base + imported overlay", times):
            catalog = load_catalog(layers=[base, out])
        with timed("load criteria and decision", times):
            criteria = load_criteria([])
            decision = load_decision(decision_file, criteria)
        print(f"  {len(catalog.offerings):,} offerings, {len(catalog.models):,} models")

        print(f"Rank ({args.samples} perturbed weight sets)")
        from llmchoose.engine.recommend import recommend

        with timed("recommend (whole)", times):
            rec = recommend(
                decision, catalog, criteria, as_of=AS_OF, method=args.method, samples=args.samples
            )
        for work in rec.workloads:
            winner = work.winner
            print(
                f"  workload {work.id}: {len(work.ranked):,} ranked, {len(work.eliminated):,} "
                f"ruled out, {len(work.unavailable):,} unavailable; winner "
                f"{winner.id if winner else '—'} (win share {winner.win_share if winner else 0:.2f}, "
                f"close call: {work.sensitivity['close_call']})"
            )
        phases(catalog, criteria, decision, args, times)
    print(
        f"Total from catalogue to ranking: "
        f"{sum(v for k, v in times.items() if not k.startswith('  ')):.2f} s "
        "(phases counted once, inside `recommend (whole)`)"
    )


def phases(catalog, criteria, decision, args, times: dict[str, float]) -> None:
    """The first workload's ranking, phase by phase."""
    import numpy as np

    from llmchoose.engine import recommend as rec_module
    from llmchoose.engine.alternatives import distinct_alternatives
    from llmchoose.engine.constraints import screen
    from llmchoose.engine.options import enumerate_options
    from llmchoose.engine.ranking import rank_options, scoring_context
    from llmchoose.engine.sensitivity import perturbed_win_shares, weight_thresholds
    from llmchoose.engine.usage import Usage
    from llmchoose.engine.weights import derive_weights
    from llmchoose.loading.answers import check_answer_ids, effective_answers

    workload = decision.workloads[0]
    method = args.method or decision.method
    project = check_answer_ids(criteria, decision.answers, where="answers")
    own = check_answer_ids(criteria, workload.answers, where="workload")
    answers = effective_answers(criteria, project, own)
    usage = Usage.from_answers(answers)
    weights = derive_weights(criteria, answers, direct=decision.weights, ahp=decision.ahp)
    print(f"Phases of workload {workload.id} ({method})")
    with timed("  enumerate options, sizing only what early rules keep", times):
        found, screening = rec_module._screened(catalog, criteria, usage, answers, AS_OF)
    with timed("  (for comparison: enumerate and size every option)", times):
        options, _ = enumerate_options(catalog, usage, AS_OF)
    with timed("  (for comparison: every rule on every option)", times):
        screen(criteria, options, answers)
    with timed("  score and aggregate", times):
        ranked, matrix = rank_options(
            criteria, screening, scoring_context(answers, usage), weights, method
        )
    alternatives = distinct_alternatives(ranked)
    rows = [ranked.index(a.option) for a in alternatives]
    w = np.array([weights.values[n] for n in matrix.names])
    with timed(f"  samples of weights and unknown facts ({args.samples})", times):
        perturbed_win_shares(
            matrix.values, w, matrix.directions, method, samples=args.samples, rows=rows,
            low=matrix.low, high=matrix.high,
        )  # fmt: skip
    with timed("  weight thresholds", times):
        weight_thresholds(matrix.values, w, matrix.directions, method, matrix.names, rows=rows)
    with timed("  break-even volumes", times):
        apis = rec_module._break_even_apis(ranked, alternatives)
        rec_module._break_even(catalog, ranked, usage, apis)
    print(
        f"  {len(found.options) + len(found.ruled_out):,} options, {len(screening.kept):,} kept, "
        f"{len(alternatives):,} distinct models"
    )


if __name__ == "__main__":
    main()
