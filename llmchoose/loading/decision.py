"""Load a decision file and check its answers against the factors' questions."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from llmchoose.answers import check_answer_ids
from llmchoose.errors import InputError
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.messages import validation_errors
from llmchoose.schemas.decision import Decision
from llmchoose.yamlio import LineDict, load_yaml

__all__ = ["load_decision"]


def load_decision(path: str | Path, criteria: CriteriaSet) -> Decision:
    """Read and validate a decision file; raise one InputError pointing at the line."""
    path = Path(path)
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise InputError(
            "expected a decision: a mapping with project and workloads", file=path, line=1
        )
    try:
        decision = Decision.model_validate(dict(raw))
    except ValidationError as exc:
        raise validation_errors(exc, model=Decision, raw=raw, file=path)[0] from None

    def lines(node) -> dict:
        return node.lines if isinstance(node, LineDict) else {}

    answers = check_answer_ids(
        criteria, decision.answers, file=str(path), lines=lines(raw.get("answers"))
    )
    decision.answers = answers
    for index, workload in enumerate(decision.workloads):
        raw_workload = raw["workloads"][index]
        where = f"workloads[{index}].answers"
        workload.answers = check_answer_ids(
            criteria,
            workload.answers,
            file=str(path),
            lines=lines(raw_workload.get("answers")),
            where=where,
        )
    return decision
