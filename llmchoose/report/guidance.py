"""Implementation next steps, the security and compliance checklist and the method notes,
read from ``guidance.yaml`` beside the report templates.

The built-in file ships in ``reports/templates/``; a ``guidance.yaml`` in a user's
``--template-dir`` is layered over it: an entry with an existing id replaces it, a new id
is added, and ``drop: [id, …]`` removes built-in entries. Conditions are the same
structured ``when:`` blocks the decision factors use, read against a workload's answers
and the facts of the option chosen for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from llmchoose.engine.constraints import fill_reason
from llmchoose.errors import InputError
from llmchoose.loading.conditions import evaluate
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.yamlio import line_of, load_yaml
from llmchoose.schemas.common import Id, Strict, Text
from llmchoose.schemas.criteria import Condition
from llmchoose.schemas.vocabulary import (
    CategoryName,
)

__all__ = [
    "GUIDANCE_FILE",
    "REPORT_FACTS",
    "Chosen",
    "Guidance",
    "load_guidance",
    "select_guidance",
]

GUIDANCE_FILE = "guidance.yaml"

# Facts reports add to an option's own (llmchoose/schemas/vocabulary.py) for guidance texts.
REPORT_FACTS = {
    "runtime_name": "name of the runtime (own hardware)",
    "hardware_name": "name of the hardware the option was sized on",
    "sizing": "the sized deployment in words, e.g. '1 × GPU 80 GB, int4'",
    "replicas": "number of replicas at the peak",
    "monthly": "monthly cost as money text",
    "monthly_phrase": "monthly cost as a phrase: 'about $236 a month', or 'an unknown monthly cost'",
    "peak_rps": "requests per second in the busiest hour",
    "first_token": "time to the first token as text",
    "full_answer": "time for a typical answer as text",
    "cached_pct": "share of the input cached, as a percentage",
    "workload": "the workload's name",
}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

Kind = Literal[CategoryName, "hybrid"]


class Step(Strict):
    title: Text
    text: Text
    when: Condition | None = Field(None, description="Show the step only when this holds.")


class Playbook(Strict):
    id: Id
    title: Text
    kinds: list[Kind] = Field(min_length=1, description="Kinds of option this playbook is for.")
    intro: Text | None = None
    steps: list[Step] = Field(min_length=1)


class CheckItem(Strict):
    id: Id
    area: Text = Field(description="Heading the item is listed under: Security, Privacy …")
    text: Text
    when: Condition | None = None


class Note(Strict):
    id: Id
    text: Text


class Guidance(Strict):
    version: Literal[1] = 1
    next_steps: list[Playbook] = Field(default_factory=list)
    checklist: list[CheckItem] = Field(default_factory=list)
    method_notes: list[Note] = Field(default_factory=list)
    drop: list[Id] = Field(default_factory=list, description="Ids of earlier entries to remove.")


def _read(path: Path, questions: set[str] | None, facts: set[str] | None) -> Guidance:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise InputError(
            "expected a mapping with next_steps, checklist and method_notes", file=path, line=1
        )
    try:
        guidance = Guidance.model_validate(dict(raw))
    except ValidationError as exc:
        raise validation_errors(exc, model=Guidance, raw=raw, file=path)[0] from None
    if questions is not None and facts is not None:
        _check_names(guidance, raw, path, questions, facts)
    return guidance


def _entries(guidance: Guidance) -> Iterable[tuple[tuple, Condition | None, list[str]]]:
    """(location, condition, texts) of everything that may name answers or facts."""
    for i, book in enumerate(guidance.next_steps):
        yield ("next_steps", i), None, [book.title, book.intro or ""]
        for j, step in enumerate(book.steps):
            yield ("next_steps", i, "steps", j), step.when, [step.title, step.text]
    for i, item in enumerate(guidance.checklist):
        yield ("checklist", i), item.when, [item.text]


def _check_names(
    guidance: Guidance, raw: Any, path: Path, questions: set[str], facts: set[str]
) -> None:
    """A typo in a condition or a placeholder would silently never apply: refuse it."""
    from llmchoose.errors import did_you_mean

    for loc, condition, texts in _entries(guidance):
        if condition is not None:
            for name in sorted(condition.questions() - questions):
                raise InputError(
                    f"{_loc(loc)}.when: unknown question '{name}'",
                    file=path,
                    line=line_of(raw, (*loc, "when")),
                    hint=did_you_mean(name, questions),
                )
            for name in sorted(condition.attributes() - facts):
                raise InputError(
                    f"{_loc(loc)}.when: unknown attribute '{name}'",
                    file=path,
                    line=line_of(raw, (*loc, "when")),
                    hint=did_you_mean(name, facts),
                )
        for text in texts:
            for name in _PLACEHOLDER.findall(text):
                if name not in facts and name not in questions:
                    raise InputError(
                        f"{_loc(loc)}: unknown placeholder '{{{name}}}'",
                        file=path,
                        line=line_of(raw, loc),
                        hint=did_you_mean(name, facts | questions),
                    )


def _loc(loc: tuple) -> str:
    from llmchoose.loading.messages import format_loc

    return format_loc(loc)


def _layer(base: list, overlay: list, drop: set[str]) -> list:
    items = {item.id: item for item in base}
    for item in overlay:
        items[item.id] = item
    return [item for item in items.values() if item.id not in drop]


def load_guidance(
    folders: Sequence[Path],
    *,
    questions: Iterable[str] | None = None,
    attributes: Iterable[str] | None = None,
) -> Guidance:
    """Merge the ``guidance.yaml`` of each folder, earliest first (built-in, then user).

    Given the question ids and option attributes, every condition and ``{placeholder}``
    is checked against them.
    """
    known_questions = set(questions) if questions is not None else None
    known_facts = set(attributes) | set(REPORT_FACTS) if attributes is not None else None
    merged = Guidance()
    for folder in folders:
        path = Path(folder) / GUIDANCE_FILE
        if not path.is_file():
            continue
        layer = _read(path, known_questions, known_facts)
        drop = set(layer.drop)
        merged = Guidance(
            next_steps=_layer(merged.next_steps, layer.next_steps, drop),
            checklist=_layer(merged.checklist, layer.checklist, drop),
            method_notes=_layer(merged.method_notes, layer.method_notes, drop),
        )
    return merged


@dataclass(frozen=True)
class Chosen:
    """The option chosen for one workload, as guidance conditions see it."""

    workload: str  # workload name
    option_id: str
    option_name: str
    category: str
    answers: Mapping[str, Any]
    facts: Mapping[str, Any]  # option facts plus report extras (hardware_name, monthly …)


def _holds(condition: Condition | None, chosen: Chosen) -> bool:
    # An unknown fact (None) does not make an item apply: the checklist lists what is known.
    return condition is None or evaluate(condition, chosen.answers, chosen.facts) is True


def _fill(text: str, chosen: Chosen) -> str:
    return " ".join(fill_reason(text, chosen.facts, chosen.answers).split())


def select_guidance(guidance: Guidance, chosen: Sequence[Chosen]) -> dict[str, Any]:
    """Next steps for each chosen option (and the hybrid), and the checklist that applies."""
    playbooks: list[dict[str, Any]] = []
    by_option: dict[str, list[Chosen]] = {}
    for item in chosen:
        by_option.setdefault(item.option_id, []).append(item)
    for group in by_option.values():
        first = group[0]
        book = next((b for b in guidance.next_steps if first.category in b.kinds), None)
        if book is None:
            continue
        steps = [
            {"title": _fill(s.title, first), "text": _fill(s.text, first)}
            for s in book.steps
            if any(_holds(s.when, c) for c in group)
        ]
        playbooks.append(
            {
                "id": book.id,
                "title": _fill(book.title, first),
                "intro": _fill(book.intro, first) if book.intro else None,
                "option": first.option_name,
                "category": first.category,
                "workloads": [c.workload for c in group],
                "steps": steps,
            }
        )
    if len(by_option) > 1:
        book = next((b for b in guidance.next_steps if "hybrid" in b.kinds), None)
        if book is not None:
            first = chosen[0]
            playbooks.append(
                {
                    "id": book.id,
                    "title": book.title,
                    "intro": _fill(book.intro, first) if book.intro else None,
                    "option": None,
                    "category": "hybrid",
                    "workloads": [c.workload for c in chosen],
                    "steps": [
                        {"title": _fill(s.title, first), "text": _fill(s.text, first)}
                        for s in book.steps
                        if any(_holds(s.when, c) for c in chosen)
                    ],
                }
            )
    checklist: list[dict[str, Any]] = []
    for check in guidance.checklist:
        found: dict[str, list[str]] = {}
        for item in chosen:
            if _holds(check.when, item):
                text = _fill(check.text, item)
                names = found.setdefault(text, [])
                if item.workload not in names:
                    names.append(item.workload)
        for text, names in found.items():
            checklist.append(
                {
                    "id": check.id,
                    "area": check.area,
                    "text": text,
                    "workloads": names,
                    "all_workloads": len(names) == len(chosen),
                }
            )
    areas: list[dict[str, Any]] = []
    for entry in checklist:
        area = next((a for a in areas if a["area"] == entry["area"]), None)
        if area is None:
            area = {"area": entry["area"], "entries": []}
            areas.append(area)
        area["entries"].append(entry)
    return {
        "next_steps": playbooks,
        "checklist": areas,
        "method_notes": [" ".join(n.text.split()) for n in guidance.method_notes],
    }
