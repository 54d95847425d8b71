"""Hard constraints: rule out options the answers forbid, keeping the reasons."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from llmchoose.engine.option import Option
from llmchoose.loading.conditions import attributes, bind, evaluate
from llmchoose.loading.criteria import CriteriaSet

__all__ = [
    "Elimination",
    "Screening",
    "apply_constraints",
    "fill_reason",
    "rules_without",
    "screen",
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Elimination:
    criterion: str
    constraint: str
    reason: str
    unknown: bool  # ruled out because a needed fact is unknown


def _text(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "no listed region"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fill_reason(template: str, facts: Mapping[str, Any], answers: Mapping[str, Any]) -> str:
    """Replace ``{name}`` with an option fact or an answer; nothing else is interpreted."""

    def sub(match: re.Match) -> str:
        key = match.group(1)
        if key in facts:
            return _text(facts[key])
        if key in answers:
            return _text(answers[key])
        return match.group(0)

    return _PLACEHOLDER.sub(sub, template)


@dataclass
class Screening:
    """What the rules made of the options: those kept, those ruled out and why, the
    score bonuses earned by meeting a preference, and flags on kept options whose fact
    a rule could not check."""

    kept: list[Option]
    eliminated: dict[str, list[Elimination]]
    bonuses: dict[str, dict[str, list[tuple[float, str]]]] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)


def _active_rules(criteria: CriteriaSet, answers: Mapping[str, Any]):
    """(criterion id, rule, hard) for every rule the answers switch on: a hard rule
    when its ``when`` holds, else a preference when its ``prefer`` holds."""
    for criterion in criteria.criteria:
        for rule in criterion.constraints:
            if evaluate(rule.when, answers):
                yield criterion.id, rule, True
            elif rule.prefer is not None and evaluate(rule.prefer, answers):
                yield criterion.id, rule, False


def _elimination(
    criterion_id: str, rule, verdict: bool | None, facts: Mapping[str, Any], answers
) -> Elimination:
    reason = fill_reason(rule.reason, facts, answers)
    if verdict is None:
        reason += " (the knowledge base does not say, so it is not assumed)"
    return Elimination(criterion_id, rule.id, reason, verdict is None)


def rules_without(
    criteria: CriteriaSet, answers: Mapping[str, Any], facts: frozenset[str]
) -> Callable[[Mapping[str, Any]], list[Elimination]]:
    """A test that applies only the active hard rules that neither read nor name any of
    ``facts``, so it can run before those facts exist.

    Sizing a self-hosted option is the costly part of building it; a rule about data
    location or licence can rule the option out first, with the same reason it would give
    afterwards.
    """
    early = []
    for criterion_id, rule, hard in _active_rules(criteria, answers):
        named = set(_PLACEHOLDER.findall(rule.reason))
        read = attributes(rule.require)
        if hard and not (read | named) & facts:
            early.append((criterion_id, rule, bind(rule.require, answers)))

    def test(option_facts: Mapping[str, Any]) -> list[Elimination]:
        reasons = []
        for criterion_id, rule, verdict_of in early:
            verdict = verdict_of(option_facts)
            if verdict is True or (verdict is None and rule.if_unknown == "keep"):
                continue
            reasons.append(_elimination(criterion_id, rule, verdict, option_facts, answers))
        return reasons

    return test


def screen(criteria: CriteriaSet, options: list[Option], answers: Mapping[str, Any]) -> Screening:
    """Apply every active rule and preference to every option.

    Each rule is bound to the answers once. Rules read a fact or two, so testing each
    option directly is quicker than keeping verdicts per distinct set of facts."""
    active = [
        (criterion_id, rule, hard, bind(rule.require, answers))
        for criterion_id, rule, hard in _active_rules(criteria, answers)
    ]
    result = Screening(kept=[], eliminated={})
    for option in options:
        reasons, flags = [], []
        bonuses: dict[str, list[tuple[float, str]]] = {}
        for criterion_id, rule, hard, verdict_of in active:
            verdict = verdict_of(option.facts)
            if not hard:
                if verdict is True:
                    what = rule.preference or rule.id.replace("-", " ")
                    bonuses.setdefault(criterion_id, []).append(
                        (rule.bonus, f"meets your preference: {what}")
                    )
                continue
            if verdict is True:
                continue
            if verdict is None and rule.if_unknown == "keep":
                if rule.unknown_reason:
                    flags.append(fill_reason(rule.unknown_reason, option.facts, answers))
                continue
            reasons.append(_elimination(criterion_id, rule, verdict, option.facts, answers))
        if reasons:
            result.eliminated[option.id] = reasons
            continue
        result.kept.append(option)
        if bonuses:
            result.bonuses[option.id] = bonuses
        if flags:
            result.flags[option.id] = flags
    return result


def apply_constraints(
    criteria: CriteriaSet, options: list[Option], answers: Mapping[str, Any]
) -> tuple[list[Option], dict[str, list[Elimination]]]:
    """Split options into those that pass every active rule and those that do not."""
    screening = screen(criteria, options, answers)
    return screening.kept, screening.eliminated
