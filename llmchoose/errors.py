"""The errors llmchoose raises, and the exit codes the CLI maps them to.

Every problem a user can cause (bad YAML, a wrong type, a missing file, an unknown id)
is raised as an :class:`LlmchooseError` carrying where it happened and what was
expected. One handler in the CLI prints it as a single message and exits with 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "InputError",
    "LlmchooseError",
    "did_you_mean",
]

EXIT_OK = 0
EXIT_FINDINGS = 1  # `check` found problems at or above --fail-on
EXIT_INPUT = 2  # usage or input error
EXIT_INTERRUPTED = 130


class LlmchooseError(Exception):
    """A problem the user can fix; rendered as ``file:line: message (hint)``."""

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(LlmchooseError):
    """Input data (YAML, answers, options) is malformed or inconsistent."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """Return a ``did you mean 'x'?`` hint when a close candidate exists."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None
