"""Findings and the report of a ``check`` run: plain data every output format reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llmchoose.check.codes import CODES, SEVERITIES, severity_rank

__all__ = ["FAIL_ON", "CheckReport", "FileResult", "Finding", "WorkloadStatus"]

# --fail-on choices: a severity, or "never" to always exit 0 when the check ran.
FAIL_ON = (*SEVERITIES, "never")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    file: str
    line: int | None = None
    workload: str | None = None
    option: str | None = None
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return CODES[self.code].name

    @property
    def area(self) -> str:
        return CODES[self.code].area

    def at_or_above(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        return severity_rank(self.severity) <= severity_rank(fail_on)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "area": self.area,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "workload": self.workload,
            "option": self.option,
            "details": self.details,
        }


@dataclass
class WorkloadStatus:
    """A workload's chosen option as today's knowledge base sees it."""

    id: str
    name: str
    line: int | None
    option: str | None
    state: str = "no-choice"  # ranked, ruled-out, unavailable, unknown-option, no-choice
    rank: int | None = None
    of: int | None = None
    score: float | None = None
    best: str | None = None
    best_score: float | None = None


@dataclass
class FileResult:
    file: str
    project: str | None
    workloads: list[WorkloadStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class CheckReport:
    as_of: dt.date
    fail_on: str
    files: list[FileResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def counts(self) -> dict[str, int]:
        found = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            found[finding.severity] += 1
        return found

    @property
    def failed(self) -> bool:
        return any(f.at_or_above(self.fail_on) for f in self.findings)

    @property
    def exit_code(self) -> int:
        from llmchoose.errors import EXIT_FINDINGS, EXIT_OK

        return EXIT_FINDINGS if self.failed else EXIT_OK

    def summary(self) -> str:
        """One line: what was found and whether the decisions hold."""
        counts = self.counts()
        parts = [
            f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
            f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
            f"{counts['info']} info",
        ]
        files = len(self.files)
        threshold = "" if self.fail_on == "never" else f" (--fail-on {self.fail_on})"
        if files == 1:
            verdict = "the decision " + ("fails" if self.failed else "holds")
        else:
            verdict = "the decisions " + ("fail" if self.failed else "hold")
        return (
            f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''}: {verdict}{threshold}."
        )
