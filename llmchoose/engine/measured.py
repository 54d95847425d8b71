"""Measured speeds in the catalog, for the engine, the report and ``check``.

Pure functions over a :class:`~llmchoose.loading.catalog.Catalog`: which measurement matches a
configuration, how far a prediction was from it, and which measured figures are older
than a policy allows. Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Measurement

__all__ = [
    "MeasuredSpeed",
    "find_measurement",
    "measured_ages",
    "predicted_vs_measured",
    "stale_measurements",
]

# Own measurements beat published ones, which beat a vendor's claims.
_METHOD_RANK = {"own": 0, "independent": 1, "vendor": 2}


@dataclass(frozen=True)
class MeasuredSpeed:
    """One measured speed and where it came from."""

    output_tokens_per_s: float
    ttft_s: float | None
    method: str
    measured: dt.date
    source: str
    concurrency: int | None = None
    record: str | None = None  # the measurement's id, or the offering's


def _split_option(option_id: str) -> tuple[str, str]:
    runtime, _, model = option_id.removesuffix("@device").partition("/")
    return runtime, model


def find_measurement(
    catalog: Catalog,
    option_id: str,
    *,
    hardware: str,
    concurrency: float = 1,
    count: int | None = None,
    quantization: str | None = None,
) -> MeasuredSpeed | None:
    """The measurement that best matches a self-hosted configuration, if any.

    It must be of the same model, runtime and hardware (and GPU count and quantization
    when given). Among those: the best method, then the concurrency nearest the one
    asked for (on a log scale: 8 is as far from 4 as 2 is), then the newest.
    """
    runtime, model = _split_option(option_id)
    matches = [
        m
        for m in catalog.measurements.values()
        if m.model == model
        and m.runtime == runtime
        and m.hardware == hardware
        and (count is None or m.count == count)
        and (quantization is None or m.quantization is None or m.quantization == quantization)
    ]
    if not matches:
        return None
    wanted = math.log(max(concurrency, 1))

    def rank(m: Measurement) -> tuple:
        return (
            _METHOD_RANK.get(m.method, 9),
            abs(math.log(m.concurrency) - wanted),
            -m.as_of.toordinal(),
            m.id,
        )

    best = min(matches, key=rank)
    return MeasuredSpeed(
        output_tokens_per_s=best.output_tokens_per_s,
        ttft_s=best.ttft_s,
        method=best.method,
        measured=best.as_of,
        source=best.source,
        concurrency=best.concurrency,
        record=best.id,
    )


def predicted_vs_measured(
    predicted: dict[str, float | None], measured: MeasuredSpeed
) -> list[dict[str, Any]]:
    """Rows for the report: each speed figure predicted, measured, and the prediction's error.

    ``error_percent`` is (predicted - measured) / measured: positive when the sizing
    model promised more speed (or a longer wait) than the hardware delivered.
    """
    rows = []
    for figure, got in (
        ("output_tokens_per_s", measured.output_tokens_per_s),
        ("ttft_s", measured.ttft_s),
    ):
        guess = predicted.get(figure)
        error = None
        if guess is not None and got:
            error = round((guess - got) / got * 100, 1)
        rows.append({"figure": figure, "predicted": guess, "measured": got, "error_percent": error})
    return rows


def measured_ages(catalog: Catalog, option_id: str, today: dt.date) -> list[dict[str, Any]]:
    """Every own measurement of an option (offering or ``runtime/model``) and its age in days."""
    found: list[dict[str, Any]] = []
    offering = catalog.offerings.get(option_id)
    if offering is not None:
        perf = offering.performance
        if perf.method == "own":
            prov = offering.provenance_of("performance.output_tokens_per_s")
            day = perf.measured or prov.as_of
            found.append({"record": offering.id, "measured": day, "source": prov.source})
    runtime, model = _split_option(option_id)
    for m in catalog.measurements.values():
        if m.method != "own":
            continue
        if m.offering == option_id or (m.runtime == runtime and m.model == model):
            found.append({"record": m.id, "measured": m.as_of, "source": m.source})
    for item in found:
        item["age_days"] = (today - item["measured"]).days
    return sorted(found, key=lambda item: (item["age_days"], item["record"]))


def stale_measurements(
    catalog: Catalog, option_id: str, today: dt.date, max_age_days: int
) -> dict[str, Any] | None:
    """What ``check`` reports when a policy wants own measurements younger than
    ``max_age_days`` for the chosen option and the youngest is older (or there is none).

    Returns None when the policy is met; otherwise a message and details.
    """
    ages = measured_ages(catalog, option_id, today)
    if ages and ages[0]["age_days"] <= max_age_days:
        return None
    if not ages:
        message = (
            f"'{option_id}' has no measurement of your own; the policy asks for one "
            f"younger than {max_age_days} days"
        )
        details: dict[str, Any] = {"max_age_days": max_age_days}
    else:
        newest = ages[0]
        message = (
            f"the newest measurement of '{option_id}' is {newest['age_days']} days old "
            f"({newest['measured'].isoformat()}); the policy allows {max_age_days}"
        )
        details = {
            "max_age_days": max_age_days,
            "age_days": newest["age_days"],
            "measured": newest["measured"].isoformat(),
            "record": newest["record"],
            "source": newest["source"],
        }
    return {"message": message, "details": details, "remedy": "re-run `llmchoose probe`"}
