"""Plain-data views of the knowledge base for `kb list` and `kb show`."""

from __future__ import annotations

from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.schemas.knowledge import Model, Record
from llmchoose.schemas.vocabulary import (
    CATEGORIES,
    HOSTED_OPEN_WEIGHTS,
    MANAGED_IN_ACCOUNT,
    ON_DEVICE,
    PROPRIETARY_API,
    SELF_HOSTED,
)

__all__ = [
    "CATEGORIES",
    "LIST_KINDS",
    "list_rows",
    "model_categories",
    "record_facts",
    "show_record",
    "third_party_share",
]

LIST_KINDS = (
    "models",
    "offerings",
    "providers",
    "runtimes",
    "hardware",
    "quantizations",
    "sources",
    "managed_endpoints",
)
_ON_DEVICE = {"laptop", "edge", "browser", "phone", "tablet", "desktop"}


def model_categories(catalog: Catalog, model: Model) -> list[str]:
    """The kinds of deployment the knowledge base offers for a model."""
    found = set()
    if any(o.model == model.id for o in catalog.offerings.values()):
        found.add(HOSTED_OPEN_WEIGHTS if model.open_weights else PROPRIETARY_API)
    if model.open_weights:
        for runtime in catalog.runtimes.values():
            if runtime.supported_models is not None and model.id not in runtime.supported_models:
                continue
            if {"server", "workstation"} & set(runtime.deployments):
                found.add(SELF_HOSTED)
            if _ON_DEVICE & set(runtime.deployments):
                found.add(ON_DEVICE)
        for service in catalog.managed_endpoints.values():
            allowed = catalog.runtimes[service.runtime].supported_models
            if allowed is None or model.id in allowed:
                found.add(MANAGED_IN_ACCOUNT)
    return [c for c in CATEGORIES if c in found]


def _offering_category(catalog: Catalog, offering) -> str:
    model = catalog.models[offering.model]
    return HOSTED_OPEN_WEIGHTS if model.open_weights else PROPRIETARY_API


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
    if kind == "models":
        return _model_rows(catalog, provider, open_weights, category)
    if kind == "offerings":
        return _offering_rows(catalog, provider, open_weights, category)
    rows: list[dict[str, Any]] = []
    for record in catalog.records(kind):
        if provider and kind == "providers" and record.id != provider:
            continue
        row = {"id": record.id}
        for key in ("name", "title", "vendor", "kind", "class", "memory_gb", "price_per_hour",
                    "deployments", "setup_effort", "bits_per_weight", "url",
                    "conflicts_with", "service", "runtime", "price_region"):  # fmt: skip
            value = record.model_dump(by_alias=True, mode="json").get(key)
            if value not in (None, []):
                row[key] = value
        if kind == "managed_endpoints":
            row["instances"] = [_instance_text(i) for i in record.instances]
        if kind != "sources":
            row["third_party_share"] = third_party_share(catalog, record)
        rows.append(row)
    return rows


def _instance_text(instance) -> str:
    """One instance type in a listing: its GPUs and hourly price (or that it is unknown)."""
    price = "price unknown" if instance.price_per_hour is None else f"${instance.price_per_hour}/h"
    return f"{instance.type}: {instance.gpus} x {instance.hardware}, {price}"


def _model_rows(catalog: Catalog, provider, open_weights, category) -> list[dict[str, Any]]:
    rows = []
    for model in catalog.records("models"):
        cats = model_categories(catalog, model)
        served_by = sorted({o.provider for o in catalog.offerings.values() if o.model == model.id})
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
                "third_party_share": third_party_share(catalog, model),
            }
        )
    return rows


def _offering_rows(catalog: Catalog, provider, open_weights, category) -> list[dict[str, Any]]:
    rows = []
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
                "tiers": _tiers(price),
                "price_changes": _price_changes(offering),
                "batch_discount": offering.batch_discount,
                **_speed(offering),
                "regions": offering.regions,
                "status": offering.status,
                "retires": offering.retires or model.retires,
                "third_party_share": third_party_share(catalog, offering),
            }
        )
    return rows


def _price_changes(offering) -> list[dict[str, Any]]:
    return [
        {
            "starts": c.starts.isoformat(),
            "input": c.price.input,
            "output": c.price.output,
            "cached_input": c.price.cached_input,
            "tiers": _tiers(c.price),
        }
        for c in offering.price_changes
    ]


def _tiers(price) -> list[dict[str, Any]]:
    if price is None:
        return []
    return [t.model_dump(mode="json", exclude_none=True) for t in price.tiers]


def _speed(offering) -> dict[str, Any]:
    """The offering's measured speed and what it rests on."""
    perf = offering.performance
    basis = ("stand-in" if perf.stand_in else "measured") if perf.known else None
    return {
        "output_tokens_per_s": perf.output_tokens_per_s,
        "ttft_s": perf.ttft_s,
        "speed_basis": basis,
        "speed_method": perf.method,
        "speed_percentile": perf.percentile,
        "speed_measured": perf.measured.isoformat() if perf.measured else None,
        "speed_stand_in": perf.stand_in,
    }


def third_party_share(catalog: Catalog, record: Record) -> float:
    """Share of a record's facts whose source is a third party's copy of a page."""
    facts = record_facts(record)
    if not facts:
        return 0.0
    copies = 0
    for path, _value in facts:
        source = catalog.sources.get(record.provenance_of(path).source)
        copies += source is not None and source.kind == "third-party-copy"
    return round(copies / len(facts), 4)


def record_facts(record: Record, prefix: str = "") -> list[tuple[str, Any]]:
    data = record.model_dump(by_alias=True, mode="json", exclude_none=True)
    out: list[tuple[str, Any]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else key)
        elif value not in ({}, []):  # an empty default (no tiers, no speed) states nothing
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
                        "source_kind": src.kind if src else None,
                        "conflicts_with": list(src.conflicts_with) if src else [],
                        "as_of": prov.as_of.isoformat(),
                    }
                )
            entry["facts"] = facts
            entry["third_party_share"] = third_party_share(catalog, record)
            if kind == "models":
                entry["categories"] = model_categories(catalog, record)
        shown.append(entry)
    return shown
