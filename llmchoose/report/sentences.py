"""Sentences the report writes from numbers, with their edge cases handled in one place:
an unknown value, two values that read the same once rounded, and a zero difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmchoose.loading.formatting import money, pct

__all__ = [
    "cost_structure_text",
    "hybrid_trade_text",
    "per_month",
    "score_gain_text",
    "speed_text",
    "weight_change_text",
    "wins_text",
]


def per_month(value: float | None, *, about: bool = False) -> str:
    """``$236 a month`` (``about $236 a month``), or ``an unknown monthly cost``."""
    if value is None:
        return "an unknown monthly cost"
    return ("about " if about else "") + f"{money(value)} a month"


def _two_shares(old: float, new: float) -> tuple[str, str] | None:
    """Two weights as percentages that read differently, or None when even one decimal
    cannot tell them apart."""
    if pct(old) != pct(new):
        return pct(old), pct(new)
    finer = f"{old * 100:.1f}%", f"{new * 100:.1f}%"
    return finer if finer[0] != finer[1] else None


def weight_change_text(factor: str, old: float, new: float, winner: str) -> str:
    """What a change to one factor's weight would do to the ranking."""
    shares = _two_shares(old, new)
    if shares is None:
        return (
            f"The slightest change to the weight of {factor} (now {pct(old)}) would put "
            f"{winner} first."
        )
    return f"If {factor} weighed {shares[1]} instead of {shares[0]}, {winner} would rank first."


def score_gain_text(name: str, factor: str, needed: float, now: float, best: float) -> str:
    """How much higher the runner-up must score on one factor to come first."""
    amount = f"{needed:.2f} higher" if needed >= 0.005 else "any higher at all"
    return (
        f"{name} would rank first if it scored {amount} on {factor} "
        f"(it scores {now:.2f}, the winner {best:.2f})."
    )


def wins_text(share: float, samples: int) -> str:
    """The share of samples an option wins, or nothing without samples."""
    if samples <= 0:
        return ""
    return f"wins {pct(share)} of {samples:,} samples of weights and unknown facts"


def cost_structure_text(structure: str | None, monthly: float | None, parts: dict) -> str:
    """How an option's bill is made up, for the comparison table."""
    if structure == "per-token":
        if monthly is None:
            return "Per token: price unknown for this usage; nothing when idle"
        return f"Per token: {per_month(monthly)} now, nothing when idle"
    if structure == "user-device":
        return "No per-request bill: runs on hardware users own"
    hardware, operations = parts.get("hardware"), parts.get("operations")
    detail = [
        f"{money(value)} {label}"
        for value, label in ((hardware, "machines"), (operations, "operations"))
        if value is not None
    ]
    text = f"Fixed: {per_month(monthly)}"
    return text + (f" ({', '.join(detail)})" if detail and monthly is not None else "")


def hybrid_trade_text(diff: float, gain: float, name: str, gain_text: str) -> str:
    """What the hybrid costs and gains against one option for every workload."""
    if abs(diff) < 0.5:
        text = f"The hybrid costs about the same as {name} for everything"
    else:
        more = "more" if diff > 0 else "less"
        text = f"The hybrid costs {money(abs(diff))} a month {more} than {name} for everything"
    if gain > 0:
        return text + f", for a mean score {gain_text} higher."
    if gain < 0:
        return text + f", for a mean score {gain_text.lstrip('-')} lower."
    return text + ", for the same mean score."


def speed_text(facts: Mapping[str, Any]) -> str | None:
    """An option's speed and what it rests on; a measured self-hosted figure is shown
    against the prediction, so a team sees how far the sizing model was off."""
    speed = facts.get("output_tokens_per_s")
    if not speed:
        return None
    basis = facts.get("speed_basis")
    text = f"{speed:,.0f} tokens/s"
    if facts.get("ttft_s") is not None:
        text += f", first token after {facts['ttft_s']:.2f} s"
    predicted = facts.get("predicted_output_tokens_per_s")
    if basis == "measured" and predicted:
        who = (
            "by you (llmchoose probe)" if facts.get("speed_method") == "own" else "in public tests"
        )
        off = (predicted - speed) / speed * 100
        return f"{text}, measured {who}; predicted {predicted:,.0f} tokens/s ({off:+.0f}%)"
    if basis == "measured":
        return f"{text}, measured"
    if basis == "stand-in":
        return f"{text}, measured on a sibling offering"
    if basis == "predicted":
        band = facts.get("speed_error_band")
        return f"{text}, predicted" + (f" (±{band * 100:.0f}%)" if band else "")
    return text
