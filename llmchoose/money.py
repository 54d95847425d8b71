"""Money as the reader wants to see it: the knowledge base's US dollars, converted with
the currency and rate the project's answers give (``currency``, ``usd_exchange_rate``).

This is the one place that converts. Every figure inside llmchoose stays in USD (prices,
costs, JSON numbers); only text goes through :func:`format_money`. A command sets the
project's currency for the output it writes with :func:`use_currency`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "USD",
    "Currency",
    "currency_from_answers",
    "currency_of_file",
    "currency_symbol",
    "current_currency",
    "format_money",
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
    """The project's currency; US dollars when none is chosen or no rate is given."""
    answers = answers or {}
    code = str(answers.get("currency") or "usd").upper()
    rate = answers.get("usd_exchange_rate")
    if code == "USD" or not isinstance(rate, int | float) or isinstance(rate, bool) or rate <= 0:
        return USD
    return Currency(code, float(rate))


def currency_of_file(path: Any) -> Currency:
    """The currency a decision file's answers ask for; US dollars when the file cannot be
    read (the command reading it reports why)."""
    from llmchoose.yamlio import parse_yaml

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
