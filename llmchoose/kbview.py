"""Plain-data views of the knowledge base for `kb list` and `kb show`."""

from __future__ import annotations

from typing import Any

from llmchoose.catalog import Catalog
from llmchoose.errors import InputError, did_you_mean
from llmchoose.schemas.knowledge import Model, Record

__all__ = [
    "CATEGORIES",
    "LIST_KINDS",
    "list_rows",
    "model_categories",
    "record_facts",
    "show_record",
]

CATEGORIES = ("proprietary-api", "hosted-open-weights", "self-hosted", "on-device")
LIST_KINDS = (
    "models",
    "offerings",
    "providers",
    "runtimes",
    "hardware",
    "quantizations",
    "sources",
)
_ON_DEVICE = {"laptop", "edge", "browser", "phone", "tablet", "desktop"}


def model_categories(catalog: Catalog, model: Model) -> list[str]:
    """The kinds of deployment the knowledge base offers for a model."""
    found = set()
    if any(o.model == model.id for o in catalog.offerings.values()):
        found.add("hosted-open-weights" if model.open_weights else "proprietary-api")
    if model.open_weights:
        for runtime in catalog.runtimes.values():
            if runtime.supported_models is not None and model.id not in runtime.supported_models:
                continue
            if {"server", "workstation"} & set(runtime.deployments):
                found.add("self-hosted")
            if _ON_DEVICE & set(runtime.deployments):
                found.add("on-device")
    return [c for c in CATEGORIES if c in found]


def _offering_category(catalog: Catalog, offering) -> str:
    model = catalog.models[offering.model]
    return "hosted-open-weights" if model.open_weights else "proprietary-api"


def list_rows(
    catalog: Catalog,
    kind: str = "models",
    *,
    provider: str | None = None,
    open_weights: bool | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """Rows of one kind of record, filtered; each row is JSON-ready."""
    if kind not in LIST_KINDS:
        raise InputError(f"unknown kind '{kind}'", hint=did_you_mean(kind, LIST_KINDS))
    if category is not None and category not in CATEGORIES:
        raise InputError(
            f"unknown category '{category}'",
            hint=did_you_mean(category, CATEGORIES) or f"one of: {', '.join(CATEGORIES)}",
        )
    if provider is not None and provider not in catalog.providers:
        raise InputError(
            f"unknown provider '{provider}'", hint=did_you_mean(provider, catalog.providers)
        )
    rows: list[dict[str, Any]] = []
    if kind == "models":
        for model in catalog.records("models"):
            cats = model_categories(catalog, model)
            served_by = sorted(
                {o.provider for o in catalog.offerings.values() if o.model == model.id}
            )
            if open_weights is not None and model.open_weights != open_weights:
                continue
            if category and category not in cats:
                continue
            if provider and provider not in served_by:
                continue
            rows.append(
                {
                    "id": model.id,
                    "name": model.name,
                    "vendor": model.vendor,
                    "open_weights": model.open_weights,
                    "context_window": model.context_window,
                    "parameters_b": model.parameters.total_b,
                    "licence": model.licence.id,
                    "released": model.released,
                    "retires": model.retires,
                    "categories": cats,
                    "providers": served_by,
                }
            )
    elif kind == "offerings":
        for offering in catalog.records("offerings"):
            model = catalog.models[offering.model]
            cat = _offering_category(catalog, offering)
            if open_weights is not None and model.open_weights != open_weights:
                continue
            if category and category != cat:
                continue
            if provider and offering.provider != provider:
                continue
            price = offering.price
            rows.append(
                {
                    "id": offering.id,
                    "provider": offering.provider,
                    "model": offering.model,
                    "category": cat,
                    "input_per_mtok": price.input if price else None,
                    "output_per_mtok": price.output if price else None,
                    "cached_input_per_mtok": price.cached_input if price else None,
                    "regions": offering.regions,
                    "status": offering.status,
                    "retires": offering.retires or model.retires,
                }
            )
    else:
        for record in catalog.records(kind):
            if provider and kind == "providers" and record.id != provider:
                continue
            row = {"id": record.id}
            for key in ("name", "title", "vendor", "kind", "class", "memory_gb", "price_per_hour",
                        "deployments", "setup_effort", "bits_per_weight", "url"):  # fmt: skip
                value = record.model_dump(by_alias=True, mode="json").get(key)
                if value is not None:
                    row[key] = value
            rows.append(row)
    return rows


def record_facts(record: Record, prefix: str = "") -> list[tuple[str, Any]]:
    data = record.model_dump(by_alias=True, mode="json", exclude_none=True)
    out: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else key)
        else:
            out.append((path, value))

    for key, value in data.items():
        if key in {"id", "source", "as_of", "provenance"}:
            continue
        walk(value, key)
    return out


def show_record(catalog: Catalog, record_id: str) -> list[dict[str, Any]]:
    """Each record with this id, its facts and each fact's source and date."""
    found = catalog.find(record_id)
    if not found:
        raise InputError(
            f"no record with id '{record_id}' in the knowledge base",
            hint=did_you_mean(record_id, catalog.all_ids()) or "see `llmchoose kb list`",
        )
    shown = []
    for kind, record in found:
        origin = catalog.origins[(kind, record_id)]
        entry: dict[str, Any] = {
            "kind": kind,
            "id": record_id,
            "defined_in": f"{origin.file}:{origin.line}",
        }
        if kind == "sources":
            entry["facts"] = [
                {"field": k, "value": v, "source": None, "as_of": None}
                for k, v in record.model_dump(mode="json", exclude_none=True).items()
                if k != "id"
            ]
        else:
            facts = []
            for path, value in record_facts(record):
                prov = record.provenance_of(path)
                src = catalog.sources.get(prov.source)
                facts.append(
                    {
                        "field": path,
                        "value": value,
                        "source": prov.source,
                        "source_url": str(src.url) if src else None,
                        "as_of": prov.as_of.isoformat(),
                    }
                )
            entry["facts"] = facts
            if kind == "models":
                entry["categories"] = model_categories(catalog, record)
        shown.append(entry)
    return shown
