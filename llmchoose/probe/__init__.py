"""Measure an OpenAI-compatible endpoint's latency and throughput (`llmchoose probe`).

The plan is decided and checked before any request; the client streams requests with
httpx; the figures are summarised per concurrency level and can be written as a
knowledge overlay that layers like any other fact.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Loaded on first use, so the command line can read the defaults without the probe.
_PUBLIC = {
    "Endpoint": "llmchoose.probe.plan",
    "ProbePlan": "llmchoose.probe.plan",
    "ProbeReport": "llmchoose.probe.run",
    "run_probe": "llmchoose.probe.run",
    "LevelSummary": "llmchoose.probe.stats",
    "RequestResult": "llmchoose.probe.stats",
    "percentile": "llmchoose.probe.stats",
}

if TYPE_CHECKING:
    from llmchoose.probe.plan import Endpoint, ProbePlan
    from llmchoose.probe.run import ProbeReport, run_probe
    from llmchoose.probe.stats import LevelSummary, RequestResult, percentile

__all__ = [
    "Endpoint",
    "LevelSummary",
    "ProbePlan",
    "ProbeReport",
    "RequestResult",
    "percentile",
    "run_probe",
]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'llmchoose.probe' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
