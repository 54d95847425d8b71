"""Every source behind the facts a report uses, with the dates they were checked."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from llmchoose.engine.recommend import Recommendation
from llmchoose.loading.catalog import Catalog

__all__ = ["STALE_DAYS", "collect_sources", "source_quality"]

STALE_DAYS = 180  # a fact checked longer ago than this is flagged in the report
MAX_USES = 8  # uses named per source; the rest are counted


def _records(catalog: Catalog, option_id: str, facts: dict[str, Any] | None):
    """(kind label, record) pairs an option is made of."""
    found: list[tuple[str, Any]] = []
    offering = catalog.offerings.get(option_id)
    if offering is not None:
        found.append(("offering", offering))
        provider = catalog.providers.get(offering.provider)
        if provider is not None:
            found.append(("provider", provider))
        model = catalog.models.get(offering.model)
        if model is not None:
            found.append(("model", model))
        return found
    facts = facts or {}
    runtime_id, _, model_id = option_id.removesuffix("@device").partition("/")
    for kind, table, key in (
        ("runtime", catalog.runtimes, facts.get("runtime") or runtime_id),
        ("model", catalog.models, facts.get("model") or model_id),
        ("hardware", catalog.hardware, facts.get("hardware")),
        ("quantization", catalog.quantizations, facts.get("quantization")),
    ):
        record = table.get(key or "")
        if record is not None:
            found.append((kind, record))
    return found


def _label(kind: str, record: Any) -> str:
    name = getattr(record, "name", None)
    return f"{name} ({kind})" if name else f"{record.id} ({kind})"


def collect_sources(catalog: Catalog, rec: Recommendation, as_of: dt.date) -> list[dict[str, Any]]:
    """Sources of every record behind the ranked and ruled-out options and the assumptions."""
    uses: dict[str, dict[str, Any]] = {}

    def cite(source: str, day: dt.date, record: str, path: str = "") -> None:
        entry = uses.setdefault(source, {"dates": set(), "uses": {}})
        entry["dates"].add(day)
        entry["uses"].setdefault(record, set()).add(path)

    seen: set[tuple[str, str]] = set()
    for result in rec.workloads:
        items = [(r.id, r.option.facts if r.option else None) for r in result.ranked]
        items += [(e["id"], None) for e in result.eliminated]
        for option_id, facts in items:
            for kind, record in _records(catalog, option_id, facts):
                if (kind, record.id) in seen:
                    continue
                seen.add((kind, record.id))
                label = _label(kind, record)
                cite(record.source, record.as_of, label)
                for path, prov in sorted(record.provenance.items()):
                    cite(prov.source, prov.as_of, label, path)
    for assumption in catalog.records("assumptions"):
        cite(assumption.source, assumption.as_of, f"{assumption.id} (assumption)")
    out = []
    titles = {k: (catalog.sources[k].title if k in catalog.sources else k) for k in uses}
    for source_id in sorted(uses, key=lambda k: (titles[k].casefold(), k)):
        source = catalog.sources.get(source_id)
        dates = sorted(uses[source_id]["dates"])
        used = [
            record if paths == {""} else f"{record}: {', '.join(sorted(p for p in paths if p))}"
            for record, paths in sorted(uses[source_id]["uses"].items())
        ]
        latest = dates[-1]
        age = (as_of - latest).days
        url = str(source.url) if source is not None else None
        host = urlsplit(url).hostname if url else None
        out.append(
            {
                "id": source_id,
                "title": source.title if source is not None else source_id,
                "publisher": source.publisher if source is not None else None,
                "url": url if url and url.startswith(("https://", "http://")) else None,
                "host": (host or "").removeprefix("www.") or None,
                "note": source.note if source is not None else None,
                "checked": latest.isoformat(),
                "earliest": dates[0].isoformat(),
                "dates": [d.isoformat() for d in dates],
                "age_days": age,
                "stale": age > STALE_DAYS,
                "used_for": used[:MAX_USES],
                "more_uses": max(0, len(used) - MAX_USES),
                "kind": source.kind if source is not None else None,
                "conflicts_with": _contradicted_by(catalog, source_id),
                "uses": sum(len(paths) for paths in uses[source_id]["uses"].values()),
            }
        )
    return out


def _contradicted_by(catalog: Catalog, source_id: str) -> list[str]:
    """Sources that contradict this one, whichever side declared the conflict."""
    found = (
        set(catalog.sources[source_id].conflicts_with) if source_id in catalog.sources else set()
    )
    found |= {s.id for s in catalog.sources.values() if source_id in s.conflicts_with}
    return sorted(found)


def source_quality(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """How much of what a report cites rests on third-party copies or contradicted sources."""
    uses = sum(s["uses"] for s in sources) or 1
    copied = sum(s["uses"] for s in sources if s["kind"] == "third-party-copy")
    return {
        "third_party_share": round(copied / uses, 4),
        "third_party_sources": sum(1 for s in sources if s["kind"] == "third-party-copy"),
        "contradicted_sources": [s["id"] for s in sources if s["conflicts_with"]],
    }
