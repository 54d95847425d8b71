"""Findings and the report of a ``check`` run: plain data every output format reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llmchoose.schemas.vocabulary import CODES, SEVERITIES, severity_rank

__all__ = [
    "FAIL_ON",
    "CheckReport",
    "FileResult",
    "Finding",
    "NextStep",
    "WorkloadStatus",
    "verdict_of",
]

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
    # What to do when the choice no longer stands (see llmchoose.decision.check.advice).
    next_step: NextStep | None = None


@dataclass(frozen=True)
class NextStep:
    """The option to move to and the commands that record it."""

    why: str  # ruled-out, unavailable, unknown-option, retired, overtaken
    option: str | None  # the best option today; None when nothing is left to choose
    score: float | None
    commands: tuple[str, ...]

    def text(self) -> str:
        if self.option is None:
            return "no option meets every requirement now; revisit the answers, then run " + (
                " or ".join(f"`{c}`" for c in self.commands)
            )
        score = "" if self.score is None else f" (score {self.score:.3f})"
        runs = " or ".join(f"`{c}`" for c in self.commands)
        return f"the best option now is {self.option}{score}; record it with {runs}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "why": self.why,
            "option": self.option,
            "score": self.score,
            "commands": list(self.commands),
            "text": self.text(),
        }


@dataclass
class FileResult:
    file: str
    project: str | None
    currency: dict[str, Any] | None = None  # how amounts in messages are shown
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
    def verdict(self) -> str:
        """``holds`` or ``fails``: whether an error finding says a decision no longer
        stands. ``--fail-on`` never changes it; it only changes the exit code."""
        return verdict_of(self.findings)

    @property
    def failed(self) -> bool:
        """Whether the run exits 1: a finding at or above ``--fail-on``."""
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
        holds = self.verdict == "holds"
        if files == 1:
            verdict = "the decision " + ("holds" if holds else "fails")
        else:
            verdict = "the decisions " + ("hold" if holds else "fail")
        exit_text = f"exit {self.exit_code} (--fail-on {self.fail_on})"
        return (
            f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''}: {verdict}; "
            f"{exit_text}."
        )


def verdict_of(findings: list[Finding]) -> str:
    """``fails`` when any finding is an error, else ``holds``."""
    return "fails" if any(f.severity == "error" for f in findings) else "holds"
