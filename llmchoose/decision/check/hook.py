"""Which decision files a commit's changes call for checking (the pre-commit hook).

A commit can break a recorded decision without touching the decision file: a price,
retirement or terms overlay under ``.llmchoose/`` changes the facts every decision at
the top of the project is checked against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from llmchoose.loading.paths import PROJECT_DIR

__all__ = ["DECISION_FILE", "decision_files_for_changes"]

# The names the hook treats as decision files; .pre-commit-hooks.yaml uses the same.
DECISION_FILE = re.compile(r"(^|/)llm-decision[^/]*\.ya?ml$")


def _is_overlay(path: Path) -> bool:
    parts = PurePosixPath(path.as_posix()).parts
    return bool(parts) and parts[0] == PROJECT_DIR


def decision_files_for_changes(changed: Sequence[Path], root: Path) -> list[Path]:
    """The changed decision files, plus every ``llm-decision*.yaml`` at ``root`` when an
    overlay under ``.llmchoose/`` changed. Paths are relative to ``root``, each once."""
    found: list[Path] = []
    for path in changed:
        if DECISION_FILE.search(path.as_posix()) and (root / path).is_file():
            found.append(path)
    if any(_is_overlay(path) for path in changed):
        found += sorted(
            p.relative_to(root)
            for p in root.iterdir()
            if p.is_file() and DECISION_FILE.search(p.name)
        )
    return list(dict.fromkeys(found))
