"""Load the knowledge base: built-in data, then each overlay folder, into a Catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog, Origin
from llmchoose.loading.kbcache import (
    LayerFile,
    LayerSnapshot,
    cached_catalog,
    list_layers,
    parse_file,
    read_snapshot,
    store_catalog,
)
from llmchoose.loading.layers import KnowledgeErrors, merge_record
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.paths import layer_folders
from llmchoose.loading.yamlio import MAX_YAML_BYTES, LineDict, line_of
from llmchoose.schemas.knowledge import KIND_MODELS, Record

__all__ = ["MAX_KNOWLEDGE_BYTES", "knowledge_layers", "load_catalog"]


def knowledge_layers(
    extra: list[Path] | tuple[Path, ...] = (), *, builtin: bool = True
) -> list[Path]:
    """Built-in knowledge, then ``./.llmchoose/knowledge``, then each ``--kb`` folder."""
    return layer_folders("knowledge", extra, builtin=builtin)


@dataclass
class _Pending:
    raw: dict
    origin: Origin
    file_data: Any
    loc: tuple[Any, ...]
    touched: list[Origin] = field(default_factory=list)


def _read_layer(
    files: list[LayerFile], layer: int, errors: list[InputError]
) -> dict[tuple[str, str], _Pending]:
    found: dict[tuple[str, str], _Pending] = {}
    for item in files:
        path = item.path
        try:
            data = parse_file(item)
        except InputError as exc:
            errors.append(exc)
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            errors.append(
                InputError("expected a mapping of record lists at the top", file=path, line=1)
            )
            continue
        for kind, records in data.items():
            if kind not in KIND_MODELS:
                errors.append(
                    InputError(
                        f"unknown section '{kind}'",
                        file=path,
                        line=data.lines.get(kind) if isinstance(data, LineDict) else None,
                        hint=did_you_mean(str(kind), KIND_MODELS)
                        or f"expected one of: {', '.join(KIND_MODELS)}",
                    )
                )
                continue
            if records is None:
                continue
            if not isinstance(records, list):
                errors.append(
                    InputError(
                        f"{kind}: expected a list of records",
                        file=path,
                        line=line_of(data, (kind,)),
                    )
                )
                continue
            for index, raw in enumerate(records):
                line = line_of(data, (kind, index))
                if not isinstance(raw, dict):
                    errors.append(
                        InputError(f"{kind}[{index}]: expected a mapping", file=path, line=line)
                    )
                    continue
                record_id = raw.get("id")
                if not isinstance(record_id, str):
                    errors.append(
                        InputError(
                            f"{kind}[{index}]: every record needs an 'id'", file=path, line=line
                        )
                    )
                    continue
                key = (kind, record_id)
                origin = Origin(file=path, line=line, layer=layer)
                if key in found:
                    first = found[key].origin
                    errors.append(
                        InputError(
                            f"duplicate {kind} id '{record_id}'",
                            file=path,
                            line=line,
                            hint=f"first defined at {first.file}:{first.line}",
                        )
                    )
                    continue
                found[key] = _Pending(raw=raw, origin=origin, file_data=data, loc=(kind, index))
    return found


class _References:
    """Checks that every id a record names exists, collecting one error per dangling one."""

    def __init__(self, catalog: Catalog, errors: list[InputError]) -> None:
        self.catalog = catalog
        self.errors = errors

    def problem(self, kind: str, record_id: str, message: str, hint: str | None = None) -> None:
        origin = self.catalog.origins[(kind, record_id)]
        self.errors.append(
            InputError(
                f"{kind} '{record_id}': {message}", file=origin.file, line=origin.line, hint=hint
            )
        )

    def dangling(self, kind: str, record_id: str, what: str, target: str, known: dict) -> None:
        self.problem(
            kind, record_id, f"{what} '{target}' does not exist", did_you_mean(target, known)
        )

    def cited_sources(self, kind: str, record: Record) -> None:
        sources = self.catalog.sources
        if record.source not in sources:
            self.dangling(kind, record.id, "source", record.source, sources)
        allowed = {f.alias or n for n, f in type(record).model_fields.items()}
        for path, prov in record.provenance.items():
            if prov.source not in sources:
                self.dangling(
                    kind, record.id, f"provenance of {path}: source", prov.source, sources
                )
            head = path.split(".")[0]
            if head not in allowed:
                self.problem(
                    kind,
                    record.id,
                    f"provenance names unknown field '{path}'",
                    did_you_mean(head, allowed),
                )

    def offerings(self) -> None:
        catalog = self.catalog
        for offering in catalog.offerings.values():
            if offering.provider not in catalog.providers:
                self.dangling(
                    "offerings", offering.id, "provider", offering.provider, catalog.providers
                )
            if offering.model not in catalog.models:
                self.dangling("offerings", offering.id, "model", offering.model, catalog.models)
            stand_in = offering.performance.stand_in
            if stand_in is not None and stand_in not in catalog.offerings:
                self.dangling("offerings", offering.id, "stand_in", stand_in, catalog.offerings)

    def measurements(self) -> None:
        for item in self.catalog.measurements.values():
            for kind, target in (
                ("models", item.model),
                ("runtimes", item.runtime),
                ("hardware", item.hardware),
                ("quantizations", item.quantization),
                ("providers", item.provider),
                ("offerings", item.offering),
            ):
                table = getattr(self.catalog, kind)
                if target is not None and target not in table:
                    self.dangling("measurements", item.id, kind.rstrip("s"), target, table)

    def runtimes(self) -> None:
        catalog = self.catalog
        for runtime in catalog.runtimes.values():
            for quant in runtime.quantizations:
                if quant not in catalog.quantizations:
                    self.dangling(
                        "runtimes", runtime.id, "quantization", quant, catalog.quantizations
                    )
            for model_id in runtime.supported_models or []:
                if model_id not in catalog.models:
                    self.dangling(
                        "runtimes", runtime.id, "supported model", model_id, catalog.models
                    )
                elif not catalog.models[model_id].open_weights:
                    self.problem(
                        "runtimes", runtime.id, f"model '{model_id}' has no open weights to run"
                    )

    def managed_endpoints(self) -> None:
        catalog = self.catalog
        for item in catalog.managed_endpoints.values():
            kind = "managed_endpoints"
            if item.service not in catalog.providers:
                self.dangling(kind, item.id, "service", item.service, catalog.providers)
            if item.runtime not in catalog.runtimes:
                self.dangling(kind, item.id, "runtime", item.runtime, catalog.runtimes)
            for instance in item.instances:
                if instance.hardware not in catalog.hardware:
                    self.dangling(
                        kind,
                        item.id,
                        f"instance {instance.type}: hardware",
                        instance.hardware,
                        catalog.hardware,
                    )


def _check_references(catalog: Catalog, errors: list[InputError]) -> None:
    check = _References(catalog, errors)
    for kind in KIND_MODELS:
        if kind == "sources":
            continue
        for record in catalog.records(kind):
            assert isinstance(record, Record)
            check.cited_sources(kind, record)
    check.offerings()
    for source in catalog.sources.values():
        for other in source.conflicts_with:
            if other not in catalog.sources:
                check.dangling("sources", source.id, "conflicts_with", other, catalog.sources)
    check.measurements()
    check.runtimes()
    check.managed_endpoints()
    for hw in catalog.hardware.values():
        if hw.price_provider is not None and hw.price_provider not in catalog.providers:
            check.dangling(
                "hardware", hw.id, "price_provider", hw.price_provider, catalog.providers
            )


# All layers together: about 60,000 offerings. Loading and ranking are measured at
# 14,000 offerings (benchmarks/large_overlay.py); far past this limit a run takes
# minutes and gigabytes, so it is refused up front instead.
MAX_KNOWLEDGE_BYTES = 16 * 1024 * 1024


def _check_total_size(snapshot: LayerSnapshot) -> None:
    total, count = 0, 0
    for files in snapshot.files:
        for item in files:
            try:
                total += item.path.stat().st_size
            except OSError:
                continue
            count += 1
    if total > MAX_KNOWLEDGE_BYTES:
        raise InputError(
            f"the knowledge base is {total / 1e6:.1f} MB in {count} files; the limit is "
            f"{MAX_KNOWLEDGE_BYTES / 1e6:.1f} MB",
            hint="import fewer providers (kb import --only) or split the work",
        )


def load_catalog(
    extra: list[Path] | tuple[Path, ...] = (),
    *,
    builtin: bool = True,
    layers: list[Path] | None = None,
) -> Catalog:
    """Load and validate every layer; raise :class:`KnowledgeErrors` listing all problems.

    Layers whose files are unchanged since a run that loaded them come from the cache
    (:mod:`llmchoose.loading.kbcache`); either way the catalogue's ``content_key`` names
    the files it was loaded from.
    """
    folders = layers if layers is not None else knowledge_layers(extra, builtin=builtin)
    snapshot = list_layers(folders)
    _check_total_size(snapshot)  # before reading anything
    read_snapshot(snapshot, "knowledge", max_bytes=MAX_YAML_BYTES)
    catalog = cached_catalog(snapshot)
    if catalog is None:
        catalog = _parse_catalog(snapshot)
        store_catalog(snapshot, catalog)
    catalog.content_key = snapshot.key
    return catalog


def _merge_layers(
    snapshot: LayerSnapshot, errors: list[InputError]
) -> dict[tuple[str, str], _Pending]:
    """Each record as the layers together define it, later ones merged onto earlier ones."""
    pending: dict[tuple[str, str], _Pending] = {}
    for number, (files, folder_error) in enumerate(
        zip(snapshot.files, snapshot.folder_errors, strict=True)
    ):
        if folder_error is not None:
            errors.append(folder_error)
            continue
        for key, item in _read_layer(files, number, errors).items():
            if key in pending:
                base = pending[key]
                try:
                    merged = merge_record(
                        base.raw, item.raw, file=item.origin.file, line=item.origin.line
                    )
                except InputError as exc:
                    errors.append(exc)
                    continue
                item.touched = [*base.touched, base.origin]
                item.raw = merged
            pending[key] = item
    return pending


def _parse_catalog(snapshot: LayerSnapshot) -> Catalog:
    """The catalogue from the layers' YAML; raise :class:`KnowledgeErrors` on problems."""
    errors: list[InputError] = []
    pending = _merge_layers(snapshot, errors)
    catalog = Catalog(layers=list(snapshot.folders))
    for (kind, _record_id), item in sorted(
        pending.items(),
        key=lambda kv: (kv[1].origin.layer, str(kv[1].origin.file), kv[1].origin.line or 0),
    ):
        schema = KIND_MODELS[kind]
        try:
            record = schema.model_validate(dict(item.raw))
        except ValidationError as exc:
            errors += validation_errors(
                exc,
                model=schema,
                raw=item.raw,
                file=item.origin.file,
                prefix=item.loc,
                raw_root=item.file_data,
            )
            continue
        catalog.add(kind, record, item.origin, overrides=item.touched)
    if not errors:
        _check_references(catalog, errors)
    if errors:
        raise KnowledgeErrors(errors)
    return catalog
