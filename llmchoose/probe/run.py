"""One probe run from plan to report: the function the command calls."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmchoose.probe.plan import ProbePlan
from llmchoose.probe.stats import LevelSummary, RequestResult, summarise_level

__all__ = ["ProbeReport", "run_probe"]


@dataclass
class ProbeReport:
    """The figures of a run: the plan, a summary per level, and every request."""

    plan: ProbePlan
    measured_on: dt.date
    levels: list[LevelSummary]
    requests: list[RequestResult] = field(default_factory=list)
    warmup_errors: list[str] = field(default_factory=list)
    stopped: str | None = None  # "interrupted", "time limit" or "warm-up failed"

    @property
    def succeeded(self) -> int:
        return sum(level.succeeded for level in self.levels)

    def to_dict(self, *, with_requests: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "plan": self.plan.describe(),
            "measured_on": self.measured_on.isoformat(),
            "stopped": self.stopped,
            "warmup_errors": self.warmup_errors,
            "levels": [level.to_dict() for level in self.levels],
        }
        if with_requests:
            data["requests"] = [r.to_dict() for r in self.requests]
        return data


def run_probe(
    plan: ProbePlan,
    api_key: str | None,
    *,
    today: dt.date | None = None,
    stop: threading.Event | None = None,
    on_result: Callable[[RequestResult], None] = lambda r: None,
    on_level: Callable[[int], None] = lambda c: None,
) -> ProbeReport:
    """Measure the endpoint as the plan says and summarise each level.

    ``api_key`` goes into the Authorization header and nowhere else: not into the
    report, not into error texts (a server echoing it is redacted).
    """
    from llmchoose.probe.client import run_levels

    run = run_levels(plan, api_key, stop=stop, on_result=on_result, on_level=on_level)
    summaries = [
        summarise_level(level.concurrency, level.results, level.wall_s, complete=level.complete)
        for level in run.levels
        if level.results or level.complete
    ]
    return ProbeReport(
        plan=plan,
        measured_on=today or dt.date.today(),
        levels=summaries,
        requests=[r for level in run.levels for r in level.results],
        warmup_errors=run.warmup_errors,
        stopped=run.stopped,
    )
