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


@dataclass
class Catalog:
    """Every record by kind and id, where each was defined, and which earlier definitions
    a later layer overrode.

    ``content_key`` names the files a catalogue was loaded from (see
    :mod:`llmchoose.loading.kbcache`), so results computed from it can be remembered
    between runs. It is None for a catalogue built or edited in memory: adding, replacing
    or removing a record (or an origin) after loading, or copying the catalogue, drops
    it. Records themselves are shared, not copied: edit a ``model_copy`` and ``add`` it,
    never a loaded record in place.
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
    # What the catalogue held when its key was set: the objects themselves, so that none
    # can be freed and its address reused by a replacement that would then look unchanged.
    _sealed: list[Any] | None = field(default=None, init=False, repr=False, compare=False)

    KINDS = (
        "sources", "providers", "models", "offerings", "runtimes", "hardware",
        "quantizations", "assumptions", "measurements", "managed_endpoints",
    )  # fmt: skip

    def add(self, kind: str, record, origin: Origin, overrides: list[Origin] | None = None) -> None:
        self.content_key = None
        getattr(self, kind)[record.id] = record
        self.origins[(kind, record.id)] = origin
        if overrides:
            self.overridden[(kind, record.id)] = list(overrides)

    def _contents(self) -> list[Any]:
        held: list[Any] = list(self.layers)
        for kind in self.KINDS:
            held += getattr(self, kind).values()
        held += self.origins.values()
        for earlier in self.overridden.values():
            held += earlier
        return held

    @property
    def content_key(self) -> str | None:
        """The key of the files this catalogue was loaded from, while it holds exactly
        what was loaded; None otherwise."""
        if self._content_key is None or self._sealed is None:
            return None
        now = self._contents()
        if len(now) != len(self._sealed) or any(
            a is not b for a, b in zip(now, self._sealed, strict=True)
        ):
            return None
        return self._content_key

    @content_key.setter
    def content_key(self, key: str | None) -> None:
        """Name the current contents by ``key`` (None forgets it)."""
        self._content_key = key
        self._sealed = self._contents() if key is not None else None

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
