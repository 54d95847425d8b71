"""What one API request costs: the price in force on a day, the tier for the prompt's
length, the cached share of the prompt and the batch discount.

- **Dated prices.** An offering's ``price`` holds until the first scheduled change
  starts; from then on the latest change that has started holds (a change's start day
  is its first day).
- **Tiers.** A tier applies when the prompt is longer than its ``above_input_tokens``;
  the highest such tier prices the whole request (input, cached input and output), as
  the vendors who publish long-context prices bill it.
- **Cache.** The cached share of the prompt is billed at the cached-input price (the
  input price where none is given).
- **Batch.** When answers may wait, the offering's batch discount applies to the total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from llmchoose.schemas.knowledge import Offering, Price, PriceTier

__all__ = ["Rates", "price_on", "rates_for", "request_cost"]


@dataclass(frozen=True)
class Rates:
    """USD per million tokens for one request, tier already chosen."""

    input: float
    output: float
    cached_input: float
    above_input_tokens: int | None = None  # the tier's threshold; None: the base price


def price_on(offering: Offering, day: dt.date | None) -> Price | None:
    """The price in force on ``day``: the last scheduled change that has started, else
    the offering's ``price`` (also when ``day`` is None: the price stored as current)."""
    current = offering.price
    if day is None:
        return current
    for change in offering.price_changes:
        if change.starts <= day:
            current = change.price
        else:
            break
    return current


def rates_for(price: Price, input_tokens: int) -> Rates:
    """The per-token prices for a prompt of ``input_tokens``."""
    chosen: Price | PriceTier = price
    threshold = None
    for tier in price.tiers:
        if input_tokens > tier.above_input_tokens:
            chosen, threshold = tier, tier.above_input_tokens
    cached = chosen.cached_input
    if cached is None:
        # A tier without its own cached price keeps the base ratio of cached to input,
        # so a long prompt's cache is not billed at the short prompt's rate.
        if chosen is not price and price.cached_input is not None and price.input > 0:
            cached = chosen.input * price.cached_input / price.input
        else:
            cached = chosen.input
    return Rates(
        input=chosen.input,
        output=chosen.output,
        cached_input=cached,
        above_input_tokens=threshold,
    )


def request_cost(
    offering: Offering,
    *,
    input_tokens: int,
    output_tokens: int,
    day: dt.date | None,
    cached_share: float = 0.0,
    batch: bool = False,
) -> float | None:
    """USD for one request on ``day``; None when the offering has no known price then."""
    price = price_on(offering, day)
    if price is None:
        return None
    rates = rates_for(price, input_tokens)
    cost = (
        input_tokens * (1 - cached_share) * rates.input
        + input_tokens * cached_share * rates.cached_input
        + output_tokens * rates.output
    ) / 1e6
    if batch and offering.batch_discount:
        cost *= 1 - offering.batch_discount
    return cost
