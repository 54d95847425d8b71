"""Numbers as readers see them: money, percentages, counts, durations and dates.

Every function is deterministic (no locale, fixed rounding), so the same inputs give the
same bytes. Every renderer — terminal, report, ADR, check findings — formats through
this module.

Money as the reader wants to see it: the knowledge base's US dollars, converted with
the currency and rate the project's answers give (``currency``, ``usd_exchange_rate``).

This is the one place that converts. Every figure inside llmchoose stays in USD (prices,
costs, JSON numbers); only text goes through :func:`format_money`. A command sets the
project's currency for the output it writes with :func:`use_currency`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "USD",
    "Currency",
    "compact",
    "currency_from_answers",
    "currency_of_file",
    "currency_symbol",
    "current_currency",
    "day",
    "format_money",
    "money",
    "number",
    "pct",
    "requests",
    "seconds",
    "share_of",
    "use_currency",
]

# Symbols for the codes the money question offers; any other code is written before
# the amount ("CHF 1,200").
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


@dataclass(frozen=True)
class Currency:
    """A currency code and how many of its units one US dollar buys."""

    code: str = "USD"
    rate: float = 1.0

    @property
    def is_base(self) -> bool:
        return self.code == "USD"

    def convert(self, usd: float) -> float:
        return usd * self.rate

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rate": self.rate, "base": "USD"}

    def note(self) -> str | None:
        """One sentence for an output's notes, or None for US dollars."""
        if self.is_base:
            return None
        return (
            f"Amounts are in {self.code} at {self.rate:g} {self.code} per US dollar, the rate "
            "in your answers; the knowledge base's prices are in US dollars."
        )


USD = Currency()
_current: contextvars.ContextVar[Currency] = contextvars.ContextVar("currency", default=USD)


def currency_from_answers(answers: Mapping[str, Any] | None) -> Currency:
    """The project's currency; US dollars when none is chosen or no rate is given (or the
    answers are not a mapping at all: the decision's own loader reports that)."""
    if not isinstance(answers, Mapping):
        answers = {}
    code = str(answers.get("currency") or "usd").upper()
    rate = answers.get("usd_exchange_rate")
    if code == "USD" or not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
        return USD
    return Currency(code, float(rate))


def currency_of_file(path: Any) -> Currency:
    """The currency a decision file's answers ask for; US dollars when the file cannot be
    read (the command reading it reports why)."""
    from llmchoose.loading.yamlio import parse_yaml

    try:
        data = parse_yaml(Path(path).read_text(encoding="utf-8"), str(path))
    except Exception:  # a missing or broken file is reported by the command's own loader
        return USD
    return currency_from_answers(data.get("answers") if isinstance(data, dict) else None)


def currency_symbol(currency: Currency) -> str:
    """``$`` or ``€`` before an amount, or the code and a space."""
    return _SYMBOLS.get(currency.code) or f"{currency.code} "


def current_currency() -> Currency:
    return _current.get()


@contextlib.contextmanager
def use_currency(currency: Currency) -> Iterator[Currency]:
    """Format money in ``currency`` inside the block."""
    token = _current.set(currency)
    try:
        yield currency
    finally:
        _current.reset(token)


def format_money(
    usd: float | None, currency: Currency | None = None, *, unknown: str = "unknown"
) -> str:
    """An amount given in USD, in the currency: whole units from 100 up, cents below."""
    if usd is None:
        return unknown
    currency = currency or _current.get()
    value = currency.convert(usd)
    symbol = _SYMBOLS.get(currency.code)
    if value == 0:
        number = "0"
    elif abs(value) >= 100:
        number = f"{value:,.0f}"
    else:
        number = f"{value:,.2f}"
    sign = "-" if number.startswith("-") else ""
    number = number.lstrip("-")
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency.code} {number}"


def money(value: float | None, *, unknown: str = "unknown") -> str:
    """An amount in USD, shown in the current output's currency (:func:`use_currency`)."""
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


def day(value: dt.date | None, *, unknown: str = "unknown") -> str:
    """A date as YYYY-MM-DD, the one way llmchoose writes dates."""
    return unknown if value is None else value.isoformat()
