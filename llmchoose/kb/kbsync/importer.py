"""`kb import genai-prices`: the whole API catalogue of the package as extra options.

Every priced model at every provider becomes an imported offering (``imported: true``)
with a minimal model record, so the whole market can be ranked on cost and context.
The catalogue gives a name, prices and often a context window; everything else about
the model is unknown. Where the knowledge schema insists on a value, the importer
writes its best guess or a placeholder and credits it to a source that says so
(``gp.inferred`` or ``gp.unknown``), never to the catalogue.

Ids live in their own ``gp.`` namespace so an import never overrides a curated record.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.kb.kbsync.genai_prices import (
    Catalogue,
)
from llmchoose.kb.kbsync.import_records import (
    INFERRED,
    PLACEHOLDER_CONTEXT,
    PREFIX,
    RecordIds,
    digest,
    meta_sources,
    model_record,
    offering_record,
    provider_source,
    shorten,
    slug,
    validate_record,
)
from llmchoose.kb.kbsync.mapping import Mapping
from llmchoose.kb.kbsync.matching import match_offering
from llmchoose.kb.kbsync.overlay import dump_knowledge
from llmchoose.kb.kbsync.placement import IMPORT_MARKER, _inside, place
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.paths import PROJECT_DIR
from llmchoose.loading.yamlio import MAX_YAML_BYTES, atomic_write
from llmchoose.schemas.knowledge import Model, Offering, Provider, Source
from llmchoose.schemas.vocabulary import HOSTED_OPEN_WEIGHTS, PROPRIETARY_API

__all__ = ["DEFAULT_IMPORT_DIR", "PLACEHOLDER_CONTEXT", "ImportPlan", "plan_import", "write_import"]

DEFAULT_IMPORT_DIR = Path(PROJECT_DIR) / "knowledge" / "imported" / "genai-prices"
_FILE_LIMIT = int(MAX_YAML_BYTES * 0.8)


@dataclass
class ImportPlan:
    version: str
    as_of: dt.date
    output: Path
    total: int  # catalogue entries considered
    offerings: int  # imported offerings
    categories: dict[str, int]
    per_provider: dict[str, int]
    curated: list[dict[str, str]]  # already in the knowledge base: not imported
    not_priced: list[dict[str, str]]  # no per-token price: not imported
    providers_created: list[str]
    placeholders: dict[str, int]
    files: dict[str, str] = field(default_factory=dict, repr=False)
    notes: list[str] = field(default_factory=list)
    staging_root: Path | None = None  # a folder outside every knowledge layer

    def as_dict(self) -> dict[str, Any]:
        return {
            "package_version": self.version,
            "as_of": self.as_of.isoformat(),
            "output": str(self.output),
            "catalogue_entries": self.total,
            "imported_offerings": self.offerings,
            "categories": self.categories,
            "per_provider": self.per_provider,
            "already_curated": self.curated,
            "not_priced": self.not_priced,
            "providers_created": self.providers_created,
            "placeholders": self.placeholders,
            "files": sorted(self.files),
            "notes": self.notes,
        }


def _curated(
    catalog: Catalog, mapping: Mapping, catalogue: Catalogue
) -> dict[tuple[str, str], str]:
    """Catalogue entries that an offering of the knowledge base already covers."""
    covered: dict[tuple[str, str], str] = {}
    for offering in catalog.records("offerings"):
        if offering.imported:
            continue
        match = match_offering(offering, mapping, catalogue)
        if match.status == "matched" and match.model is not None and not match.via_fallback:
            covered.setdefault((match.model.provider, match.model.id), offering.id)
    return covered


def _chunks(header: str, sections: dict[str, list[dict[str, Any]]]) -> list[str]:
    """One or more file texts, each under the loader's size limit; a model and its
    offering stay together, and the sources go with the first part."""
    text = dump_knowledge(header, sections)
    models, offerings = sections.get("models", []), sections.get("offerings", [])
    half = len(models) // 2
    if len(text.encode("utf-8")) <= _FILE_LIMIT or half == 0:
        return [text]
    ids = {m["id"] for m in models[:half]}
    first = {
        "sources": sections.get("sources", []),
        "models": models[:half],
        "offerings": [o for o in offerings if o["model"] in ids],
    }
    second = {
        "models": models[half:],
        "offerings": [o for o in offerings if o["model"] not in ids],
    }
    return _chunks(header, first) + _chunks(header, second)


def _check_only(only: list[str] | None, catalogue: Catalogue) -> None:
    unknown = [p for p in only or [] if p not in catalogue.providers]
    if unknown:
        raise InputError(
            f"genai-prices has no provider '{unknown[0]}'",
            hint=did_you_mean(unknown[0], catalogue.providers)
            or f"one of: {', '.join(sorted(catalogue.providers))}",
        )


def _staging_root(output: Path, layers: Sequence[Path]) -> Path:
    """The nearest folder above the output that is inside no knowledge layer."""
    staging_root = output.resolve().parent
    while staging_root != staging_root.parent and any(
        _inside(staging_root, layer) for layer in layers
    ):
        staging_root = staging_root.parent
    return staging_root


def _provider_identity(
    provider: Any, pslug: str, baseline: Any, mapping: Mapping, as_of: dt.date, version: str
) -> tuple[str, str | None, dict[str, Any] | None]:
    """The provider id the offerings name, the vendor of its own models (for a model
    vendor), and a new provider record when the mapping names no curated one."""
    rule = mapping.import_rule(provider.id)
    if rule.as_ and rule.as_ in baseline.providers:
        mapped = baseline.providers[rule.as_]
        return rule.as_, (mapped.vendor if mapped.kind == "model-vendor" else None), None
    provider_id = f"{PREFIX}{pslug}"
    kind = rule.kind or mapping.import_.default_kind
    new_provider = {
        "id": provider_id,
        "name": provider.name,
        "vendor": provider.name,
        "kind": kind,
        "source": f"{PREFIX}{pslug}",
        "as_of": as_of,
        "provenance": {"kind": {"source": INFERRED, "as_of": as_of}},
        "notes": "Imported from genai-prices: only the name comes from the catalogue; "
        "compliance, regions and SDKs are unknown.",
    }
    validate_record("provider", Provider, new_provider, version)
    return provider_id, (provider.name if kind == "model-vendor" else None), new_provider


@dataclass(frozen=True)
class _Slot:
    """Where one catalogue provider's records go: its file slug and the ids they cite."""

    pslug: str
    provider_id: str
    source_id: str
    vendor: str | None


def _provider_entries(
    plan: ImportPlan,
    provider: Any,
    slot: _Slot,
    covered: dict[tuple[str, str], str],
    mapping: Mapping,
    version: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The model and offering records of one provider's priced, uncurated entries; the
    plan counts every entry and lists the skipped ones."""
    ids = RecordIds()
    models: list[dict[str, Any]] = []
    offerings: list[dict[str, Any]] = []
    for entry in sorted(provider.models, key=lambda m: m.id):
        plan.total += 1
        if entry.price is None:
            plan.not_priced.append(
                {"provider": provider.id, "model": entry.id, "reason": entry.skip_reason or ""}
            )
            continue
        curated = covered.get((provider.id, entry.id))
        if curated is not None:
            plan.curated.append({"provider": provider.id, "model": entry.id, "offering": curated})
            continue
        part = ids.model_part(slot.pslug, entry.id)
        model_id = f"{PREFIX}{slot.pslug}.{part}"
        offering_id = f"{PREFIX}{slot.pslug}/{part}"
        model = model_record(
            entry, model_id, slot.source_id, mapping, slot.vendor, plan.as_of, plan.placeholders
        )
        offering = offering_record(
            entry, offering_id, slot.provider_id, model_id, slot.source_id, plan.as_of
        )
        validate_record("model", Model, model, version)
        validate_record("offering", Offering, offering, version)
        models.append(model)
        offerings.append(offering)
        category = HOSTED_OPEN_WEIGHTS if model["open_weights"] else PROPRIETARY_API
        plan.categories[category] += 1
    return models, offerings


def plan_import(
    catalogue: Catalogue,
    mapping: Mapping,
    *,
    as_of: dt.date,
    output: Path = DEFAULT_IMPORT_DIR,
    kb: list[Path] | tuple[Path, ...] = (),
    only: list[str] | None = None,
) -> ImportPlan:
    """Build the imported overlay in memory; nothing is written."""
    output = Path(output)
    _check_output(output)
    _check_only(only, catalogue)
    placement = place(output, kb, skip=output)
    baseline = placement.baseline()
    covered = _curated(baseline, mapping, catalogue)
    plan = ImportPlan(
        version=catalogue.version,
        as_of=as_of,
        output=output,
        total=0,
        offerings=0,
        categories={PROPRIETARY_API: 0, HOSTED_OPEN_WEIGHTS: 0},
        per_provider={},
        curated=[],
        not_priced=[],
        providers_created=[],
        placeholders={},
        staging_root=_staging_root(output, placement.layers),
    )
    if not placement.in_a_layer:
        plan.notes.append(f"{output} is not inside a knowledge folder: pass it with --kb to use it")
    header = (
        f"kb import genai-prices (package {catalogue.version}) on {as_of}.\n"
        "Generated: every run replaces this folder. Imported records are not curated;\n"
        "see the notes and the gp.inferred / gp.unknown sources for what is guessed."
    )
    shared_sources = meta_sources(catalogue.version)
    shared_providers: list[dict[str, Any]] = []
    used_slugs: set[str] = set()
    for provider in sorted(catalogue.providers.values(), key=lambda p: p.id):
        if only and provider.id not in only:
            continue
        pslug = shorten(slug(provider.id), 40, provider.id)
        if pslug in used_slugs:  # two catalogue ids that differ only in punctuation
            pslug = shorten(pslug, 31, provider.id) + "-" + digest(provider.id)
        used_slugs.add(pslug)
        source_id = f"{PREFIX}{pslug}"
        provider_id, vendor_of_provider, new_provider = _provider_identity(
            provider, pslug, baseline, mapping, as_of, catalogue.version
        )
        source = provider_source(provider, pslug, catalogue.version)
        validate_record("source", Source, source, catalogue.version)
        models, offerings = _provider_entries(
            plan,
            provider,
            _Slot(pslug, provider_id, source_id, vendor_of_provider),
            covered,
            mapping,
            catalogue.version,
        )
        plan.offerings += len(offerings)
        plan.per_provider[provider.id] = len(offerings)
        if not offerings:
            continue
        if new_provider is not None:
            shared_providers.append(new_provider)
            plan.providers_created.append(provider_id)
        texts = _chunks(header, {"sources": [source], "models": models, "offerings": offerings})
        for number, text in enumerate(texts, start=1):
            name = f"{pslug}.yaml" if number == 1 else f"{pslug}-{number}.yaml"
            plan.files[name] = text
    plan.files["_shared.yaml"] = dump_knowledge(
        header, {"sources": shared_sources, "providers": shared_providers}
    )
    return plan


def _check_output(output: Path) -> None:
    """The output folder must be new or hold only files a previous import wrote."""
    if output.exists() and not output.is_dir():
        raise InputError("expected a folder for the import, found a file", file=output)
    if not output.is_dir():
        return
    for path in sorted(output.rglob("*")):
        if path.is_dir():
            continue
        try:
            with path.open(encoding="utf-8") as handle:
                owned = handle.readline().startswith(IMPORT_MARKER)
        except (OSError, UnicodeDecodeError):
            owned = False
        if not owned:
            raise InputError(
                "the import folder holds a file llmchoose did not write; nothing was replaced",
                file=path,
                hint="choose another --output, or move the file away",
            )


def write_import(plan: ImportPlan) -> Path:
    """Replace the output folder with the planned files in one rename.

    The files are staged outside every knowledge folder, so an interrupted run leaves
    nothing half-written where the loader would read it.
    """
    _check_output(plan.output)
    output = plan.output
    output.parent.mkdir(parents=True, exist_ok=True)
    root = plan.staging_root if plan.staging_root and plan.staging_root.is_dir() else output.parent
    staging = Path(tempfile.mkdtemp(prefix=".llmchoose-import.", dir=root))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    old = root / f"{staging.name}.old"
    try:
        for name, text in sorted(plan.files.items()):
            atomic_write(staging / name, text)
        if output.exists():
            output.rename(old)
        try:
            staging.rename(output)
        except BaseException:
            if old.exists():
                old.rename(output)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return output
