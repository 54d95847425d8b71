"""The check report for people: findings grouped by file and workload.

:func:`human_view` gives the grouping as data (the CLI colours it with rich);
:func:`render_text` gives the same as plain text.
"""

from __future__ import annotations

from typing import Any

from llmchoose.decision.check.findings import CheckReport, FileResult, Finding

__all__ = ["human_view", "render_text"]


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "code": f.code,
        "where": f"line {f.line}" if f.line else "",
        "message": f.message,
    }


def _status(w) -> str:
    if w.option is None:
        return "no choice recorded"
    if w.rank is None:
        state = {
            "ruled-out": "ruled out",
            "unavailable": "unavailable",
            "unknown-option": "unknown",
        }
        return f"{w.option} ({state.get(w.state, 'not checked')})"
    text = f"{w.option} (rank {w.rank} of {w.of}, score {w.score:.3f}"
    if w.best and w.best != w.option:
        text += f"; first: {w.best}, {w.best_score:.3f}"
    return text + ")"


def _file(result: FileResult) -> dict[str, Any]:
    by_workload: dict[str | None, list[Finding]] = {}
    for f in result.findings:
        by_workload.setdefault(f.workload, []).append(f)
    return {
        "file": result.file,
        "project": result.project,
        "findings": [_finding(f) for f in by_workload.get(None, [])],
        "workloads": [
            {
                "id": w.id,
                "name": w.name,
                "status": _status(w),
                "findings": [_finding(f) for f in by_workload.get(w.id, [])],
                "next": None if w.next_step is None else w.next_step.text(),
            }
            for w in result.workloads
        ],
    }


def human_view(report: CheckReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "files": [_file(r) for r in report.files],
        "failed": report.verdict == "fails",
        "summary": report.summary(),
    }


def _line(f: dict[str, Any], indent: str) -> str:
    where = f" {f['where']}:" if f["where"] else ":"
    return f"{indent}{f['severity']:<7} {f['code']}{where} {f['message']}"


def render_text(report: CheckReport) -> str:
    view = human_view(report)
    out: list[str] = []
    for file in view["files"]:
        title = file["file"] + (f" — {file['project']}" if file["project"] else "")
        out.append(title)
        for f in file["findings"]:
            out.append(_line(f, "  "))
        for w in file["workloads"]:
            out.append(f"  {w['id']}: {w['status']}")
            for f in w["findings"]:
                out.append(_line(f, "    "))
            if not w["findings"]:
                out.append("    holds")
            if w["next"]:
                out.append(f"    next: {w['next']}")
        out.append("")
    out.append(f"Checked as of {view['as_of']}. {view['summary']}")
    return "\n".join(out) + "\n"
