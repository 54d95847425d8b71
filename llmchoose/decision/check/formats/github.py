"""The check report as GitHub Actions workflow commands: each finding becomes an
annotation on its file and line in the pull request.

Format: ``::error file=F,line=L,title=T::MESSAGE``, with ``%``, CR and LF escaped in the
message and additionally ``:`` and ``,`` in the properties, as the workflow command
syntax requires.
"""

from __future__ import annotations

from llmchoose.decision.check.findings import CheckReport, Finding

__all__ = ["render_github"]

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    props = [f"file={_property(finding.file)}"]
    if finding.line:
        props.append(f"line={finding.line}")
    props.append(f"title={_property(f'{finding.code} {finding.name}')}")
    message = finding.message
    if finding.workload:
        message = f"[{finding.workload}] {message}"
    return f"::{_LEVELS[finding.severity]} {','.join(props)}::{_data(message)}"


def _next_steps(report: CheckReport) -> list[str]:
    """A notice per workload whose choice no longer stands, at its workload line."""
    lines = []
    for result in report.files:
        for w in result.workloads:
            if w.next_step is None:
                continue
            props = [f"file={_property(result.file)}"]
            if w.line:
                props.append(f"line={w.line}")
            props.append("title=next step")
            lines.append(f"::notice {','.join(props)}::{_data(f'[{w.id}] ' + w.next_step.text())}")
    return lines


def render_github(report: CheckReport) -> str:
    lines = [annotation(f) for f in report.findings] + _next_steps(report)
    lines.append(f"llmchoose check (as of {report.as_of.isoformat()}): {report.summary()}")
    return "\n".join(lines) + "\n"
