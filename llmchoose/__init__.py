"""llmchoose: choose how to put an LLM into production, and keep the decision honest.

The public Python API (docs/python-api.md)::

    from llmchoose import load_catalog, load_criteria, load_decision, recommend

Each name is imported on first use, so ``import llmchoose`` and ``llmchoose --version``
stay fast: nothing heavy loads until a function is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it (and its name there).
_PUBLIC: dict[str, tuple[str, str]] = {
    "recommend": ("llmchoose.engine.recommend", "recommend"),
    "load_catalog": ("llmchoose.loading.knowledge", "load_catalog"),
    "load_criteria": ("llmchoose.loading.criteria", "load_criteria"),
    "load_decision": ("llmchoose.loading.decision", "load_decision"),
    "check": ("llmchoose.decision.check.run", "check_files"),
    "decide": ("llmchoose.decision.decide", "decide"),
    "make_report": ("llmchoose.report", "make_report"),
    "ReportRequest": ("llmchoose.report", "ReportRequest"),
    "LlmchooseError": ("llmchoose.errors", "LlmchooseError"),
}

__all__ = [
    "LlmchooseError",
    "ReportRequest",
    "__version__",
    "check",
    "decide",
    "load_catalog",
    "load_criteria",
    "load_decision",
    "make_report",
    "recommend",
]

if TYPE_CHECKING:
    from llmchoose.decision.check.run import check_files as check
    from llmchoose.decision.decide import decide
    from llmchoose.engine.recommend import recommend
    from llmchoose.errors import LlmchooseError
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.report import ReportRequest, make_report


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'llmchoose' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
