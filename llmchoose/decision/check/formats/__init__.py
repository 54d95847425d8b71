"""The outputs of ``llmchoose check``: one function per format, each taking the
:class:`~llmchoose.decision.check.findings.CheckReport` and returning text. Deterministic: the
same report gives the same bytes (no clock, no absolute paths unless given)."""

from __future__ import annotations

from llmchoose.decision.check.findings import CheckReport

__all__ = ["FORMATS", "render_report"]

FORMATS = ("human", "json", "junit", "github", "sarif")


def render_report(report: CheckReport, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    if fmt == "human":
        from llmchoose.decision.check.formats.human import render_text as render
    elif fmt == "json":
        from llmchoose.decision.check.formats.jsonout import render_json as render
    elif fmt == "junit":
        from llmchoose.decision.check.formats.junit import render_junit as render
    elif fmt == "github":
        from llmchoose.decision.check.formats.github import render_github as render
    elif fmt == "sarif":
        from llmchoose.decision.check.formats.sarif import render_sarif as render
    else:
        from llmchoose.errors import InputError, did_you_mean

        raise InputError(f"unknown format '{fmt}'", hint=did_you_mean(fmt, FORMATS))
    return render(report)
