"""`kb validate`: load every layer and report every problem, not just the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmchoose.errors import InputError
from llmchoose.kbview import record_facts
from llmchoose.loading.knowledge import load_catalog
from llmchoose.loading.layers import KnowledgeErrors

__all__ = ["validate_knowledge"]


def _problem(error: InputError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message, "hint": error.hint}


def validate_knowledge(extra: list[Path]) -> dict[str, Any]:
    """A JSON-ready report: ``ok``, record counts, number of facts, problems."""
    try:
        catalog = load_catalog(extra)
    except KnowledgeErrors as exc:
        return {"ok": False, "counts": {}, "facts": 0, "errors": [_problem(e) for e in exc.errors]}
    except InputError as exc:
        return {"ok": False, "counts": {}, "facts": 0, "errors": [_problem(exc)]}
    counts = {kind: len(getattr(catalog, kind)) for kind in catalog.KINDS}
    facts = sum(
        len(record_facts(r))
        for kind in catalog.KINDS
        if kind != "sources"
        for r in catalog.records(kind)
    )
    return {
        "ok": True,
        "counts": counts,
        "facts": facts,
        "errors": [],
        "layers": [str(p) for p in catalog.layers],
    }
