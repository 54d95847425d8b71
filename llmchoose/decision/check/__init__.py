"""`llmchoose check`: keep a recorded decision honest as prices, models and terms change.

- :mod:`~llmchoose.schemas.vocabulary` — the stable finding codes and their default severities;
- :mod:`~llmchoose.decision.check.facts` — the facts a choice relies on, with provenance;
- :mod:`~llmchoose.decision.check.run` — re-evaluates decision files and collects findings;
- :mod:`~llmchoose.decision.check.findings` — the findings and the report, as plain data;
- :mod:`~llmchoose.decision.check.formats` — the report as text, JSON, JUnit XML, GitHub
  annotations or SARIF.

Nothing here prints or imports the CLI; :func:`check_files` is the entry point.
"""

from __future__ import annotations

__all__ = ["check_files"]


def check_files(*args, **kwargs):
    """See :func:`llmchoose.decision.check.run.check_files` (imported on first use)."""
    from llmchoose.decision.check.run import check_files as run

    return run(*args, **kwargs)
