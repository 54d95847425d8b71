"""Published speed measurements: predictions checked against them, and used in their place.

``knowledge/measurements.yaml`` holds measured points (model, runtime, hardware, GPU
count, quantization, concurrency, tokens/s per stream, time to first token). For each,
:func:`predict` runs the serving model on the same configuration; the spread of
predicted / measured is the error band shown next to every predicted speed. Where an
option's configuration was measured, the measurement replaces the prediction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from llmchoose.engine import serving
from llmchoose.engine.sizing import kv_bytes_per_token
from llmchoose.engine.sizingstore import remembered
from llmchoose.engine.usage import Usage
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Measurement

__all__ = ["Check", "check_all", "error_band", "matching_measurement", "predict"]

# Used when the knowledge base holds no measurement to derive the band from.
_FALLBACK_BAND = 0.3


@dataclass(frozen=True)
class Check:
    measurement: Measurement
    predicted_tokens_per_s: float | None
    predicted_ttft_s: float | None

    @property
    def speed_ratio(self) -> float | None:
        """Predicted / measured output tokens per second per stream."""
        if self.predicted_tokens_per_s is None:
            return None
        return self.predicted_tokens_per_s / self.measurement.output_tokens_per_s

    @property
    def ttft_ratio(self) -> float | None:
        if self.predicted_ttft_s is None or self.measurement.ttft_s is None:
            return None
        return self.predicted_ttft_s / self.measurement.ttft_s


def predict(catalog: Catalog, item: Measurement) -> Check:
    """The serving model's speed for exactly the measured configuration, holding the
    measured concurrency (a closed-loop benchmark keeps that many requests in flight)."""
    import numpy as np

    if item.model is None or item.runtime is None or item.hardware is None:
        return Check(item, None, None)
    model = catalog.models[item.model]
    runtime = catalog.runtimes[item.runtime]
    hw = catalog.hardware[item.hardware]
    quant = catalog.quantizations[item.quantization or runtime.quantizations[0]]
    kv_token = kv_bytes_per_token(model, serving.constants(catalog).kv_cache_bytes)
    if kv_token is None or model.parameters.total_b is None:
        return Check(item, None, None)
    usage = Usage(input_tokens=item.input_tokens or 512, output_tokens=item.output_tokens or 128)
    cfg = serving.build_configs(
        catalog, model, runtime, [(hw, item.count, quant)], usage, on_device=False
    )
    speed, ttft, _ = serving.replica_speed(
        cfg, model, kv_token, usage, np.array([float(item.concurrency)])
    )
    flops_known = not math.isnan(float(cfg.flops[0]))
    return Check(item, float(speed[0]), float(ttft[0]) if flops_known else None)


def check_all(catalog: Catalog) -> list[Check]:
    return [predict(catalog, m) for m in catalog.records("measurements")]


def error_band(catalog: Catalog) -> float:
    """Relative error to show next to a predicted speed ("±30%").

    The 80th percentile of |predicted / measured - 1| over the measured points, rounded
    up to a multiple of 5%; a fixed 30% when nothing was measured.
    """
    cached = getattr(catalog, "_speed_error_band", None)
    if cached is not None:
        return cached
    band = remembered(catalog, None, "speed-error-band", lambda: _band(catalog), float, _number)
    catalog._speed_error_band = band  # type: ignore[attr-defined]
    return band


def _band(catalog: Catalog) -> float:
    errors = sorted(abs(c.speed_ratio - 1) for c in check_all(catalog) if c.speed_ratio is not None)
    if not errors:
        return _FALLBACK_BAND
    at = errors[min(len(errors) - 1, math.ceil(0.8 * len(errors)) - 1)]
    return math.ceil(at * 20 - 1e-9) / 20


def _number(value: object) -> float:
    if not isinstance(value, float):
        raise TypeError("not a number")
    return value


def matching_measurement(
    catalog: Catalog,
    *,
    model: str,
    runtime: str,
    hardware: str,
    count: int,
    quantization: str,
    concurrency: float,
) -> Measurement | None:
    """The measurement of exactly this configuration: the team's own (``llmchoose probe``)
    before independent before vendor figures, then the concurrency nearest ``concurrency``,
    then the newest."""
    found = [
        m
        for m in catalog.measurements.values()
        if (m.model, m.runtime, m.hardware, m.count) == (model, runtime, hardware, count)
        and m.quantization in (None, quantization)
    ]
    if not found:
        return None
    trust = {"own": 0, "independent": 1, "vendor": 2}
    return min(
        found,
        key=lambda m: (
            trust.get(m.method, 3),
            abs(math.log(m.concurrency / max(concurrency, 1))),
            -m.as_of.toordinal(),
            m.id,
        ),
    )
