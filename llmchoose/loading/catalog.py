"""The Catalog: every validated knowledge record, by kind and id, with its origin."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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

    KINDS = (
        "sources", "providers", "models", "offerings", "runtimes", "hardware",
        "quantizations", "assumptions", "measurements", "managed_endpoints",
    )  # fmt: skip

    def add(self, kind: str, record, origin: Origin, overrides: list[Origin] | None = None) -> None:
        getattr(self, kind)[record.id] = record
        self.origins[(kind, record.id)] = origin
        if overrides:
            self.overridden[(kind, record.id)] = list(overrides)

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
