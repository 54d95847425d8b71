"""The distinct answers inside a ranking: one entry per model, the best of each
category, the headline recommendation, the runner-up, and how firm the lead is.

Several rows of a ranking are often the same model on another runtime or at another
provider; they are one answer, not rivals. Every consumer (terminal, JSON, reports,
``decide``, ``check``, the ADR) reads these from the engine result instead of working
them out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from llmchoose.engine.ranking import RankedOption
from llmchoose.schemas.vocabulary import METHOD_NAMES

__all__ = [
    "CLEAR_SHARE",
    "CLOSE_MARGIN",
    "CLOSE_SHARE",
    "Alternative",
    "Standing",
    "Verdict",
    "category_bests",
    "distinct_alternatives",
    "headline_of",
    "standing_of",
    "verdict_of",
]

CLOSE_MARGIN = 0.03  # score points (on 0..1) below which the top two are "close"
CLOSE_SHARE = 0.6  # winner's share of samples below which it is "close"
CLEAR_SHARE = 0.85  # share of samples at or above which a lead can be "clear"


@dataclass
class Alternative:
    """One model at its best offering or runtime, with the others folded under it."""

    option: RankedOption
    folded: list[str] = field(default_factory=list)  # ids of the same model elsewhere

    @property
    def model(self) -> str:
        return _model_of(self.option)


@dataclass(frozen=True)
class Verdict:
    """How firm the headline's lead is, in one level and a sentence."""

    level: str  # clear, moderate, close, tie, single or none
    label: str  # "Clear lead", "Close call" …
    text: str
    methods_agree: bool = True
    other_method: str | None = None
    other_winner: str | None = None  # option id the other method puts first


def _model_of(item: RankedOption) -> str:
    facts = item.option.facts if item.option is not None else item.facts
    return str(facts.get("model") or item.id)


def _best_known(items: list[RankedOption]) -> RankedOption:
    """The best-ranked item whose price is known, else simply the best-ranked."""
    return next((i for i in items if i.price_known), items[0])


def distinct_alternatives(ranked: list[RankedOption]) -> list[Alternative]:
    """One alternative per model, in ranked order of its representative.

    A model's representative is its best-ranked option with a known price (an unknown
    price cannot be recommended), else its best-ranked option.
    """
    groups: dict[str, list[RankedOption]] = {}
    for item in ranked:
        groups.setdefault(_model_of(item), []).append(item)
    alternatives = []
    for items in groups.values():
        best = _best_known(items)
        alternatives.append(Alternative(best, [i.id for i in items if i is not best]))
    alternatives.sort(key=lambda a: a.option.rank)
    return alternatives


def headline_of(alternatives: list[Alternative]) -> RankedOption | None:
    """The recommendation: the best alternative whose price is known."""
    if not alternatives:
        return None
    return _best_known([a.option for a in alternatives])


def category_bests(ranked: list[RankedOption]) -> dict[str, RankedOption]:
    """The best option of each category, preferring a known price."""
    by_category: dict[str, list[RankedOption]] = {}
    for item in ranked:
        by_category.setdefault(item.category, []).append(item)
    return {category: _best_known(items) for category, items in by_category.items()}


def verdict_of(
    headline: RankedOption | None,
    runner_up: RankedOption | None,
    *,
    samples: int,
    other_method: str | None = None,
    other_winner: RankedOption | None = None,
) -> Verdict:
    """Label the lead: clear only when it holds under both methods and in most samples."""
    if headline is None:
        return Verdict("none", "No option", "No option meets every hard requirement.")
    if runner_up is None:
        return Verdict(
            "single", "Only option", "It is the only option that meets every hard requirement."
        )
    agree = other_winner is None or _model_of(other_winner) == _model_of(headline)
    disagreement = (
        ""
        if agree or other_winner is None
        else f" {METHOD_NAMES.get(str(other_method), other_method)} ranks {other_winner.name} "
        "first instead."
    )
    other_id = None if other_winner is None else other_winner.id

    def said(level: str, label: str, text: str) -> Verdict:
        return Verdict(level, label, text, agree, other_method, other_id)

    margin = headline.score - runner_up.score
    if margin < 0 and not runner_up.price_known:
        text = (
            f"{runner_up.name} scores {-margin:.2f} higher, but its price is unknown, so it "
            f"cannot be the recommendation until the price is known.{disagreement}"
        )
        return said("close", "Close call", text)
    wins = f"it wins {headline.win_share:.0%} of {samples:,} samples of weights and unknown facts"
    if abs(margin) < 0.0005:
        text = f"A tie with {runner_up.name}; {wins}.{disagreement}"
        return said("tie", "Tie", text)
    gap = f"{margin:.2f}" if abs(margin) >= 0.01 else f"{margin:.3f}"
    if margin < CLOSE_MARGIN or headline.win_share < CLOSE_SHARE or not agree:
        text = f"A close call: {gap} ahead of {runner_up.name}, and {wins}.{disagreement}"
        if agree and headline.win_share >= CLEAR_SHARE:
            # Near on score, yet no plausible change of weights or unknown facts turns it.
            text = f"Close on score but steady: {gap} ahead of {runner_up.name}, yet {wins}."
        return said("close", "Close call", text)
    if headline.win_share >= CLEAR_SHARE:
        text = f"A clear lead: {gap} ahead of {runner_up.name}; {wins}."
        return said("clear", "Clear lead", text)
    text = f"A moderate lead: {gap} ahead of {runner_up.name}; {wins}."
    return said("moderate", "Moderate lead", text)


@dataclass(frozen=True)
class Standing:
    """Where one option stands: its model's place among the distinct alternatives and
    its distance to the best other model (positive: ahead)."""

    option: RankedOption
    rank: int
    of: int
    margin: float
    compared_with: str | None


def standing_of(
    option: RankedOption,
    alternatives: list[Alternative],
    headline: RankedOption | None,
    runner_up: RankedOption | None,
) -> Standing:
    """The standing of a ranked option; decide, check and reports all use this."""
    model = _model_of(option)
    rank = next(
        (n for n, a in enumerate(alternatives, start=1) if a.model == model), len(alternatives)
    )
    lead = headline if headline is not None and _model_of(headline) != model else runner_up
    if lead is None:
        return Standing(option, rank, len(alternatives), 0.0, None)
    return Standing(option, rank, len(alternatives), round(option.score - lead.score, 4), lead.id)
