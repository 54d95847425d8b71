"""Writing knowledge overlays that llmchoose owns: deterministic YAML with a header
that marks the file as generated, so a later run may replace it and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmchoose.errors import InputError
from llmchoose.loading.yamlout import dump_records

__all__ = ["MARKER", "dump_knowledge", "is_owned", "require_owned"]

MARKER = "# Written by llmchoose"


def dump_knowledge(header: str, data: dict[str, Any]) -> str:
    """A knowledge file: the header as comments, then the data in stable order."""
    lines = [f"{MARKER} {header.splitlines()[0]}"]
    lines += [f"# {line}" if line else "#" for line in header.splitlines()[1:]]
    return "\n".join(lines) + "\n" + dump_records(data)


def is_owned(path: Path) -> bool:
    """Whether ``path`` is a file llmchoose generated (its first line is the marker)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        return False


def require_owned(path: Path) -> None:
    """Refuse to replace a file a person wrote."""
    if path.exists() and (path.is_dir() or not is_owned(path)):
        raise InputError(
            "exists and was not written by llmchoose; it is left alone",
            file=path,
            hint="choose another --output, or move the file away",
        )
