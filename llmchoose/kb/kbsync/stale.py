"""`kb stale`: facts due for review, and retirements and deprecations to act on.

A fact is due for review when the date it was last checked against its source is older
than a given age. A retirement date that has passed, or comes within a given window,
and a deprecation, are lifecycle events: the record needs updating, and a decision that
relies on the option needs a plan.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from llmchoose.errors import InputError
from llmchoose.loading.catalog import Catalog

__all__ = ["lifecycle_events", "parse_age", "source_quality", "stale_facts", "stale_report"]

_UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_age(text: str) -> int:
    """Days in ``180d``, ``26w``, ``6m`` (30 days each) or ``1y`` (365 days)."""
    found = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", str(text).lower())
    if not found:
        raise InputError(
            f"cannot read the age '{text}'",
            hint="a number of days, weeks, months or years: 180d, 26w, 6m, 1y",
        )
    return int(found.group(1)) * _UNITS[found.group(2) or "d"]


def _stated_facts(record) -> list[str]:
    """Dotted paths of the facts a record states (defaults it never wrote are not facts)."""
    data = record.model_dump(by_alias=True, mode="json", exclude_unset=True, exclude_none=True)
    paths: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                walk(inner, f"{path}.{key}")
        else:
            paths.append(path)

    for key, value in data.items():
        if key not in ("id", "source", "as_of", "provenance"):
            walk(value, key)
    return paths


def _imported_ids(catalog: Catalog) -> set[tuple[str, str]]:
    """Imported offerings, and the models and providers only they use."""
    imported = [o for o in catalog.offerings.values() if o.imported]
    curated = [o for o in catalog.offerings.values() if not o.imported]
    curated_models = {o.model for o in curated}
    curated_providers = {o.provider for o in curated}
    found = {("offerings", o.id) for o in imported}
    found |= {("models", o.model) for o in imported if o.model not in curated_models}
    found |= {
        ("providers", o.provider)
        for o in imported
        if o.provider not in curated_providers and o.provider.startswith("gp.")
    }
    return found


def stale_facts(
    catalog: Catalog, *, today: dt.date, older_than_days: int, imported: bool = True
) -> list[dict[str, Any]]:
    """Every fact last checked more than ``older_than_days`` before ``today``, oldest first.

    ``imported=False`` leaves out what `kb import` added.
    """
    skip = set() if imported else _imported_ids(catalog)
    rows = []
    for kind in catalog.KINDS:
        if kind == "sources":
            continue
        for record in catalog.records(kind):
            if (kind, record.id) in skip:
                continue
            for path in _stated_facts(record):
                prov = record.provenance_of(path)
                age = (today - prov.as_of).days
                if age > older_than_days:
                    source = catalog.sources.get(prov.source)
                    rows.append(
                        {
                            "kind": kind,
                            "id": record.id,
                            "field": path,
                            "source": prov.source,
                            "source_kind": source.kind if source else None,
                            "as_of": prov.as_of.isoformat(),
                            "age_days": age,
                        }
                    )
    rows.sort(key=lambda r: (r["as_of"], r["kind"], r["id"], r["field"]))
    return rows


def source_quality(catalog: Catalog, *, imported: bool = True) -> dict[str, Any]:
    """How many stated facts rest on each kind of source, and on sources in conflict.

    ``third_party_share`` is the share of facts whose source is someone else's copy of
    the page that states them: those are the first to check against the original.
    """
    skip = set() if imported else _imported_ids(catalog)
    by_kind = {"vendor": 0, "independent": 0, "third-party-copy": 0}
    conflicted: set[str] = set()
    for source in catalog.sources.values():
        if source.conflicts_with:
            conflicted |= {source.id, *source.conflicts_with}
    total = in_conflict = 0
    for kind in catalog.KINDS:
        if kind == "sources":
            continue
        for record in catalog.records(kind):
            if (kind, record.id) in skip:
                continue
            for path in _stated_facts(record):
                source_id = record.provenance_of(path).source
                cited = catalog.sources.get(source_id)
                total += 1
                if cited is not None:
                    by_kind[cited.kind] += 1
                in_conflict += source_id in conflicted
    return {
        "facts": total,
        "by_source_kind": by_kind,
        "third_party_share": round(by_kind["third-party-copy"] / total, 4) if total else 0.0,
        "facts_on_conflicting_sources": in_conflict,
        "conflicts": _conflict_pairs(catalog),
    }


def _conflict_pairs(catalog: Catalog) -> list[dict[str, Any]]:
    """Each pair of contradicting sources once, whichever side declared it."""
    seen: set[frozenset[str]] = set()
    pairs = []
    for source in catalog.sources.values():
        for other in source.conflicts_with:
            pair = frozenset((source.id, other))
            if pair not in seen:
                seen.add(pair)
                pairs.append({"source": source.id, "conflicts_with": [other], "note": source.note})
    return pairs


def _event(kind: str, record, what: str, day: dt.date | None, today: dt.date, path: str):
    prov = record.provenance_of(path)
    return {
        "kind": kind,
        "id": record.id,
        "event": what,
        "date": day.isoformat() if day else None,
        "days": None if day is None else (day - today).days,
        "source": prov.source,
        "as_of": prov.as_of.isoformat(),
    }


def lifecycle_events(
    catalog: Catalog, *, today: dt.date, within_days: int, imported: bool = True
) -> list[dict[str, Any]]:
    """Retirements passed or due within ``within_days``, and deprecations, soonest first.

    ``imported=False`` leaves out what `kb import` added. ``event`` is ``retired`` (the date has passed but the record is still listed),
    ``retires`` (due within the window) or ``deprecated`` (announced, or an offering
    whose status says so without a date).
    """
    horizon = today + dt.timedelta(days=within_days)
    skip = set() if imported else _imported_ids(catalog)
    rows = []

    def retirement(kind: str, record, day: dt.date | None) -> None:
        if day is None:
            return
        if day <= today:
            rows.append(_event(kind, record, "retired", day, today, "retires"))
        elif day <= horizon:
            rows.append(_event(kind, record, "retires", day, today, "retires"))

    for model in catalog.records("models"):
        if ("models", model.id) in skip:
            continue
        retirement("models", model, model.retires)
        if (
            model.deprecated is not None
            and model.deprecated <= today
            and (model.retires is None or model.retires > horizon)
        ):
            rows.append(
                _event("models", model, "deprecated", model.deprecated, today, "deprecated")
            )
    for offering in catalog.records("offerings"):
        if ("offerings", offering.id) in skip:
            continue
        retirement("offerings", offering, offering.retires)
        if offering.status == "deprecated" and (
            offering.retires is None or offering.retires > horizon
        ):
            rows.append(_event("offerings", offering, "deprecated", None, today, "status"))
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["kind"], r["id"]))
    return rows


def stale_report(
    catalog: Catalog, *, today: dt.date, older_than_days: int, within_days: int, imported: bool
) -> dict[str, Any]:
    """Everything `kb stale` lists, as plain data: facts due for review, lifecycle
    events within the window, and how the facts are sourced."""
    return {
        "as_of": today.isoformat(),
        "older_than_days": older_than_days,
        "within_days": within_days,
        "stale": stale_facts(
            catalog, today=today, older_than_days=older_than_days, imported=imported
        ),
        "lifecycle": lifecycle_events(
            catalog, today=today, within_days=within_days, imported=imported
        ),
        "source_quality": source_quality(catalog, imported=imported),
    }
