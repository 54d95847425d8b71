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
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from llmchoose.errors import InputError, did_you_mean
from llmchoose.kb.kbsync.genai_prices import (
    REPOSITORY,
    Catalogue,
    CatalogueModel,
    CatalogueProvider,
)
from llmchoose.kb.kbsync.mapping import Mapping
from llmchoose.kb.kbsync.matching import match_offering
from llmchoose.kb.kbsync.overlay import dump_knowledge
from llmchoose.kb.kbsync.placement import IMPORT_MARKER, _inside, place
from llmchoose.kb.kbsync.sync import _change_rows, _tier_rows
from llmchoose.loading.catalog import Catalog
from llmchoose.loading.paths import PROJECT_DIR
from llmchoose.loading.yamlio import MAX_YAML_BYTES, atomic_write
from llmchoose.schemas.knowledge import Model, Offering, Provider, Source
from llmchoose.schemas.vocabulary import HOSTED_OPEN_WEIGHTS, PROPRIETARY_API

__all__ = ["DEFAULT_IMPORT_DIR", "PLACEHOLDER_CONTEXT", "ImportPlan", "plan_import", "write_import"]

DEFAULT_IMPORT_DIR = Path(PROJECT_DIR) / "knowledge" / "imported" / "genai-prices"
PREFIX = "gp."
INFERRED = "gp.inferred"
UNKNOWN = "gp.unknown"
# The schema requires a context window; 1 token fails every context requirement, as an
# unknown one would, and is plainly not a real value.
PLACEHOLDER_CONTEXT = 1
_FILE_LIMIT = int(MAX_YAML_BYTES * 0.8)
_ID_MAX = 120


def slug(text: str) -> str:
    """A lower-case id part: letters, digits, dots and dashes."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.lower())
    value = re.sub(r"-{2,}", "-", value).strip("-._")
    return value or "x"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _short(value: str, limit: int, original: str) -> str:
    if len(value) <= limit:
        return value
    return value[: limit - 9].rstrip("-._") + "-" + _digest(original)


def _optional(schema: type[BaseModel], name: str) -> bool:
    """Whether the schema lets a field be left out (then the import leaves it out)."""
    return not schema.model_fields[name].is_required()


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


@dataclass
class _Ids:
    """Unique, valid ids for one provider's models."""

    used: set[str] = field(default_factory=set)

    def model_part(self, provider: str, model_id: str) -> str:
        room = _ID_MAX - len(PREFIX) - len(provider) - 1
        part = _short(slug(model_id), room, model_id)
        if part in self.used:
            part = _short(part, room - 9, model_id) + "-" + _digest(model_id)
        self.used.add(part)
        return part


def _provider_source(provider: CatalogueProvider, pslug: str, version: str) -> dict[str, Any]:
    return {
        "id": f"{PREFIX}{pslug}",
        "title": f"{provider.name} prices in genai-prices {version}",
        "url": provider.pricing_url or REPOSITORY,
        "publisher": "Pydantic (genai-prices)",
        "note": "Read from the installed genai-prices package (its network update is never "
        "used): standard tier, USD per million tokens.",
    }


def _meta_sources(version: str) -> list[dict[str, Any]]:
    return [
        {
            "id": INFERRED,
            "title": "Guessed by llmchoose kb import from the model id in genai-prices (not a sourced fact)",
            "url": REPOSITORY,
            "note": "Vendor, family and open weights follow the rules in llmchoose's genai-prices "
            "mapping; the licence is assumed to allow commercial use of the paid API. "
            f"genai-prices {version} does not record any of them.",
        },
        {
            "id": UNKNOWN,
            "title": "Not known: a placeholder the knowledge schema requires (not a fact)",
            "url": REPOSITORY,
            "note": f"genai-prices {version} gives no value. A context window of "
            f"{PLACEHOLDER_CONTEXT} fails every context requirement, as an unknown one would.",
        },
    ]


def _model_record(
    entry: CatalogueModel,
    model_id: str,
    source: str,
    mapping: Mapping,
    vendor_of_provider: str | None,
    as_of: dt.date,
    placeholders: dict[str, int],
) -> dict[str, Any]:
    rule = mapping.family_of(entry.id)
    org = entry.id.split("/", 1)[0] if "/" in entry.id else None
    vendor = rule.vendor if rule else org or vendor_of_provider or "unknown"
    guessed = {"source": INFERRED, "as_of": as_of}
    record: dict[str, Any] = {
        "id": model_id,
        "name": entry.name or entry.id,
        "vendor": vendor,
        "family": rule.family if rule else "unknown",
        "open_weights": rule.open_weights if rule else False,
    }
    provenance: dict[str, Any] = {
        "vendor": dict(guessed),
        "family": dict(guessed),
        "open_weights": dict(guessed),
        "licence": dict(guessed),
    }
    notes = [
        f"Imported from genai-prices ({entry.provider}/{entry.id}); not curated.",
        "Vendor, family and open weights guessed from the id"
        + (f" by the rule '{rule.pattern}'." if rule else ": no rule matched."),
    ]
    if entry.context_window is not None:
        record["context_window"] = entry.context_window
    elif not _optional(Model, "context_window"):
        record["context_window"] = PLACEHOLDER_CONTEXT
        provenance["context_window"] = {"source": UNKNOWN, "as_of": as_of}
        placeholders["context_window"] = placeholders.get("context_window", 0) + 1
        notes.append(f"Context window unknown: {PLACEHOLDER_CONTEXT} is a placeholder.")
    record["licence"] = {
        "id": "unknown",
        "commercial_use": True,
        "notes": "Not known; commercial use of the paid API is assumed.",
    }
    record.update(
        {
            "source": source,
            "as_of": as_of,
            "provenance": provenance,
            "notes": " ".join(notes),
        }
    )
    return record


def _offering_record(
    entry: CatalogueModel,
    offering_id: str,
    provider_id: str,
    model_id: str,
    source: str,
    as_of: dt.date,
) -> dict[str, Any]:
    price = entry.price
    assert price is not None
    prices: dict[str, Any] = {"input": price.input, "output": price.output}
    if price.cached_input is not None:
        prices["cached_input"] = price.cached_input
    if price.tiers:
        prices["tiers"] = _tier_rows(price.tiers)
    record: dict[str, Any] = {
        "id": offering_id,
        "provider": provider_id,
        "model": model_id,
        "api_model_id": entry.id,
        "price": prices,
    }
    if price.changes:
        record["price_changes"] = _change_rows(price.changes)
    if entry.deprecated:
        record["status"] = "deprecated"
    record.update({"imported": True, "source": source, "as_of": as_of})
    notes = list(price.notes)
    if entry.deprecated:
        notes.append("the catalogue marks the model deprecated (no retirement date given)")
    if notes:
        record["notes"] = "; ".join(notes)[:4000]
    return record


def _validate(kind: str, schema: type[BaseModel], record: dict[str, Any], version: str) -> None:
    try:
        schema.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"unexpected genai-prices {version} catalogue: the {kind} record '{record.get('id')}' "
            f"would not be valid ({where}: {first['msg']}); nothing was written",
            hint="report it, or leave that provider out with --only",
        ) from None


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
    if only:
        unknown = [p for p in only if p not in catalogue.providers]
        if unknown:
            raise InputError(
                f"genai-prices has no provider '{unknown[0]}'",
                hint=did_you_mean(unknown[0], catalogue.providers)
                or f"one of: {', '.join(sorted(catalogue.providers))}",
            )
    placement = place(output, kb, skip=output)
    baseline = placement.baseline()
    staging_root = output.resolve().parent
    while staging_root != staging_root.parent and any(
        _inside(staging_root, layer) for layer in placement.layers
    ):
        staging_root = staging_root.parent
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
        staging_root=staging_root,
    )
    if not placement.in_a_layer:
        plan.notes.append(f"{output} is not inside a knowledge folder: pass it with --kb to use it")
    header = (
        f"kb import genai-prices (package {catalogue.version}) on {as_of}.\n"
        "Generated: every run replaces this folder. Imported records are not curated;\n"
        "see the notes and the gp.inferred / gp.unknown sources for what is guessed."
    )
    shared_sources = _meta_sources(catalogue.version)
    shared_providers: list[dict[str, Any]] = []
    used_slugs: set[str] = set()
    for provider in sorted(catalogue.providers.values(), key=lambda p: p.id):
        if only and provider.id not in only:
            continue
        pslug = _short(slug(provider.id), 40, provider.id)
        if pslug in used_slugs:  # two catalogue ids that differ only in punctuation
            pslug = _short(pslug, 31, provider.id) + "-" + _digest(provider.id)
        used_slugs.add(pslug)
        rule = mapping.import_rule(provider.id)
        source_id = f"{PREFIX}{pslug}"
        new_provider: dict[str, Any] | None = None
        if rule.as_ and rule.as_ in baseline.providers:
            provider_id = rule.as_
            mapped = baseline.providers[rule.as_]
            vendor_of_provider = mapped.vendor if mapped.kind == "model-vendor" else None
        else:
            provider_id = f"{PREFIX}{pslug}"
            kind = rule.kind or mapping.import_.default_kind
            vendor_of_provider = provider.name if kind == "model-vendor" else None
            new_provider = {
                "id": provider_id,
                "name": provider.name,
                "vendor": provider.name,
                "kind": kind,
                "source": source_id,
                "as_of": as_of,
                "provenance": {"kind": {"source": INFERRED, "as_of": as_of}},
                "notes": "Imported from genai-prices: only the name comes from the catalogue; "
                "compliance, regions and SDKs are unknown.",
            }
            _validate("provider", Provider, new_provider, catalogue.version)
        source = _provider_source(provider, pslug, catalogue.version)
        _validate("source", Source, source, catalogue.version)
        ids = _Ids()
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
                plan.curated.append(
                    {"provider": provider.id, "model": entry.id, "offering": curated}
                )
                continue
            part = ids.model_part(pslug, entry.id)
            model_id = f"{PREFIX}{pslug}.{part}"
            offering_id = f"{PREFIX}{pslug}/{part}"
            model = _model_record(
                entry, model_id, source_id, mapping, vendor_of_provider, as_of, plan.placeholders
            )
            offering = _offering_record(entry, offering_id, provider_id, model_id, source_id, as_of)
            _validate("model", Model, model, catalogue.version)
            _validate("offering", Offering, offering, catalogue.version)
            models.append(model)
            offerings.append(offering)
            category = HOSTED_OPEN_WEIGHTS if model["open_weights"] else PROPRIETARY_API
            plan.categories[category] += 1
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
