"""The Catalog: every validated knowledge record, by kind and id, with its origin."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from llmchoose.schemas.knowledge import (
    Assumption,
    Hardware,
    ManagedEndpoint,
    Measurement,
    Model,
    Offering,
    Provider,
    Quantization,
    Runtime,
    Source,
)

__all__ = ["Catalog", "Origin"]


@dataclass(frozen=True)
class Origin:
    """Where a record was defined: file, line and layer number (0 = built-in)."""

    file: Path
    line: int | None
    layer: int


class _Table(dict):
    """A table of a keyed catalogue: a dict that counts its edits, so that the first one
    drops the key without slowing down reading."""

    edits = 0

    def _edited(self) -> None:
        self.edits += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        self._edited()
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._edited()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> _Table:  # type: ignore[misc]
        self._edited()
        return super().__ior__(other)

    def pop(self, *args: Any) -> Any:
        self._edited()
        return super().pop(*args)

    def popitem(self) -> Any:
        self._edited()
        return super().popitem()

    def clear(self) -> None:
        self._edited()
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._edited()
        super().update(*args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._edited()
        return super().setdefault(key, default)


_TABLES = (
    "sources", "providers", "models", "offerings", "runtimes", "hardware", "quantizations",
    "assumptions", "measurements", "managed_endpoints", "origins", "overridden",
)  # fmt: skip


@dataclass
class Catalog:
    """Every record by kind and id, where each was defined, and which earlier definitions
    a later layer overrode.

    ``content_key`` names the files a catalogue was loaded from (see
    :mod:`llmchoose.loading.kbcache`), so results computed from it can be remembered
    between runs. It is None for a catalogue built or edited in memory: adding, replacing
    or removing a record or an origin after loading, replacing a table or the layers, or
    copying the catalogue drops it. Records themselves are shared, not copied: edit a
    ``model_copy`` and ``add`` it, never a loaded record in place.
    """

    layers: list[Path] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    models: dict[str, Model] = field(default_factory=dict)
    offerings: dict[str, Offering] = field(default_factory=dict)
    runtimes: dict[str, Runtime] = field(default_factory=dict)
    hardware: dict[str, Hardware] = field(default_factory=dict)
    quantizations: dict[str, Quantization] = field(default_factory=dict)
    assumptions: dict[str, Assumption] = field(default_factory=dict)
    measurements: dict[str, Measurement] = field(default_factory=dict)
    managed_endpoints: dict[str, ManagedEndpoint] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    overridden: dict[tuple[str, str], list[Origin]] = field(default_factory=dict)
    _content_key: str | None = field(default=None, init=False, repr=False, compare=False)
    # The tables, layers and overridden lists the key was given for, each with its edit
    # count: checking them is a few dozen comparisons, cheap enough for every sizing.
    _sealed: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)

    KINDS = _TABLES[:10]

    def add(self, kind: str, record, origin: Origin, overrides: list[Origin] | None = None) -> None:
        self.content_key = None
        getattr(self, kind)[record.id] = record
        self.origins[(kind, record.id)] = origin
        if overrides:
            self.overridden[(kind, record.id)] = list(overrides)

    def _state(self) -> tuple[Any, ...]:
        held = [getattr(self, name) for name in _TABLES]
        edits = tuple(getattr(table, "edits", None) for table in held)
        return (*held, self.layers), edits, tuple(self.layers)

    @property
    def content_key(self) -> str | None:
        """The key of the files this catalogue was loaded from, while it holds exactly
        what was loaded; None otherwise."""
        if self._content_key is None:
            return None
        held, edits, layers = self._state()
        sealed_held, sealed_edits, sealed_layers = self._sealed
        if edits != sealed_edits or layers != sealed_layers:
            return None
        if any(now is not then for now, then in zip(held, sealed_held, strict=True)):
            return None
        return self._content_key

    @content_key.setter
    def content_key(self, key: str | None) -> None:
        """Name the current contents by ``key`` (None forgets it)."""
        self._content_key = key
        if key is None:
            self._sealed = ()
            return
        for name in _TABLES:
            if type(getattr(self, name)) is not _Table:
                setattr(self, name, _Table(getattr(self, name)))
        self._sealed = self._state()

    def __copy__(self) -> Catalog:
        # A copy is made to be edited, so it never carries the key.
        return Catalog(**{f.name: getattr(self, f.name) for f in fields(self) if f.init})

    def __deepcopy__(self, memo: dict[int, Any]) -> Catalog:
        return Catalog(
            **{f.name: copy.deepcopy(getattr(self, f.name), memo) for f in fields(self) if f.init}
        )

    def records(self, kind: str) -> Iterator[Any]:
        table: dict = getattr(self, kind)
        return iter(table[key] for key in sorted(table))

    def find(self, record_id: str) -> list[tuple[str, Any]]:
        """Every (kind, record) with this id, across kinds."""
        return [
            (kind, getattr(self, kind)[record_id])
            for kind in self.KINDS
            if record_id in getattr(self, kind)
        ]

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        for kind in self.KINDS:
            ids |= set(getattr(self, kind))
        return ids

    def assumption(self, assumption_id: str, default: float) -> float:
        """A sourced constant's value, or ``default`` when the knowledge base lacks it."""
        found = self.assumptions.get(assumption_id)
        return found.value if found is not None and found.value is not None else default
