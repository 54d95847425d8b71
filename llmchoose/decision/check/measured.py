"""The `check` finding for a policy that wants the chosen option measured recently.

A decision file's policy may set ``max_measurement_age_days``; then the chosen option
needs an own measurement (``llmchoose probe``) no older than that, and ``check``
reports ``LC041 measurement-stale`` when the newest is older or there is none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from llmchoose.engine.measured import stale_measurements
from llmchoose.loading.catalog import Catalog

__all__ = ["CODE", "check_measurement_age"]

CODE = "LC041"


def check_measurement_age(
    out: Any, wl: tuple[int, str], option_id: str, catalog: Catalog, as_of: dt.date, policy: Any
) -> None:
    """Add LC041 to ``out`` (the check run's collector) when the policy is not met.

    Does nothing when the policy sets no ``max_measurement_age_days``.
    """
    max_age = getattr(policy, "max_measurement_age_days", None)
    if max_age is None:
        return
    problem = stale_measurements(catalog, option_id, as_of, max_age)
    if problem is None:
        return
    out.add(
        CODE,
        f"{problem['message']} ({problem['remedy']})",
        line=out.line("workloads", wl[0], "choice", "option"),
        workload=wl,
        option=option_id,
        **problem["details"],
    )
