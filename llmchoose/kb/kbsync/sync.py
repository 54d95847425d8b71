"""`kb sync prices`: refresh the prices of the offerings the knowledge base knows from
the genai-prices catalogue, into an overlay file that llmchoose owns.

The overlay holds every price that differs from the layers below it, each credited to
the package version and the date of the sync. It is rebuilt from scratch on every run,
so running twice changes nothing and an entry whose offering has gone simply drops out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose.kb.kbsync.genai_prices import REPOSITORY, Catalogue
from llmchoose.kb.kbsync.mapping import Mapping
from llmchoose.kb.kbsync.matching import Match, match_offering
from llmchoose.kb.kbsync.overlay import require_owned
from llmchoose.kb.kbsync.placement import Placement, place
from llmchoose.loading.paths import PROJECT_DIR
from llmchoose.loading.yamlio import atomic_write, load_yaml
from llmchoose.loading.yamlout import dump_records
from llmchoose.schemas.knowledge import Price

__all__ = ["DEFAULT_OUTPUT", "FIELDS", "PriceChange", "SyncPlan", "plan_sync", "write_sync"]

DEFAULT_OUTPUT = Path(PROJECT_DIR) / "knowledge" / "prices" / "genai-prices.yaml"
FIELDS = ("input", "output", "cached_input")
SYNC_MARKER = "# Written by llmchoose kb sync prices"


@dataclass(frozen=True)
class PriceChange:
    """One price that the write changes, in USD per million tokens; for ``tiers`` and
    ``price_changes`` the old and new values are short descriptions."""

    offering: str
    field: str
    old: float | str | None
    new: float | str | None

    @property
    def percent(self) -> float | None:
        if not isinstance(self.old, float | int) or not isinstance(self.new, float | int):
            return None
        if self.old == 0:
            return None
        return round((self.new - self.old) / self.old * 100, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "offering": self.offering,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "percent": self.percent,
        }


@dataclass
class SyncPlan:
    version: str
    source: str
    as_of: dt.date
    output: Path
    in_a_layer: bool
    changes: list[PriceChange]
    matched: list[dict[str, Any]]
    not_synced: list[dict[str, Any]]  # unmatched, ambiguous, unpriced, skipped, overridden
    unmapped_providers: dict[str, int]
    entries: int  # offerings the new file sets a price for
    text: str | None  # the new file; None when nothing needs writing
    imported_skipped: int = 0
    notes: list[str] = field(default_factory=list)
    prices_on: dt.date = dt.date.min
    # Matched offerings whose catalogue price changes on a later day: offering -> words.
    scheduled: dict[str, str] = field(default_factory=dict)

    @property
    def needs_write(self) -> bool:
        return self.text is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "package_version": self.version,
            "as_of": self.as_of.isoformat(),
            "prices_on": self.prices_on.isoformat(),
            "output": str(self.output),
            "changes": [c.as_dict() for c in self.changes],
            "matched": self.matched,
            "not_synced": self.not_synced,
            "unmapped_providers": self.unmapped_providers,
            "entries": self.entries,
            "writes": self.needs_write,
            "notes": self.notes,
        }


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _prices(price: Price | None) -> dict[str, float | None]:
    if price is None:
        return dict.fromkeys(FIELDS)
    return {"input": price.input, "output": price.output, "cached_input": price.cached_input}


def _tier_rows(tiers) -> list[dict[str, Any]]:
    """Tiers (the schema's or the catalogue's) as plain records for the overlay."""
    rows = []
    for tier in tiers:
        row = {"above_input_tokens": tier.above_input_tokens, "input": tier.input,
               "output": tier.output}  # fmt: skip
        if tier.cached_input is not None:
            row["cached_input"] = tier.cached_input
        rows.append(row)
    return rows


def _change_rows(changes) -> list[dict[str, Any]]:
    """Scheduled prices (the schema's or the catalogue's ``(date, price)``) as records."""
    rows = []
    for change in changes:
        starts, price = (change.starts, change.price) if hasattr(change, "starts") else change
        record: dict[str, Any] = {"input": price.input, "output": price.output}
        if price.cached_input is not None:
            record["cached_input"] = price.cached_input
        if price.tiers:
            record["tiers"] = _tier_rows(price.tiers)
        rows.append({"starts": starts, "price": record})
    return rows


def _describe(rows: list[dict[str, Any]]) -> str | None:
    """Tiers or scheduled prices in one short line, for the change table."""
    if not rows:
        return None
    parts = []
    for row in rows:
        price = row.get("price", row)
        when = f"from {row['starts']}" if "starts" in row else f">{row['above_input_tokens']:,}"
        parts.append(f"{when}: {price['input']:g}/{price['output']:g}")
    return "; ".join(parts)


def _same_rows(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    def flat(rows):
        return [
            (str(r.get("starts", r.get("above_input_tokens"))),
             tuple(sorted((k, v) for k, v in r.get("price", r).items() if k in FIELDS)),
             _describe(r.get("price", {}).get("tiers", [])))
            for r in rows
        ]  # fmt: skip

    fa, fb = flat(a), flat(b)
    if len(fa) != len(fb):
        return False
    for (ka, pa, ta), (kb, pb, tb) in zip(fa, fb, strict=True):
        if ka != kb or ta != tb or [k for k, _ in pa] != [k for k, _ in pb]:
            return False
        if not all(_same(x, y) for (_, x), (_, y) in zip(pa, pb, strict=True)):
            return False
    return True


def _shown(offering) -> dict[str, Any]:
    """What an offering shows now: prices, tiers and scheduled prices as plain records."""
    shown: dict[str, Any] = _prices(offering.price)
    shown["tiers"] = _tier_rows(offering.price.tiers) if offering.price else []
    shown["price_changes"] = _change_rows(offering.price_changes)
    return shown


def _entry_fields(base: dict[str, Any], new: Any) -> tuple[dict[str, Any], list[str]]:
    """The price fields the overlay must set so the offering shows the catalogue price."""
    wanted: dict[str, Any] = {"input": new.input, "output": new.output}
    notes: list[str] = []
    if new.cached_input is not None:
        wanted["cached_input"] = new.cached_input
    elif base["cached_input"] is not None and base["cached_input"] > new.input:
        # The old cached price would exceed the new input price: it cannot still hold.
        wanted["cached_input"] = None
        notes.append(
            "the catalogue has no cached-input price and the old one exceeds the new input price; cleared"
        )
    fields = {k: v for k, v in wanted.items() if base["input"] is None or not _same(base[k], v)}
    tiers = _tier_rows(new.tiers)
    if not _same_rows(base.get("tiers", []), tiers):
        fields["tiers"] = tiers
    return fields, notes


def _read_previous(path: Path) -> dict[str, dict[str, Any]]:
    """Price fields the previous output set, by offering id."""
    if not path.is_file():
        return {}
    require_owned(path)
    data = load_yaml(path)
    records = (data.get("offerings") if isinstance(data, dict) else None) or []
    entries: dict[str, dict[str, Any]] = {}
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("price"), dict):
            entries[str(record.get("id"))] = {
                k: v for k, v in record["price"].items() if k in (*FIELDS, "tiers")
            }
            if isinstance(record.get("price_changes"), list):
                entries[str(record.get("id"))]["price_changes"] = record["price_changes"]
    return entries


def _source_record(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "id": catalogue.source_id,
        "title": f"genai-prices {catalogue.version}: prices bundled in the package",
        "url": REPOSITORY,
        "publisher": "Pydantic",
        "note": "Community-maintained price catalogue read from the installed package "
        "(its network update is never used); standard tier in USD per million tokens.",
    }


def _render(
    catalogue: Catalogue,
    as_of: dt.date,
    entries: list[tuple[str, dict[str, Any], list[str]]],
    define_source: bool,
) -> str:
    lines = [
        f"{SYNC_MARKER} --from genai-prices (package {catalogue.version}) on {as_of}"
        + ("." if catalogue.prices_on == as_of else f", prices as on {catalogue.prices_on}."),
        "# Every run rebuilds this file from the layers below it; edit prices in your own",
        "# files instead (a record there takes precedence and is never synced).",
    ]
    if define_source:
        lines.append("sources:")
        lines += _indent(dump_records([_source_record(catalogue)]))
    lines.append("offerings:" if entries else "offerings: []")
    for offering_id, fields, notes in entries:
        lines += [f"  # {note}" for note in notes]
        price = {k: v for k, v in fields.items() if k != "price_changes"}
        record: dict[str, Any] = {"id": offering_id}
        if price:
            record["price"] = price
        if "price_changes" in fields:
            record["price_changes"] = fields["price_changes"]
        record |= {"source": catalogue.source_id, "as_of": as_of}
        lines += _indent(dump_records([record]))
    return "\n".join(lines) + "\n"


def _indent(text: str) -> list[str]:
    return ["  " + line for line in text.rstrip("\n").splitlines()]


def _not_synced(match: Match, status: str | None = None, **extra: Any) -> dict[str, Any]:
    row = {"offering": match.offering, "status": status or match.status, "detail": match.detail}
    if match.model is not None:
        row["catalogue"] = f"{match.model.provider}/{match.model.id}"
    row.update(extra)
    return row


def _overridden(match: Match, base: dict[str, Any], overriding: Any) -> dict[str, Any]:
    """A matched offering whose price a later layer sets: reported, never written."""
    assert match.model is not None and match.model.price is not None
    new = match.model.price
    differs = any(
        not _same(base[k], getattr(new, k)) for k in FIELDS if getattr(new, k) is not None
    )
    return _not_synced(
        match,
        "overridden",
        detail=f"defined in {overriding}; edit the price there",
        catalogue_price={k: getattr(new, k) for k in FIELDS},
        differs=differs,
    )


def _matched_entry(
    plan: SyncPlan, offering_id: str, match: Match, base: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The fields the overlay sets for a matched offering; records the match in the plan."""
    model = match.model
    assert model is not None and model.price is not None
    new = model.price
    fields, notes = _entry_fields(base, new)
    changes = _change_rows(new.changes)
    if not _same_rows(base["price_changes"], changes):
        fields["price_changes"] = changes
    notes = [*new.notes, *notes]
    if match.via_fallback:
        notes.insert(
            0,
            f"priced from {model.provider}'s list: genai-prices falls back to it for {match.asked}",
        )
    if new.schedule_note:
        plan.scheduled[offering_id] = new.schedule_note
    plan.matched.append(
        {
            "offering": offering_id,
            "catalogue": f"{model.provider}/{model.id}",
            "price": {k: getattr(new, k) for k in FIELDS}
            | {"tiers": _tier_rows(new.tiers), "price_changes": changes},
            "written": sorted(fields),
            "deprecated_in_catalogue": model.deprecated,
            "notes": notes,
        }
    )
    return fields, notes


def _changes(baseline, previous, after, overridden) -> list[PriceChange]:
    """What each offering shows now (baseline + previous output) against after the write."""
    changes = []
    for offering_id in sorted(set(previous) | set(after)):
        if offering_id not in baseline.offerings or offering_id in overridden:
            continue
        base = _shown(baseline.offerings[offering_id])
        before = {**base, **previous.get(offering_id, {})}
        now = after.get(offering_id, base)
        for key in FIELDS:
            if not _same(before[key], now[key]):
                changes.append(PriceChange(offering_id, key, before[key], now[key]))
        for key in ("tiers", "price_changes"):
            if not _same_rows(before[key], now[key]):
                changes.append(
                    PriceChange(offering_id, key, _describe(before[key]), _describe(now[key]))
                )
    return changes


def plan_sync(
    catalogue: Catalogue,
    mapping: Mapping,
    *,
    as_of: dt.date,
    output: Path = DEFAULT_OUTPUT,
    kb: list[Path] | tuple[Path, ...] = (),
) -> SyncPlan:
    """Compare the catalogue's prices with the knowledge base; nothing is written."""
    output = Path(output)
    require_owned(output)
    placement: Placement = place(output, kb, skip=output)
    baseline = placement.baseline()
    previous = _read_previous(output)
    plan = SyncPlan(
        version=catalogue.version,
        source=catalogue.source_id,
        as_of=as_of,
        output=output,
        in_a_layer=placement.in_a_layer,
        changes=[],
        matched=[],
        not_synced=[],
        unmapped_providers={},
        entries=0,
        text=None,
        prices_on=catalogue.prices_on,
    )
    if not placement.in_a_layer:
        plan.notes.append(
            f"{output} is not inside a knowledge folder: pass its folder with --kb to use it"
        )
    entries: list[tuple[str, dict[str, Any], list[str]]] = []
    after: dict[str, dict[str, Any]] = {}
    overridden: set[str] = set()
    for offering in baseline.records("offerings"):
        if offering.imported:
            plan.imported_skipped += 1
            continue
        match = match_offering(offering, mapping, catalogue)
        if match.status == "unmapped":
            plan.unmapped_providers[offering.provider] = (
                plan.unmapped_providers.get(offering.provider, 0) + 1
            )
            continue
        if match.status != "matched":
            plan.not_synced.append(_not_synced(match))
            continue
        base = _shown(offering)
        overriding = placement.overridden_by("offerings", offering.id)
        if overriding is not None:
            overridden.add(offering.id)
            plan.not_synced.append(_overridden(match, base, overriding))
            continue
        fields, notes = _matched_entry(plan, offering.id, match, base)
        if fields:
            entries.append((offering.id, fields, notes))
            after[offering.id] = {**base, **fields}
    plan.changes = _changes(baseline, previous, after, overridden)
    dropped = sorted(set(previous) - set(baseline.offerings))
    if dropped:
        plan.notes.append(
            f"{len(dropped)} offering(s) of the previous sync are no longer in the knowledge base "
            f"and are dropped: {', '.join(dropped[:5])}{' …' if len(dropped) > 5 else ''}"
        )
    plan.entries = len(entries)
    stale_file = output.is_file() and (set(previous) != {e[0] for e in entries} or dropped)
    if plan.changes or stale_file or (entries and not output.is_file()):
        plan.text = _render(catalogue, as_of, entries, catalogue.source_id not in baseline.sources)
    return plan


def write_sync(plan: SyncPlan) -> Path:
    """Write the planned overlay atomically."""
    if plan.text is None:
        raise ValueError("nothing to write")
    require_owned(plan.output)
    return atomic_write(plan.output, plan.text)
