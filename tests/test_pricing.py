"""Price arithmetic: long-prompt tiers, scheduled prices, cache and batch, both sides of
every threshold and date."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from llmchoose.engine.cost import api_monthly_cost
from llmchoose.engine.pricing import price_on, rates_for, request_cost
from llmchoose.engine.usage import DAYS_PER_MONTH, Usage
from llmchoose.schemas.knowledge import Offering

TODAY = dt.date(2026, 12, 1)


def offering(**fields) -> Offering:
    base = {
        "id": "acme/model",
        "provider": "acme",
        "model": "model",
        "source": "s",
        "as_of": "2026-11-01",
        "price": {"input": 1.25, "output": 10.0, "cached_input": 0.125},
    }
    return Offering.model_validate(base | fields)


TIERED = {
    "input": 1.25,
    "output": 10.0,
    "cached_input": 0.125,
    "tiers": [{"above_input_tokens": 200_000, "input": 2.5, "output": 15.0, "cached_input": 0.25}],
}


@pytest.mark.parametrize(
    ("prompt", "expected_input", "expected_output"),
    [(199_999, 1.25, 10.0), (200_000, 1.25, 10.0), (200_001, 2.5, 15.0), (900_000, 2.5, 15.0)],
)
def test_a_tier_applies_only_above_its_threshold(prompt, expected_input, expected_output):
    rates = rates_for(offering(price=TIERED).price, prompt)
    assert (rates.input, rates.output) == (expected_input, expected_output)


def test_a_long_prompt_is_billed_whole_at_the_tier_price():
    long_prompt = offering(price=TIERED)
    below = request_cost(long_prompt, input_tokens=200_000, output_tokens=1000, day=TODAY)
    above = request_cost(long_prompt, input_tokens=200_001, output_tokens=1000, day=TODAY)
    assert below == pytest.approx((200_000 * 1.25 + 1000 * 10.0) / 1e6)
    assert above == pytest.approx((200_001 * 2.5 + 1000 * 15.0) / 1e6)
    flat = offering()
    assert request_cost(flat, input_tokens=200_001, output_tokens=1000, day=TODAY) < above


def test_the_highest_passed_tier_wins():
    price = TIERED | {
        "tiers": [
            {"above_input_tokens": 100_000, "input": 2.0, "output": 12.0},
            {"above_input_tokens": 500_000, "input": 4.0, "output": 20.0},
        ]
    }
    tiered = offering(price=price).price
    assert rates_for(tiered, 50_000).input == 1.25
    assert rates_for(tiered, 300_000).input == 2.0
    assert rates_for(tiered, 600_000).input == 4.0


def test_a_tier_without_a_cached_price_keeps_the_base_cache_ratio():
    price = TIERED | {"tiers": [{"above_input_tokens": 200_000, "input": 2.5, "output": 15.0}]}
    assert rates_for(offering(price=price).price, 300_000).cached_input == pytest.approx(0.25)


SCHEDULED = [{"starts": "2027-01-01", "price": {"input": 1.5, "output": 7.5, "cached_input": 0.15}}]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 12, 31), 0.75),
        (dt.date(2027, 1, 1), 1.5),
        (dt.date(2027, 6, 1), 1.5),
    ],
)
def test_a_scheduled_price_holds_from_its_start_day(day, expected):
    scheduled = offering(
        price={"input": 0.75, "output": 3.75, "cached_input": 0.075}, price_changes=SCHEDULED
    )
    assert price_on(scheduled, day).input == expected


def test_the_latest_started_change_holds():
    changes = [
        {"starts": "2027-01-01", "price": {"input": 2.0, "output": 8.0}},
        {"starts": "2027-03-01", "price": {"input": 3.0, "output": 9.0}},
    ]
    scheduled = offering(price_changes=changes)
    assert price_on(scheduled, dt.date(2027, 2, 28)).input == 2.0
    assert price_on(scheduled, dt.date(2027, 3, 1)).input == 3.0
    assert price_on(scheduled, None).input == 1.25


def test_monthly_cost_follows_the_evaluation_date():
    scheduled = offering(
        price={"input": 0.75, "output": 3.75, "cached_input": 0.075}, price_changes=SCHEDULED
    )
    usage = Usage(requests_per_day=1000, input_tokens=1000, output_tokens=500)
    before = api_monthly_cost(scheduled, usage, dt.date(2026, 12, 31))
    after = api_monthly_cost(scheduled, usage, dt.date(2027, 1, 1))
    per_request_before = (1000 * 0.75 + 500 * 3.75) / 1e6
    assert before == pytest.approx(per_request_before * 1000 * DAYS_PER_MONTH)
    assert after == pytest.approx(2 * before)


def test_monthly_cost_uses_the_tier_for_the_workload_prompt():
    tiered = offering(price=TIERED)
    short = Usage(requests_per_day=100, input_tokens=150_000, output_tokens=1000)
    long = Usage(requests_per_day=100, input_tokens=250_000, output_tokens=1000)
    assert api_monthly_cost(tiered, short, TODAY) == pytest.approx(
        (150_000 * 1.25 + 1000 * 10.0) / 1e6 * 100 * DAYS_PER_MONTH
    )
    assert api_monthly_cost(tiered, long, TODAY) == pytest.approx(
        (250_000 * 2.5 + 1000 * 15.0) / 1e6 * 100 * DAYS_PER_MONTH
    )


def test_cache_and_batch_apply_to_the_tier_price():
    tiered = offering(price=TIERED, batch_discount=0.5)
    cost = request_cost(
        tiered, input_tokens=400_000, output_tokens=0, day=TODAY, cached_share=0.5, batch=True
    )
    assert cost == pytest.approx((200_000 * 2.5 + 200_000 * 0.25) / 1e6 * 0.5)


def test_an_unknown_price_gives_no_cost():
    unpriced = offering(price=None)
    assert api_monthly_cost(unpriced, Usage(), TODAY) is None
    # A scheduled price fills the gap from its start.
    later = offering(price=None, price_changes=SCHEDULED)
    assert api_monthly_cost(later, Usage(), TODAY) is None
    assert api_monthly_cost(later, Usage(), dt.date(2027, 1, 2)) is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {
                "price": TIERED
                | {
                    "tiers": [
                        {"above_input_tokens": 500_000, "input": 4.0, "output": 20.0},
                        {"above_input_tokens": 100_000, "input": 2.0, "output": 12.0},
                    ]
                }
            },
            "ascending order of above_input_tokens",
        ),
        (
            {"price_changes": [SCHEDULED[0], SCHEDULED[0] | {"starts": "2026-06-01"}]},
            "ascending order of starts",
        ),
        (
            {
                "price": TIERED
                | {"tiers": [{"above_input_tokens": 1, "input": 1, "output": 1, "cached_input": 2}]}
            },
            "cached_input price cannot exceed",
        ),
    ],
)
def test_malformed_price_structures_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        offering(**fields)


@pytest.mark.parametrize(
    ("performance", "message"),
    [
        ({"output_tokens_per_s": 80.0}, "needs the measurement's method and measured date"),
        ({"ttft_s": 0.5, "method": "independent"}, "needs the measurement's method"),
        ({"stand_in": "acme/other"}, "stand_in is given without a figure"),
        ({"output_tokens_per_s": 80.0, "method": "guess", "measured": "2026-11-01"}, "vendor"),
    ],
)
def test_a_speed_figure_needs_method_and_date(performance, message):
    with pytest.raises(ValidationError, match=message):
        offering(performance=performance)
