"""What `init` produces: the decision file's text, and the short account of its ranking
(the top options per workload with one line on why, and how many were ruled out)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.formatting import currency_from_answers, format_money, use_currency
from llmchoose.questionnaire.flow import Flow
from llmchoose.schemas.vocabulary import STRONG, WEAK

__all__ = ["OptionLine", "WorkloadOutcome", "decision_data", "outcomes", "render_decision"]


def decision_data(
    flow: Flow,
    *,
    extras: dict[str, Any] | None = None,
    description: str | None = None,
    workload_extras: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The decision as plain data, in the order it is written."""
    name, organisation = flow.project
    project: dict[str, Any] = {"name": name}
    if organisation:
        project["organisation"] = organisation
    if description:
        project["description"] = description
    shared, per = flow.answer_sets()
    workloads = []
    for workload in flow.workloads:
        kept = (workload_extras or {}).get(workload.id, {})
        item: dict[str, Any] = {"id": workload.id, "name": workload.name}
        if kept.get("description"):
            item["description"] = kept["description"]
        item["answers"] = per.get(workload.id, {})
        if kept.get("choice"):
            item["choice"] = kept["choice"]
        workloads.append(item)
    data: dict[str, Any] = {"version": 1, "project": project, "answers": shared}
    data["workloads"] = workloads
    for key in ("method", "weights", "ahp", "policy"):
        if (extras or {}).get(key) is not None:
            data[key] = extras[key]  # type: ignore[index]
    return data


def _block(key: str, value: Any, indent: int) -> list[str]:
    from llmchoose.loading.yamlout import dump_yaml

    lines = dump_yaml({key: value}).rstrip("\n").split("\n")
    return [" " * indent + line if line else line for line in lines]


def _answers(answers: dict[str, Any], criteria: CriteriaSet, indent: int) -> list[str]:
    """``answers:`` with a comment naming the factor above each group."""
    pad = " " * indent
    if not answers:
        return [pad + "answers: {}"]
    lines = [pad + "answers:"]
    owner = None
    for qid, value in answers.items():
        try:
            factor = criteria.owner(qid)
        except KeyError:
            factor = None
        if factor is not None and factor.id != owner:
            lines.append(f"{pad}  # {factor.name}")
            owner = factor.id
        lines += _block(qid, value, indent + 2)
    return lines


def schema_hint(target: Path) -> str:
    schema = target.parent / "llm-decision.schema.json"
    return f"# For completion in your editor: llmchoose schema decision -o {schema.as_posix()}"


def render_decision(
    data: dict[str, Any],
    criteria: CriteriaSet,
    *,
    target: Path,
    as_of: dt.date,
    header: list[str] | None = None,
) -> str:
    """The decision file's text: a schema line for editors, then the decision, with a
    comment heading each factor's answers. Checked to read back as ``data``."""
    from llmchoose.decision.decide import SCHEMA_COMMENT
    from llmchoose.loading.yamlio import parse_yaml
    from llmchoose.loading.yamlout import dump_yaml

    top = list(header or [])
    if not any("yaml-language-server" in line for line in top):
        top.insert(0, SCHEMA_COMMENT)
        top.insert(1, schema_hint(target))
    if not any("llmchoose init" in line for line in top):
        top.append(
            f"# Written by `llmchoose init` on {as_of.isoformat()}. "
            f"Revise it with: llmchoose init --edit {target.as_posix()}"
        )
    body: list[str] = []
    for key, value in data.items():
        if key == "answers":
            body += _answers(value, criteria, 0)
        elif key == "workloads":
            body.append("workloads:")
            for workload in value:
                first = True
                for wkey, wvalue in workload.items():
                    if wkey == "answers":
                        lines = _answers(wvalue, criteria, 4)
                    else:
                        lines = _block(wkey, wvalue, 4)
                    if first:
                        lines[0] = "  - " + lines[0][4:]
                        first = False
                    body += lines
        else:
            body += _block(key, value, 0)
    text = "\n".join([*top, *body]) + "\n"
    from llmchoose.questionnaire.answers_file import plain

    if plain(parse_yaml(text, target)) != data:  # pragma: no cover - a safety net
        text = "\n".join(top) + "\n" + dump_yaml(data)
    return text


# ---------------------------------------------------------------------------- outcome


@dataclass
class OptionLine:
    rank: int
    id: str
    name: str
    category: str
    score: float
    monthly_cost: float | None
    why: str


@dataclass
class WorkloadOutcome:
    id: str
    name: str
    ranked: int
    top: list[OptionLine]
    eliminated: int
    eliminated_by: list[tuple[str, int]] = field(default_factory=list)
    hint: str | None = None


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _why(
    item: Any, weights: dict[str, float], names: dict[str, str], level: Collection[str] = ()
) -> str:
    """One line: what the option is strong and weak on, and what it costs. A factor every
    ranked option scores the same on (``level``) is no strength of this one's."""
    strong = [
        f for f, _ in sorted(item.contributions.items(), key=lambda kv: (-kv[1], kv[0]))
        if item.factor_scores.get(f, 0) >= STRONG and weights.get(f, 0) > 0 and f not in level
    ][:3]  # fmt: skip
    weak = [
        f for f in sorted(weights, key=lambda f: (-weights[f], f))
        if item.factor_scores.get(f, 1) <= WEAK and weights[f] >= 0.08
    ][:2]  # fmt: skip
    parts = []
    if strong:
        parts.append("strong on " + _join([names.get(f, f) for f in strong]))
    if weak:
        parts.append("weaker on " + _join([names.get(f, f) for f in weak]))
    if not parts:
        parts.append("a balance of every factor, leading on none")
    if item.monthly_cost is not None:
        parts.append(f"about {format_money(item.monthly_cost)} a month")
    else:
        parts.append("price unknown")
    return "; ".join(parts)


def outcomes(rec: Any, criteria: CriteriaSet, *, top: int = 3) -> list[WorkloadOutcome]:
    """The top options of each workload, with a line on why, and what was ruled out."""
    names = {c.id: c.name.split(" and ")[0].lower() for c in criteria.criteria}
    # The currency is a project answer, the same in every workload's merged answers.
    currency = currency_from_answers(rec.workloads[0].answers if rec.workloads else None)
    with use_currency(currency):
        return _outcomes(rec, names, top)


def _outcomes(rec: Any, names: dict[str, str], top: int) -> list[WorkloadOutcome]:
    result = []
    for workload in rec.workloads:
        weights = dict(workload.weights.values)
        level = {
            f
            for f in weights
            if len(workload.ranked) > 1
            and len({r.factor_scores.get(f) for r in workload.ranked}) == 1
        }
        # The distinct models in the order `recommend` shows them: the headline first
        # (never an option whose price is unknown), each model at its best offering.
        shown = [alternative.option for alternative in workload.alternatives[:top]]
        lines = [
            OptionLine(
                rank=workload.standing(item).rank,
                id=item.id,
                name=item.name,
                category=item.category,
                score=item.score,
                monthly_cost=item.monthly_cost,
                why=_why(item, weights, names, level),
            )
            for item in shown
        ]
        counts = Counter(rule for e in workload.eliminated for rule in e["constraints"][:1])
        by = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        hint = None
        if not workload.ranked:
            hint = "no option meets every hard requirement; revise the answers that rule them out"
        result.append(
            WorkloadOutcome(
                id=workload.id,
                name=workload.name,
                ranked=len(workload.ranked),
                top=lines,
                eliminated=len(workload.eliminated),
                eliminated_by=by,
                hint=hint,
            )
        )
    return result
