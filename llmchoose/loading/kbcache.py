"""Layer files read once, keyed by their contents, and the cached results of loading them.

A layered kind (knowledge, criteria) is read as a :class:`LayerSnapshot`: every folder's
YAML files, each read once, whose bytes give both the content key (a SHA-256 over the
code, every folder as given and resolved, and each file's name and bytes) and, on a miss,
the text the YAML reader parses. A file therefore cannot change between hashing and
parsing.

What a cache entry holds is the raw data the loader validated (the merged mappings a
later layer made of earlier ones), not validated records: a hit validates the same input
with the same code, so it gives the same records (values, types and which fields were
set) without YAML parsing. Raw data goes to JSON losslessly or not at all: text keys,
lists, text, numbers, booleans, null, and dates tagged as ``{"$date": …}``; anything else
(a number as a key, a timestamp with a time) makes the load uncacheable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose import cachefiles
from llmchoose.errors import InputError
from llmchoose.loading.catalog import Catalog, Origin
from llmchoose.loading.fileio import read_bytes
from llmchoose.loading.layers import yaml_files
from llmchoose.schemas.knowledge import KIND_MODELS

__all__ = [
    "ENTRY_FORMAT",
    "LayerFile",
    "LayerSnapshot",
    "NotCacheable",
    "cached_catalog",
    "decode_raw",
    "encode_raw",
    "parse_file",
    "snapshot_layers",
    "store_catalog",
]

# Raised to the entry's own version when what an entry holds changes shape (the code
# stamp changes too, but an entry says what it is in case a stamp is ever reused).
ENTRY_FORMAT = 1
_DATE_TAG = "$date"


@dataclass
class LayerFile:
    """One YAML file of a layer: its bytes, or why they could not be read."""

    path: Path
    data: bytes | None = None
    error: InputError | None = None


@dataclass
class LayerSnapshot:
    """Every layer folder's files, read once; ``key`` is None when something could not be
    read (the loader then reports it, and nothing is cached)."""

    folders: list[Path]
    files: list[list[LayerFile]] = field(default_factory=list)
    folder_errors: list[InputError | None] = field(default_factory=list)
    key: str | None = None


def list_layers(folders: list[Path] | tuple[Path, ...]) -> LayerSnapshot:
    """The files of each folder (not yet read); a folder that cannot be listed keeps its
    error in its place, so errors are reported in layer order."""
    snapshot = LayerSnapshot(folders=[Path(f) for f in folders])
    for folder in snapshot.folders:
        try:
            paths = yaml_files(folder)
        except InputError as exc:
            snapshot.files.append([])
            snapshot.folder_errors.append(exc)
            continue
        snapshot.files.append([LayerFile(path) for path in paths])
        snapshot.folder_errors.append(None)
    return snapshot


def read_snapshot(snapshot: LayerSnapshot, kind: str, *, max_bytes: int) -> LayerSnapshot:
    """Read every listed file once and set the snapshot's content key."""
    digest = cachefiles.new_digest()
    digest.update(f"\0kind {kind} format {ENTRY_FORMAT}\0".encode())
    readable = True
    for folder, files, error in zip(
        snapshot.folders, snapshot.files, snapshot.folder_errors, strict=True
    ):
        readable = readable and error is None
        # The folder as given and resolved: origins name files as the folder was given.
        digest.update(f"\0layer {folder}\0{folder.resolve()}\0{len(files)}\0".encode())
        for item in files:
            try:
                item.data = read_bytes(item.path, max_bytes=max_bytes, what="YAML file")
            except InputError as exc:
                item.error = exc
                readable = False
                continue
            name = item.path.relative_to(folder).as_posix()
            digest.update(f"\0{name}\0{len(item.data)}\0".encode())
            digest.update(item.data)
    snapshot.key = digest.hexdigest() if readable else None
    return snapshot


def snapshot_layers(
    folders: list[Path] | tuple[Path, ...], kind: str, *, max_bytes: int
) -> LayerSnapshot:
    return read_snapshot(list_layers(folders), kind, max_bytes=max_bytes)


def parse_file(item: LayerFile) -> Any:
    """The YAML data of a file already read, with the rules and messages of ``load_yaml``."""
    from llmchoose.loading.yamlio import parse_yaml

    if item.error is not None:
        raise item.error
    assert item.data is not None
    try:
        text = item.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = item.data[: exc.start].count(b"\n") + 1
        raise InputError("file is not valid UTF-8 text", file=item.path, line=line) from None
    return parse_yaml(text, item.path)


class NotCacheable(Exception):
    """Raw data holds a value JSON cannot give back exactly."""


def encode_raw(value: Any) -> Any:
    """Raw YAML data as JSON values that :func:`decode_raw` turns back into equal data."""
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is dt.date:
        return {_DATE_TAG: value.isoformat()}
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            if type(key) is not str or key == _DATE_TAG:
                raise NotCacheable(key)
            out[key] = encode_raw(inner)
        return out
    if isinstance(value, list):
        return [encode_raw(inner) for inner in value]
    raise NotCacheable(kind.__name__)


def _date_hook(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE_TAG in mapping:
        return dt.date.fromisoformat(mapping[_DATE_TAG])
    return mapping


def decode_raw(value: Any) -> Any:
    """Undo :func:`encode_raw` on values already read from JSON."""
    if isinstance(value, dict):
        decoded = {key: decode_raw(inner) for key, inner in value.items()}
        return _date_hook(decoded)
    if isinstance(value, list):
        return [decode_raw(inner) for inner in value]
    return value


def load(kind: str, key: str | None) -> dict[str, Any] | None:
    """The entry stored under ``key`` when caching is on and it is of this format."""
    if key is None or not cachefiles.caching_on():
        return None
    entry = cachefiles.load_entry(kind, key)
    if entry is None or entry.get("format") != ENTRY_FORMAT or entry.get("kind") != kind:
        return None
    return entry


def store(kind: str, key: str | None, entry: dict[str, Any]) -> None:
    if key is None or not cachefiles.caching_on():
        return
    cachefiles.store_entry(kind, key, {**entry, "format": ENTRY_FORMAT, "kind": kind})


# The knowledge base: each record's kind, raw data and origins, in the order they were
# added (the order every table of the catalogue iterates in).


def store_catalog(
    snapshot: LayerSnapshot, catalog: Catalog, validated: list[tuple[str, dict]]
) -> None:
    """Remember a catalogue loaded without errors, with the raw data of each record."""
    if snapshot.key is None or not cachefiles.caching_on():
        return
    files: dict[Path, int] = {}

    def origin(where: Origin) -> list[Any]:
        return [files.setdefault(where.file, len(files)), where.line, where.layer]

    records = []
    try:
        for kind, raw in validated:
            key = (kind, raw["id"])
            earlier = [origin(o) for o in catalog.overridden.get(key, [])]
            records.append([kind, encode_raw(raw), origin(catalog.origins[key]), earlier])
    except NotCacheable:
        return
    store("knowledge", snapshot.key, {"files": [str(f) for f in files], "records": records})


def cached_catalog(snapshot: LayerSnapshot) -> Catalog | None:
    """The catalogue for these files from the cache, or None (no entry, caching off, or an
    entry that is damaged or not one of ours, which is then ignored)."""
    entry = load("knowledge", snapshot.key)
    if entry is None:
        return None
    try:
        return _rebuild_catalog(entry, snapshot.folders)
    except (LookupError, TypeError, ValueError, AttributeError):
        return None  # a pydantic ValidationError is a ValueError too


def _rebuild_catalog(entry: dict[str, Any], folders: list[Path]) -> Catalog:
    files = [Path(_typed(name, str)) for name in entry["files"]]

    def origin(item: list[Any]) -> Origin:
        file, line, layer = item
        if line is not None:
            _typed(line, int)
        return Origin(file=files[_typed(file, int)], line=line, layer=_typed(layer, int))

    catalog = Catalog(layers=list(folders))
    for kind, raw, where, earlier in entry["records"]:
        # The same data the loader validated, validated by the same code: the same record.
        record = KIND_MODELS[kind].model_validate(decode_raw(raw))
        catalog.add(kind, record, origin(where), overrides=[origin(o) for o in earlier])
    return catalog


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value
