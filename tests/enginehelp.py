"""Helpers for engine tests: a decision from a dict of answers, ranked on the fixture KB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llmchoose.engine.recommend import recommend
from llmchoose.loading.criteria import load_criteria
from llmchoose.loading.knowledge import load_catalog
from llmchoose.schemas.decision import Decision

FIXTURE_KB = Path(__file__).parent / "data" / "kb"
AS_OF = dt.date(2026, 11, 28)


def decision(answers: dict | None = None, workloads: list[dict] | None = None, **extra) -> Decision:
    return Decision.model_validate(
        {
            "project": {"name": "Test"},
            "answers": answers or {},
            "workloads": workloads or [{"id": "main", "name": "Main", "answers": {}}],
            **extra,
        }
    )


def rank(answers: dict | None = None, *, catalog=None, criteria=None, samples: int = 200, **extra):
    catalog = catalog or load_catalog(layers=[FIXTURE_KB])
    criteria = criteria or load_criteria()
    return recommend(decision(answers, **extra), catalog, criteria, as_of=AS_OF, samples=samples)
