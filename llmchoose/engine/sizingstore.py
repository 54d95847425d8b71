"""Sizings remembered between runs, keyed by the catalogue's contents and the workload.

Sizing a self-hosted, on-device or managed option is a pure function of the catalogue
(models, runtimes, hardware, quantizations, assumptions), the workload's usage and the
option's model, runtime and instance types. Its result (a :class:`Deployment`, an hourly
cost, the replica plans behind break-even, or the reason nothing fits) is plain data, so
it is kept as a JSON entry (:mod:`llmchoose.cachefiles`, kind ``sizing``). One entry holds
every sizing of one workload shape (its usage at any volume: 10x and 100x costs and
break-even re-size the same workload) for one catalogue; a run that reuses both — any
edit to a decision that leaves the workload's numbers and the knowledge alone — sizes
nothing. A catalogue built or edited in memory has no ``content_key`` and is never stored.
"""

from __future__ import annotations

import atexit
import hashlib
from dataclasses import asdict
from typing import Any

from llmchoose import cachefiles

__all__ = [
    "MISSING",
    "SizingStore",
    "decode_deployment",
    "decode_hourly",
    "encode_deployment",
    "remembered",
    "store_for",
]

_KIND = "sizing"
MISSING = object()


class SizingStore:
    """The sizing entries of one catalogue, loaded per workload shape when first asked."""

    def __init__(self, catalog_key: str) -> None:
        self.catalog_key = catalog_key
        self._groups: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._keys: dict[Any, str] = {}
        atexit.register(self.flush)

    def _group(self, usage: Any) -> tuple[str, dict[str, Any]]:
        key = self._keys.get(usage)
        if key is None:
            # The shape of the workload without its volume (None: facts of the catalogue
            # alone); `repr` of the frozen dataclass names every field, so a new field of
            # Usage is part of the key.
            shape = "catalogue" if usage is None else repr(usage.at_volume(0.0))
            key = hashlib.sha256(f"{self.catalog_key}\0{shape}".encode()).hexdigest()
            self._keys[usage] = key
        if key not in self._groups:
            entry = cachefiles.load_entry(_KIND, key)
            found = entry.get("sizings") if entry else None
            self._groups[key] = found if isinstance(found, dict) else {}
        return key, self._groups[key]

    def get(self, usage: Any, item: str) -> Any:
        """The remembered value of ``item`` for this usage, or :data:`MISSING`."""
        _, group = self._group(usage)
        return group.get(_item_key(item, usage), MISSING)

    def put(self, usage: Any, item: str, value: Any) -> None:
        key, group = self._group(usage)
        group[_item_key(item, usage)] = value
        self._dirty.add(key)

    def flush(self) -> None:
        for key in sorted(self._dirty):
            cachefiles.store_entry(_KIND, key, {"sizings": self._groups[key]}, keep=256)
        self._dirty.clear()


def _item_key(item: str, usage: Any) -> str:
    return item if usage is None else f"{item}|{usage.requests_per_day!r}"


def store_for(catalog: Any) -> SizingStore | None:
    """The catalogue's store, or None when its contents are unknown or caching is off."""
    key = getattr(catalog, "content_key", None)
    if not key or not cachefiles.caching_on():
        return None
    store = getattr(catalog, "_sizing_store", None)
    if store is None or store.catalog_key != key:
        store = catalog._sizing_store = SizingStore(key)
    return store


def encode_deployment(found: Any) -> dict[str, Any]:
    """A deployment, or the reason nothing fits, as JSON-ready data."""
    if isinstance(found, Exception):
        return {"error": str(found)}
    return {"deployment": asdict(found)}


def remembered(catalog: Any, usage: Any, item: str, compute, encode, decode) -> Any:
    """``compute()``'s value, taken from the store when it holds one for this item and
    usage (None: an item of the catalogue alone); a damaged value is worked out again,
    a new one kept."""
    store = store_for(catalog)
    if store is None:
        return compute()
    found = store.get(usage, item)
    if found is not MISSING:
        try:
            return decode(found)
        except (TypeError, KeyError, ValueError):
            pass
    value = compute()
    store.put(usage, item, encode(value))
    return value


def decode_deployment(data: dict[str, Any]) -> Any:
    from llmchoose.engine.sizing import Deployment, SizingError

    return SizingError(data["error"]) if "error" in data else Deployment(**data["deployment"])


def decode_hourly(value: Any) -> float | None:
    if value is not None and not isinstance(value, float | int):
        raise TypeError("not an hourly cost")
    return value
