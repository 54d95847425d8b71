"""The check report as JSON, for scripts."""

from __future__ import annotations

import json
from typing import Any

from llmchoose import __version__
from llmchoose.decision.check.findings import CheckReport, verdict_of

__all__ = ["JSON_VERSION", "render_json", "report_to_dict"]

JSON_VERSION = 1


def report_to_dict(report: CheckReport) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "tool": {"name": "llmchoose", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "fail_on": report.fail_on,
        "result": report.verdict,
        "exit_code": report.exit_code,
        "counts": report.counts(),
        "files": [
            {
                "file": r.file,
                "project": r.project,
                "result": verdict_of(r.findings),
                "currency": r.currency,
                "workloads": [
                    {
                        "id": w.id,
                        "name": w.name,
                        "line": w.line,
                        "option": w.option,
                        "state": w.state,
                        "rank": w.rank,
                        "of": w.of,
                        "score": w.score,
                        "best": w.best,
                        "best_score": w.best_score,
                        "next_step": None if w.next_step is None else w.next_step.to_dict(),
                    }
                    for w in r.workloads
                ],
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in report.files
        ],
    }


def render_json(report: CheckReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
