"""`kb validate`: load every layer and report every problem, not just the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmchoose.errors import InputError
from llmchoose.kb.kbview import record_facts
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors

__all__ = ["validate_knowledge"]


def _problem(error: InputError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message, "hint": error.hint}


def _load(loader, extra: list[Path]) -> tuple[Any, list[dict[str, Any]]]:
    try:
        return loader(extra), []
    except KnowledgeErrors as exc:
        return None, [_problem(e) for e in exc.errors]
    except InputError as exc:
        return None, [_problem(exc)]


def validate_knowledge(
    extra: list[Path], criteria_extra: list[Path] | None = None
) -> dict[str, Any]:
    """A JSON-ready report: ``ok``, record counts, number of facts, problems.

    The decision factors are checked too, since their rules and scorers name the option
    facts the knowledge base provides.
    """
    catalog, errors = _load(load_catalog, extra)
    criteria, criteria_errors = _load(load_criteria, criteria_extra or [])
    errors += criteria_errors
    if errors:
        return {"ok": False, "counts": {}, "facts": 0, "errors": errors}
    counts = {kind: len(getattr(catalog, kind)) for kind in catalog.KINDS}
    facts = sum(
        len(record_facts(r))
        for kind in catalog.KINDS
        if kind != "sources"
        for r in catalog.records(kind)
    )
    counts["factors"] = len(criteria.criteria)
    counts["questions"] = len(criteria.questions)
    return {
        "ok": True,
        "counts": counts,
        "facts": facts,
        "errors": [],
        "layers": [str(p) for p in catalog.layers],
    }
