"""What to do when a recorded choice no longer stands: the option to move to, and the
exact ``llmchoose decide`` commands that record it."""

from __future__ import annotations

import shlex
from typing import Any

from llmchoose.decision.check.findings import NextStep

__all__ = ["ADVISED_CODES", "best_option_now", "next_step"]

# Findings after which the choice should be revisited, and the reason each gives.
ADVISED_CODES = {
    "LC003": "unknown-option",
    "LC010": "ruled-out",
    "LC013": "unavailable",
    "LC031": "retired",
    "LC011": "overtaken",
    "LC012": "overtaken",
}


def best_option_now(result: Any, chosen: str) -> Any | None:
    """Today's best option for the workload other than the one chosen, or None: the
    engine's headline, or its runner-up when the headline is the chosen option."""
    if result.headline is not None and result.headline.id != chosen:
        return result.headline
    return result.runner_up


def next_step(
    why: str,
    *,
    file: str,
    workload: str,
    workloads: int,
    best: Any | None,
) -> NextStep:
    """The step for one workload: choose ``best`` by name, or re-rank with ``--reset``."""
    base = f"llmchoose decide {shlex.quote(file)}"
    reset = f"{base} --reset"
    if best is None:
        return NextStep(why=why, option=None, score=None, commands=(reset,))
    target = best.id if workloads == 1 else f"{workload}={best.id}"
    choose = f"{base} --choose {shlex.quote(target)}"
    return NextStep(why=why, option=best.id, score=best.score, commands=(choose, reset))
