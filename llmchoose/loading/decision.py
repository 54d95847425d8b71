"""Load a decision file and check its answers against the factors' questions.

:func:`load_decision` is strict: the first problem is raised as one InputError (for
``recommend``, ``report``, ``decide``). :func:`read_decision` collects every problem
instead, each tagged with its kind, so ``check`` can report them all as findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.answers import check_answer
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.yamlio import LineDict, line_of, load_yaml, parse_yaml
from llmchoose.schemas.decision import Decision

__all__ = [
    "DecisionDocument",
    "Problem",
    "check_decision_text",
    "load_decision",
    "read_decision",
]


@dataclass
class Problem:
    """A problem in a decision file: ``schema`` (invalid YAML or value) or ``question``
    (an answer to a question no factor asks)."""

    kind: str
    error: InputError


@dataclass
class DecisionDocument:
    """A decision file as read: the raw data (with line numbers), the validated decision
    when there is one, and every problem found."""

    path: Path
    raw: Any
    decision: Decision | None
    problems: list[Problem] = field(default_factory=list)


def _lines(node: Any) -> dict:
    return node.lines if isinstance(node, LineDict) else {}


def _answer_problems(
    criteria: CriteriaSet, answers: dict[str, Any], raw: Any, path: Path, where: str
) -> tuple[dict[str, Any], list[Problem]]:
    """Each answer checked on its own: the good ones in their proper type, and a problem
    for every bad one."""
    questions = criteria.questions
    lines = _lines(raw)
    checked: dict[str, Any] = {}
    problems: list[Problem] = []
    for qid, value in answers.items():
        line = lines.get(qid)
        if qid not in questions:
            problems.append(
                Problem(
                    "question",
                    InputError(
                        f"{where}.{qid}: unknown question",
                        file=path,
                        line=line,
                        hint=did_you_mean(str(qid), questions) or "see `llmchoose questions`",
                    ),
                )
            )
            continue
        try:
            checked[qid] = check_answer(questions[qid], value)
        except ValueError as exc:
            problems.append(
                Problem("schema", InputError(f"{where}.{qid}: {exc}", file=path, line=line))
            )
    return checked, problems


def _weight_problems(
    decision: Decision, criteria: CriteriaSet, raw: dict[str, Any], path: Path
) -> list[Problem]:
    """Weights and AHP comparisons checked against the factors, each at its line (the
    engine checks them too, but knows no file)."""
    ids = [c.id for c in criteria.criteria if c.scoring is not None]
    problems: list[Problem] = []

    def problem(message: str, loc: tuple[Any, ...], hint: str | None = None) -> None:
        error = InputError(message, file=path, line=line_of(raw, loc), hint=hint)
        problems.append(Problem("schema", error))

    if decision.weights is not None:
        for key in decision.weights:
            if key not in ids:
                problem(f"weights.{key}: unknown factor", ("weights", key), did_you_mean(key, ids))
        if not any(decision.weights.get(i, 0) > 0 for i in ids):
            problem("weights: at least one factor needs a weight above zero", ("weights",))
    for index, pair in enumerate(decision.ahp or []):
        for key in (pair.more, pair.less):
            if key not in ids:
                problem(
                    f"ahp[{index}]: unknown factor '{key}'", ("ahp", index), did_you_mean(key, ids)
                )
    return problems


def read_decision(path: str | Path, criteria: CriteriaSet) -> DecisionDocument:
    """Read a decision file and collect every problem in it.

    Raises InputError only when the file cannot be read at all (missing, a folder);
    anything wrong inside it is returned as a problem.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.is_dir():
        raise InputError("expected a decision file, found a folder", file=path)
    try:
        raw = load_yaml(path)
    except InputError as exc:
        return DecisionDocument(path, None, None, [Problem("schema", exc)])
    return _document(path, raw, criteria)


def _document(path: Path, raw: Any, criteria: CriteriaSet | None) -> DecisionDocument:
    """The decision in ``raw`` data with every problem found (only the schema's when no
    criteria are given)."""
    if not isinstance(raw, dict):
        error = InputError(
            "expected a decision: a mapping with project and workloads", file=path, line=1
        )
        return DecisionDocument(path, raw, None, [Problem("schema", error)])
    try:
        decision = Decision.model_validate(dict(raw))
    except ValidationError as exc:
        errors = validation_errors(exc, model=Decision, raw=raw, file=path)
        return DecisionDocument(path, raw, None, [Problem("schema", e) for e in errors])
    if criteria is None:
        return DecisionDocument(path, raw, decision)
    decision.answers, problems = _answer_problems(
        criteria, decision.answers, raw.get("answers"), path, "answers"
    )
    problems += _weight_problems(decision, criteria, raw, path)
    for index, workload in enumerate(decision.workloads):
        workload.answers, more = _answer_problems(
            criteria,
            workload.answers,
            raw["workloads"][index].get("answers"),
            path,
            f"workloads[{index}].answers",
        )
        problems += more
    return DecisionDocument(path, raw, decision, problems)


def load_decision(path: str | Path, criteria: CriteriaSet) -> Decision:
    """Read and validate a decision file; raise one InputError pointing at the line."""
    document = read_decision(path, criteria)
    if document.problems:
        raise document.problems[0].error
    assert document.decision is not None
    return document.decision


def check_decision_text(
    text: str, path: str | Path = "llm-decision.yaml", criteria: CriteriaSet | None = None
) -> None:
    """Refuse decision text that :func:`read_decision` would not read back (its schema
    rules, and with ``criteria`` its answers and weights too), so a writer can check
    before it replaces the file."""
    document = _document(Path(path), parse_yaml(text, path), criteria)
    if document.problems:
        first = document.problems[0].error
        raise InputError(
            f"not written, it would not load again: {first.message}",
            file=path,
            line=first.line,
            hint=first.hint,
        )
