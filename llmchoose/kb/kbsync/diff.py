"""`kb diff A B`: the facts added, removed and changed between two knowledge folders.

Each side is read as written (a full knowledge base or an overlay of a few records), not
layered or validated, so two overlays can be compared as well as two releases. A fact
is one leaf of a record (``price.input``, ``compliance.hipaa_baa``); lists are compared
whole. Numbers compare by value (``1`` equals ``1.0``); ``true`` never equals ``1``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.layers import yaml_files
from llmchoose.loading.yamlio import LineDict, line_of, load_yaml
from llmchoose.schemas.knowledge import KIND_MODELS

__all__ = ["Fact", "diff_facts", "diff_knowledge", "read_facts"]

_META = {"id", "source", "as_of", "provenance"}
_KIND_ORDER = {kind: n for n, kind in enumerate(Catalog.KINDS)}


@dataclass(frozen=True)
class Fact:
    kind: str
    id: str
    field: str
    value: Any
    source: str | None
    as_of: Any


def _leaves(value: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        found = []
        for key, inner in value.items():
            found += _leaves(inner, f"{path}.{key}" if path else str(key))
        return found
    return [(path, value)]


def _provenance(record: dict, path: str) -> tuple[Any, Any]:
    found = record.get("provenance")
    table = found if isinstance(found, dict) else {}
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        entry = table.get(".".join(parts[:end]))
        if isinstance(entry, dict):
            return entry.get("source"), entry.get("as_of")
    return record.get("source"), record.get("as_of")


def read_facts(path: Path) -> dict[tuple[str, str, str], Fact]:
    """Every fact of a knowledge folder (or one file), keyed by (kind, id, field)."""
    path = Path(path)
    files = [path] if path.is_file() else yaml_files(path)
    facts: dict[tuple[str, str, str], Fact] = {}
    seen: dict[tuple[str, str], str] = {}
    for file in files:
        data = load_yaml(file)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise InputError("expected a mapping of record lists at the top", file=file, line=1)
        for kind, records in data.items():
            if kind not in KIND_MODELS:
                raise InputError(
                    f"unknown section '{kind}'",
                    file=file,
                    line=data.lines.get(kind) if isinstance(data, LineDict) else None,
                    hint=did_you_mean(str(kind), KIND_MODELS),
                )
            if records is None:
                continue
            if not isinstance(records, list):
                raise InputError(
                    f"{kind}: expected a list of records", file=file, line=line_of(data, (kind,))
                )
            for index, record in enumerate(records):
                line = line_of(data, (kind, index))
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    raise InputError(
                        f"{kind}[{index}]: every record needs an 'id'", file=file, line=line
                    )
                key = (kind, record["id"])
                if key in seen:
                    raise InputError(
                        f"duplicate {kind} id '{record['id']}'",
                        file=file,
                        line=line,
                        hint=f"first defined at {seen[key]}",
                    )
                seen[key] = f"{file}:{line}"
                for field, value in _leaves(
                    {k: v for k, v in record.items() if k not in _META}, ""
                ):
                    if kind == "sources":
                        source, as_of = None, None
                    else:
                        source, as_of = _provenance(record, field)
                    facts[(kind, record["id"], field)] = Fact(
                        kind, record["id"], field, value, source, as_of
                    )
    return facts


def _norm(value: Any) -> Any:
    """A comparable form: 1 == 1.0, but True != 1 and a date != its text."""
    if value is None:
        return ("none",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, list):
        return ("list", tuple(_norm(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), _norm(v)) for k, v in value.items())))
    return (type(value).__name__, value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row(change: str, old: Fact | None, new: Fact | None) -> dict[str, Any]:
    fact = new or old
    assert fact is not None
    return {
        "change": change,
        "kind": fact.kind,
        "id": fact.id,
        "field": fact.field,
        "old": _plain(old.value) if old else None,
        "new": _plain(new.value) if new else None,
        "old_source": old.source if old else None,
        "old_as_of": _plain(old.as_of) if old else None,
        "new_source": new.source if new else None,
        "new_as_of": _plain(new.as_of) if new else None,
    }


def diff_facts(
    a: dict[tuple[str, str, str], Fact],
    b: dict[tuple[str, str, str], Fact],
    *,
    provenance: bool = False,
) -> list[dict[str, Any]]:
    """Rows for each fact added, removed or changed from ``a`` to ``b``.

    With ``provenance``, a fact whose value is the same but whose source or date moved
    is listed too, as ``resourced``.
    """
    rows = []
    for key in sorted(set(a) | set(b), key=lambda k: (_KIND_ORDER.get(k[0], 99), k[1], k[2])):
        old, new = a.get(key), b.get(key)
        if old is None:
            rows.append(_row("added", None, new))
        elif new is None:
            rows.append(_row("removed", old, None))
        elif _norm(old.value) != _norm(new.value):
            rows.append(_row("changed", old, new))
        elif provenance and (old.source != new.source or _norm(old.as_of) != _norm(new.as_of)):
            rows.append(_row("resourced", old, new))
    return rows


def diff_knowledge(a: Path, b: Path, *, provenance: bool = False) -> dict[str, Any]:
    """The differences between two knowledge folders (or files), as plain data."""
    rows = diff_facts(read_facts(a), read_facts(b), provenance=provenance)
    counts = {change: 0 for change in ("added", "removed", "changed", "resourced")}
    for row in rows:
        counts[row["change"]] += 1
    if not provenance:
        del counts["resourced"]
    return {"a": str(a), "b": str(b), "counts": counts, "changes": rows}
