"""Finding YAML files in layered folders and merging a later layer's record onto an
earlier one, keeping track of where every overridden fact now comes from."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError

__all__ = ["MAX_FILES", "KnowledgeErrors", "merge_record", "yaml_files"]

MAX_FILES = 2000
_META_KEYS = {"id", "source", "as_of", "provenance"}


class KnowledgeErrors(InputError):
    """Several problems found in one pass; ``errors`` holds each of them."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        more = len(errors) - 1
        hint = first.hint
        if more:
            extra = f"and {more} more: see `llmchoose kb validate`"
            hint = f"{hint}; {extra}" if hint else extra
        super().__init__(first.message, file=first.file, line=first.line, hint=hint)
        self.errors = errors


def yaml_files(folder: Path) -> list[Path]:
    """Every ``*.yaml`` / ``*.yml`` file under ``folder``, in a stable order."""
    if not folder.exists():
        raise InputError("folder not found", file=folder)
    if not folder.is_dir():
        raise InputError("expected a folder of YAML files, found a file", file=folder)
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith(".")
    )
    if len(files) > MAX_FILES:
        raise InputError(f"more than {MAX_FILES} YAML files", file=folder)
    return files


def _leaf_paths(value: Any, prefix: str) -> list[str]:
    if isinstance(value, dict) and value:
        paths = []
        for key, inner in value.items():
            paths += _leaf_paths(inner, f"{prefix}.{key}")
        return paths
    return [prefix]


def merge_record(base: dict, overlay: dict, *, file: Path, line: int | None) -> dict:
    """Apply an overriding record to a base record.

    Nested mappings merge key by key; anything else is replaced. Each fact the overlay
    sets gets the overlay's ``source`` and ``as_of`` as its provenance, so a negotiated
    price is never credited to the vendor's public price page.
    """
    source, as_of = overlay.get("source"), overlay.get("as_of")
    if source is None or as_of is None:
        raise InputError(
            f"this record overrides '{overlay.get('id')}' from an earlier layer, "
            "so it must say where its facts come from",
            file=file,
            line=line,
            hint="add 'source' and 'as_of'",
        )
    merged = copy.deepcopy(dict(base))
    provenance = dict(merged.get("provenance") or {})
    explicit = dict(overlay.get("provenance") or {})

    def apply(target: dict, changes: dict, prefix: str) -> None:
        for key, value in changes.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = dict(target[key])
                apply(target[key], value, f"{path}.")
                continue
            target[key] = copy.deepcopy(value)
            for stale in [p for p in provenance if p.startswith(f"{path}.")]:
                del provenance[stale]
            for leaf in _leaf_paths(value, path):
                provenance[leaf] = {"source": source, "as_of": as_of}

    apply(merged, {k: v for k, v in overlay.items() if k not in _META_KEYS}, "")
    provenance.update(explicit)
    merged["provenance"] = provenance
    return merged
