"""The usage profile of a workload, read from its answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

__all__ = ["DAYS_PER_MONTH", "Usage"]

# 365.25 / 12: the average month, so monthly and yearly sums agree.
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class Usage:
    requests_per_day: float = 1000.0
    input_tokens: int = 1500
    output_tokens: int = 300
    cached_share: float = 0.0
    peak_factor: float = 3.0
    growth_per_month: float = 0.0  # percent
    min_context_tokens: int = 0
    ops_hours_per_month: float = 20.0
    # A managed endpoint in the team's cloud account: the cloud runs servers and container.
    managed_ops_hours_per_month: float = 5.0
    engineer_hourly_rate: float = 100.0
    batch: bool = False  # answers can wait: batch APIs and full GPU batches apply
    interactive: bool = False  # a person watches the answer stream in
    horizon_months: int = 12
    # Latency need: longest acceptable time for a complete typical answer (0: no limit).
    max_response_s: float = 0.0
    # Deployment target.
    connectivity: str = "always-online"  # always-online, intermittent, air-gapped, no-network
    app_type: str = "service"
    device_class: str | None = None  # phone, tablet, laptop, desktop or browser
    device_memory_gb: float | None = None  # memory a model may use on that device
    owned_gpu: str | None = None  # hardware id of GPUs the team already owns
    owned_gpu_count: int = 0
    electricity_price: float | None = None  # USD per kWh; None: the sourced default
    # Compliance facts (hipaa_baa ...) the team's hard rules require of every vendor; a GPU
    # is rented only from a cloud known to meet them all (owned GPUs need none).
    vendor_must: tuple[str, ...] = ()

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any], vendor_must: tuple[str, ...] = ()) -> Usage:
        """The usage the answers describe; ``vendor_must`` comes from the rules, not the
        answers (see :func:`llmchoose.engine.rental.required_vendor_facts`)."""
        base = cls()

        def get(key: str, default: Any) -> Any:
            value = answers.get(key)
            return default if value is None else value

        return cls(
            requests_per_day=float(get("requests_per_day", base.requests_per_day)),
            input_tokens=int(get("input_tokens", base.input_tokens)),
            output_tokens=int(get("output_tokens", base.output_tokens)),
            cached_share=float(get("cached_share", base.cached_share)),
            peak_factor=float(get("peak_factor", base.peak_factor)),
            growth_per_month=float(get("growth_per_month", base.growth_per_month)),
            min_context_tokens=int(get("min_context_tokens", base.min_context_tokens)),
            ops_hours_per_month=float(get("ops_hours_per_month", base.ops_hours_per_month)),
            managed_ops_hours_per_month=float(
                get("managed_ops_hours_per_month", base.managed_ops_hours_per_month)
            ),
            engineer_hourly_rate=float(get("engineer_hourly_rate", base.engineer_hourly_rate)),
            batch=answers.get("latency_need") == "batch",
            interactive=answers.get("latency_need") == "interactive",
            horizon_months=int(get("planning_horizon_months", base.horizon_months)),
            max_response_s=float(get("max_response_s", 0.0)),
            connectivity=str(get("connectivity", base.connectivity)),
            app_type=str(get("app_type", base.app_type)),
            device_class=_device_class(answers),
            device_memory_gb=_positive(answers.get("device_memory_gb")),
            owned_gpu=_owned(answers),
            owned_gpu_count=int(get("owned_gpu_count", 8)) if _owned(answers) else 0,
            electricity_price=_positive(answers.get("electricity_price")),
            vendor_must=tuple(sorted(set(vendor_must))),
        )

    def scaled(self, factor: float) -> Usage:
        return self.at_volume(self.requests_per_day * factor)

    def at_volume(self, requests_per_day: float) -> Usage:
        return _at_volume(self, requests_per_day)

    @property
    def peak_requests_per_s(self) -> float:
        return self.requests_per_day / 86_400 * self.peak_factor

    @property
    def horizon_growth(self) -> float:
        """Volume multiplier at the end of the planning horizon."""
        return (1 + self.growth_per_month / 100) ** self.horizon_months

    @property
    def servers_allowed(self) -> bool:
        """False when the feature has no network at all: only the user's device remains."""
        return self.connectivity != "no-network"

    @property
    def tokens_per_request(self) -> int:
        return self.input_tokens + self.output_tokens


def _positive(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value > 0 else None


def _owned(answers: Mapping[str, Any]) -> str | None:
    found = answers.get("owned_gpu")
    return None if found in (None, "", "none") else str(found)


def _device_class(answers: Mapping[str, Any]) -> str | None:
    """The users' device class; a web page or browser extension runs in the browser."""
    if answers.get("app_type") in ("web-page", "browser-extension"):
        return "browser"
    found = answers.get("device_class")
    return None if found in (None, "any") else str(found)


@lru_cache(maxsize=4096)
def _at_volume(usage: Usage, requests_per_day: float) -> Usage:
    # Costing every option at 10x, 100x and the horizon asks for the same few usages
    # thousands of times; `replace` is slow enough for that to show.
    return replace(usage, requests_per_day=requests_per_day)
