"""Number and text formatting shared by the report's view model, charts and templates.

Every function is deterministic (no locale, fixed rounding) so that the same inputs give
the same bytes.
"""

from __future__ import annotations

import math

__all__ = ["compact", "money", "number", "pct", "requests", "seconds", "share_of"]


def money(value: float | None, *, unknown: str = "unknown") -> str:
    """An amount in USD, shown in the report's currency (see llmchoose.money)."""
    from llmchoose.money import format_money

    return format_money(value, unknown=unknown)


def number(value: float | None, digits: int = 0, *, unknown: str = "unknown") -> str:
    if value is None:
        return unknown
    return f"{value:,.{digits}f}"


def pct(value: float | None, *, unknown: str = "unknown") -> str:
    """A share 0..1 as a whole percentage."""
    if value is None:
        return unknown
    return f"{value * 100:.0f}%"


def compact(value: float | None, *, unknown: str = "unknown") -> str:
    """A large count in a few characters: 950, 1.2k, 19k, 3.4M, 1B."""
    if value is None:
        return unknown
    magnitude = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            scaled = value / limit
            text = f"{scaled:.1f}" if abs(scaled) < 10 else f"{scaled:.0f}"
            return text.removesuffix(".0") + suffix
    if magnitude >= 10 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.1f}"


def requests(value: float | None, *, unknown: str = "unknown") -> str:
    """Requests per day, rounded to what the estimate can support."""
    if value is None:
        return unknown
    if value >= 10_000:
        return f"{_round_sig(value, 2):,.0f}"
    return f"{value:,.0f}"


def seconds(value: float | None, *, unknown: str = "unknown") -> str:
    if value is None:
        return unknown
    if value < 1:
        return f"{value:.2f} s"
    if value < 10:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def share_of(part: float, whole: float) -> float:
    return 0.0 if not whole else part / whole


def _round_sig(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    return round(value / 10**exponent) * 10**exponent
