"""Layer files read once, keyed by their contents, and the cached results of loading them.

A layered kind (knowledge, criteria) is read as a :class:`LayerSnapshot`: every folder's
YAML files, each read once, whose bytes give both the content key (a SHA-256 over the
code, every folder as given and resolved, and each file's name and bytes) and, on a miss,
the text the YAML reader parses. A file therefore cannot change between hashing and
parsing.

A cache entry holds the validated records themselves (see
:mod:`llmchoose.loading.jsonrecords`), with each record's origin and the origins it
overrode, in the order the loader added them. A knowledge base with errors is never
stored, so its errors are reported, with file and line, on every run; an entry that is
damaged, of another format or kind, or not for this key is ignored.
"""

from __future__ import annotations

import functools
import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import yaml

from llmchoose import cachefiles
from llmchoose.errors import InputError
from llmchoose.loading.catalog import Catalog, Origin
from llmchoose.loading.fileio import read_bytes
from llmchoose.loading.jsonrecords import NotCacheable, RecordCodec
from llmchoose.loading.layers import yaml_files
from llmchoose.loading.yamlio import parse_yaml
from llmchoose.schemas.knowledge import KIND_MODELS

__all__ = [
    "ENTRY_FORMAT",
    "LayerFile",
    "LayerSnapshot",
    "cached_catalog",
    "list_layers",
    "load_entry",
    "parse_file",
    "read_snapshot",
    "record_codec",
    "snapshot_layers",
    "store_catalog",
    "store_entry",
]

# Raised to the entry's own version when what an entry holds changes shape (the code
# stamp changes too, but an entry says what it is in case a stamp is ever reused).
ENTRY_FORMAT = 2


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
    # What reads the files besides this package's code: another YAML reader or pydantic
    # could read the same files differently.
    versions = f"yaml {yaml.__version__} {yaml.__with_libyaml__} pydantic {pydantic.VERSION}"
    digest.update(f"\0kind {kind} format {ENTRY_FORMAT} {versions}\0".encode())
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
    if item.error is not None:
        raise item.error
    assert item.data is not None
    try:
        text = item.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = item.data[: exc.start].count(b"\n") + 1
        raise InputError("file is not valid UTF-8 text", file=item.path, line=line) from None
    return parse_yaml(text, item.path)


def load_entry(kind: str, key: str | None) -> dict[str, Any] | None:
    """The entry stored under ``key`` when caching is on and it is of this format."""
    if key is None or not cachefiles.caching_on():
        return None
    entry = cachefiles.load_entry(kind, key)
    if entry is None or entry.get("format") != ENTRY_FORMAT or entry.get("kind") != kind:
        return None
    return entry


def store_entry(kind: str, key: str | None, entry: dict[str, Any]) -> None:
    if key is None or not cachefiles.caching_on():
        return
    # Entries of a large knowledge base are big; a few recent layer sets are enough.
    cachefiles.store_entry(kind, key, {**entry, "format": ENTRY_FORMAT, "kind": kind}, keep=16)


# The knowledge base: each record with its origin and the origins it overrode, in the
# order they were added (the order every table of the catalogue iterates in).


@functools.cache
def record_codec(schema: str) -> RecordCodec:
    """The codec for the records of one schema module (``knowledge``, ``criteria``),
    built once: it reads the module's classes."""
    from llmchoose.schemas import common

    return RecordCodec([common, importlib.import_module(f"llmchoose.schemas.{schema}")])


def _codec() -> RecordCodec:
    return record_codec("knowledge")


def store_catalog(snapshot: LayerSnapshot, catalog: Catalog) -> None:
    """Remember a catalogue just loaded (without errors) from the snapshot's files."""
    if snapshot.key is None or not cachefiles.caching_on():
        return
    files: dict[Path, int] = {}

    def origin(where: Origin) -> list[Any]:
        return [files.setdefault(where.file, len(files)), where.line, where.layer]

    codec = _codec()
    try:
        records = [
            [
                kind,
                codec.encode(getattr(catalog, kind)[record_id]),
                origin(where),
                [origin(o) for o in catalog.overridden.get((kind, record_id), [])],
            ]
            for (kind, record_id), where in catalog.origins.items()
        ]
    except NotCacheable:
        return
    text = json.dumps(records, separators=(",", ":"), ensure_ascii=False)
    store_entry("knowledge", snapshot.key, {"files": [str(f) for f in files], "records": text})


def cached_catalog(snapshot: LayerSnapshot) -> Catalog | None:
    """The catalogue for these files from the cache, or None (no entry, caching off, or an
    entry that is damaged or not one of ours, which is then ignored)."""
    entry = load_entry("knowledge", snapshot.key)
    if entry is None:
        return None
    try:
        return _rebuild_catalog(entry, snapshot.folders)
    except (LookupError, TypeError, ValueError, AttributeError):
        return None  # a JSON or pydantic error is a ValueError too


def _rebuild_catalog(entry: dict[str, Any], folders: list[Path]) -> Catalog:
    files = [Path(_typed(name, str)) for name in entry["files"]]

    def origin(item: list[Any]) -> Origin:
        file, line, layer = item
        if line is not None:
            _typed(line, int)
        return Origin(file=files[_typed(file, int)], line=line, layer=_typed(layer, int))

    catalog = Catalog(layers=list(folders))
    for kind, record, where, earlier in _codec().decode(_typed(entry["records"], str)):
        if not isinstance(record, KIND_MODELS[kind]):
            raise TypeError(f"a {type(record).__name__} among {kind}")
        catalog.add(kind, record, origin(where), overrides=[origin(o) for o in earlier])
    return catalog


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value
