"""Hard constraints: rule out options the answers forbid, keeping the reasons."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from llmchoose.conditions import evaluate
from llmchoose.engine.options import Option
from llmchoose.loading.criteria import CriteriaSet

__all__ = ["Elimination", "apply_constraints", "fill_reason"]

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


def apply_constraints(
    criteria: CriteriaSet, options: list[Option], answers: Mapping[str, Any]
) -> tuple[list[Option], dict[str, list[Elimination]]]:
    """Split options into those that pass every active rule and those that do not."""
    active = [
        (criterion.id, rule)
        for criterion in criteria.criteria
        for rule in criterion.constraints
        if evaluate(rule.when, answers)
    ]
    kept: list[Option] = []
    eliminated: dict[str, list[Elimination]] = {}
    for option in options:
        reasons = []
        for criterion_id, rule in active:
            verdict = evaluate(rule.require, answers, option.facts)
            if verdict is True or (verdict is None and rule.if_unknown == "keep"):
                continue
            reason = fill_reason(rule.reason, option.facts, answers)
            if verdict is None:
                reason += " (the knowledge base does not say, so it is not assumed)"
            reasons.append(Elimination(criterion_id, rule.id, reason, verdict is None))
        if reasons:
            eliminated[option.id] = reasons
        else:
            kept.append(option)
    return kept, eliminated
