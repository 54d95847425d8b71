"""Writing knowledge overlays that llmchoose owns: deterministic YAML with a header
that marks the file as generated, so a later run may replace it and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from llmchoose.errors import InputError

__all__ = ["MARKER", "dump_knowledge", "dump_yaml", "is_owned", "require_owned"]

MARKER = "# Written by llmchoose"


# libyaml's emitter when PyYAML has it: an import writes thousands of records.
_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[misc, valid-type]
    """Never emits anchors or aliases: the knowledge loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: Any, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """Block-style YAML in the given key order, readable by the strict loader."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def dump_knowledge(header: str, data: dict[str, Any]) -> str:
    """A knowledge file: the header as comments, then the data in stable order."""
    lines = [f"{MARKER} {header.splitlines()[0]}"]
    lines += [f"# {line}" if line else "#" for line in header.splitlines()[1:]]
    return "\n".join(lines) + "\n" + dump_yaml(data)


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
