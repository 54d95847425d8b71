"""The pieces of a questionnaire: step keys, the seed a run starts from, one step, the
summary's rows, and how workloads and answers are written and shown. The state machine
that walks them is :class:`llmchoose.questionnaire.flow.Flow`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from llmchoose.loading.answers import check_answer
from llmchoose.schemas.criteria import Criterion, Question

__all__ = [
    "MAX_WORKLOADS",
    "NAME",
    "ORGANISATION",
    "USE_DEFAULT",
    "WORKLOADS",
    "Seed",
    "Step",
    "SummaryEntry",
    "SummarySection",
    "WorkloadRef",
    "checked_answers",
    "display",
    "parse_workloads",
    "question_answer",
    "slug",
    "summarise",
]

# Keys of the project steps; ':' never occurs in a question id, '@' joins a question id
# and a workload id.
NAME = ":name"
ORGANISATION = ":organisation"
WORKLOADS = ":workloads"
MAX_WORKLOADS = 20


class _UseDefault:
    def __repr__(self) -> str:
        return "USE_DEFAULT"


USE_DEFAULT: Any = _UseDefault()
MISSING = object()


@dataclass(frozen=True)
class WorkloadRef:
    id: str
    name: str


@dataclass
class Seed:
    """Answers from outside the flow: a decision being edited, an answers file, a draft.

    ``project_given`` says the project block was there, so an absent organisation is an
    answer (none), not a question still open.
    """

    name: str | None = None
    organisation: str | None = None
    project_given: bool = False
    workloads: list[WorkloadRef] | None = None
    shared: dict[str, Any] = field(default_factory=dict)
    per_workload: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One question as it stands now."""

    key: str
    kind: str  # "name", "organisation", "workloads" or "question"
    text: str
    help: str | None
    example: str | None
    question: Question | None
    factor: Criterion | None
    factor_number: int  # 1-based; 0 for the project steps
    factor_count: int
    workload: WorkloadRef | None
    workload_number: int  # 1-based among the workloads; 0 for project-wide questions
    workload_count: int
    default: Any  # the answer given, else the default the prompt offers
    source: str  # "answered", "previous", "workload" or "default"
    source_note: str | None  # e.g. "same as Support chat"
    answered: bool
    number: int  # 1-based position among the steps now in the flow
    total: int
    first_in_factor: bool

    @property
    def answer_id(self) -> str:
        """Where the answer goes in the decision file."""
        if self.kind == "name":
            return "project.name"
        if self.kind == "organisation":
            return "project.organisation"
        if self.kind == "workloads":
            return "workloads"
        assert self.question is not None
        return self.question.id


@dataclass
class SummaryEntry:
    label: str
    factor: str
    # (step key, workload name or None when it holds for the whole project, text)
    values: list[tuple[str, str | None, str]]
    changed: bool  # differs from the question's own default
    note: str | None = None


@dataclass
class SummarySection:
    title: str
    entries: list[SummaryEntry]


PROJECT_STEPS = {
    NAME: (
        "name",
        "What is the project called?",
        "It heads the decision file and every report made from it.",
        "Acme support chatbot",
    ),
    ORGANISATION: (
        "organisation",
        "Which organisation is it for? (optional)",
        "Shown on reports. Leave it empty to skip; type - to clear it.",
        "Acme Ltd",
    ),
    WORKLOADS: (
        "workloads",
        "Which workloads will use the model? Separate several with commas.",
        "A workload is one use of the model with its own data, volume and speed needs. "
        "Each gets its own ranking; answers the workloads share are asked once.",
        "Support chat, Contract review, Nightly summaries",
    ),
}


def slug(name: str) -> str:
    """A workload id from its name: ``Support chat`` -> ``support-chat``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:60].strip("-")


def parse_workloads(value: Any, known: Iterable[WorkloadRef] = ()) -> list[WorkloadRef]:
    """Workloads from ``"Support chat, Search"`` (or a list); a name already known keeps
    its id, so answers recorded for it stay with it. Raises ValueError."""
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(",")]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValueError("expected workload names separated by commas")
    by_name = {w.name.casefold(): w for w in known}
    result: list[WorkloadRef] = []
    for item in items:
        if isinstance(item, WorkloadRef):
            ref = item
        elif isinstance(item, Mapping):
            name = str(item.get("name", "")).strip()
            ref = WorkloadRef(str(item.get("id") or slug(name)), name)
        elif isinstance(item, str):
            name = " ".join(item.split())
            if not name:
                continue
            ref = by_name.get(name.casefold()) or WorkloadRef(slug(name), name)
            if ref.name != name:
                ref = WorkloadRef(ref.id, name)
        else:
            raise ValueError("expected workload names separated by commas")
        if not ref.name:
            raise ValueError("every workload needs a name")
        if len(ref.name) > 200:
            raise ValueError("a workload name is at most 200 characters")
        if not ref.id:
            raise ValueError(f"'{ref.name}' needs at least one letter or digit")
        if any(w.id == ref.id for w in result):
            raise ValueError(f"two workloads would both get the id '{ref.id}'; name them apart")
        result.append(ref)
    if not result:
        raise ValueError("name at least one workload")
    if len(result) > MAX_WORKLOADS:
        raise ValueError(f"at most {MAX_WORKLOADS} workloads")
    return result


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


def display(question: Question | None, value: Any) -> str:
    """An answer as a person reads it: choice labels, yes/no, numbers with units."""
    if value is None:
        return "—"
    if question is None:
        if isinstance(value, list):
            return ", ".join(w.name if isinstance(w, WorkloadRef) else str(w) for w in value)
        return str(value)
    labels = {c.value: c.label for c in question.choices}
    if question.type == "choice":
        return labels.get(value, str(value))
    if question.type == "multi":
        return "; ".join(labels.get(v, str(v)) for v in value) if value else "none"
    if question.type == "bool":
        return "yes" if value else "no"
    if question.type == "importance":
        return f"{value} of 5"
    if question.type == "number":
        return _number(value) + (f" {question.unit}" if question.unit else "")
    return str(value)


def summarise(
    steps: list[Step],
    criteria: list[Criterion],
    workloads: list[WorkloadRef],
    overrides: Mapping[str, Mapping[str, Any]],
) -> list[SummarySection]:
    """Every answer, grouped by factor, one entry per question (``overrides``: answers
    kept from the file for single workloads)."""
    project = SummarySection("Project", [])
    for s in steps[:3]:
        project.entries.append(
            SummaryEntry(s.text, "project", [(s.key, None, display(None, s.default))], False)
        )
    sections = [project]
    for criterion in criteria:
        section = SummarySection(criterion.name, [])
        for question in criterion.questions:
            mine = [s for s in steps if s.question is question]
            if not mine:
                continue
            values: list[tuple[str, str | None, str]]
            if question.scope == "workload" and len(mine) > 1:
                texts = {display(question, s.default) for s in mine}
                if len(texts) == 1 and len(mine) == mine[0].workload_count:
                    values = [(mine[0].key, None, texts.pop() + " (every workload)")]
                else:
                    values = [
                        (s.key, s.workload.name if s.workload else None,
                         display(question, s.default))
                        for s in mine
                    ]  # fmt: skip
            else:
                s = mine[0]
                name = s.workload.name if s.workload and s.workload_count > 1 else None
                values = [(s.key, name, display(question, s.default))]
            changed = any(s.default != question.default for s in mine)
            note = None
            own = [
                f"{w.name}: {display(question, overrides[w.id][question.id])}"
                for w in workloads
                if question.id in overrides.get(w.id, {})
            ]
            if own:
                note = "kept from the file for one workload — " + "; ".join(own)
            section.entries.append(SummaryEntry(question.text, criterion.id, values, changed, note))
        if section.entries:
            sections.append(section)
    return sections


def checked_answers(
    questions: Mapping[str, Question], given: Any, notes: list[str], then: str, where: str = ""
) -> dict[str, Any]:
    """The saved answers that still fit their questions; a note for each that does not
    (``then`` says what happens to it)."""
    checked: dict[str, Any] = {}
    for qid, value in given.items() if isinstance(given, Mapping) else ():
        if qid in questions:
            try:
                checked[qid] = check_answer(questions[qid], value)
            except ValueError as exc:
                notes.append(f"{qid}{where}: {exc}; {then}")
    return checked


def question_answer(question: Question, raw: Any) -> Any:
    """The answer to a question in its proper type; ValueError says what is allowed."""
    try:
        value = check_answer(question, raw)
    except ValueError as exc:
        # Say the bound as people write it: 1,000,000,000 requests per day, not 1e+09.
        unit = f" {question.unit}" if question.unit else ""
        if str(exc).startswith("must be at most") and question.max is not None:
            raise ValueError(f"must be at most {question.max:,.12g}{unit}") from None
        if str(exc).startswith("must be at least") and question.min is not None:
            raise ValueError(f"must be at least {question.min:,.12g}{unit}") from None
        raise
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)  # typed "2500" is 2500, not 2500.0, in the file
    return value
