"""Measure an OpenAI-compatible endpoint's latency and throughput (`llmchoose probe`).

The plan is decided and checked before any request; the client streams requests with
httpx; the figures are summarised per concurrency level and can be written as a
knowledge overlay that layers like any other fact.
"""

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
