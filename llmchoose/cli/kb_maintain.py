"""`llmchoose kb sync prices`, `kb import`, `kb diff` and `kb stale`: keep the knowledge
base current. ``register(kb_app)`` adds them to the `kb` command group."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from llmchoose.cli.options import MAX_DAYS, AsOfOpt, Format, FormatOpt, KbOpt
from llmchoose.cli.output import cell, console, print_json

if TYPE_CHECKING:
    from rich.console import JustifyMethod

__all__ = [
    "diff_command",
    "import_command",
    "register",
    "stale_command",
    "sync_prices_command",
]


class CatalogueName(str, Enum):
    genai_prices = "genai-prices"


MappingOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="Your mapping file (same format as the shipped one); default "
        ".llmchoose/genai-prices-map.yaml when it exists.",
        show_default=False,
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Only show what would change.")]
PricesOnOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--prices-on",
        formats=["%Y-%m-%d"],
        help="Take dated prices as in force on this day (default: the as-of date), "
        "e.g. a scheduled price change.",
        show_default=False,
    ),
]


def _today(as_of):
    from llmchoose.cli.commands import today

    return today(as_of)


def _number(value: float | str | None) -> str:
    if isinstance(value, str):  # tiers and scheduled prices come described
        return value
    return "—" if value is None else f"{value:g}"


def _can_prompt() -> bool:
    """A person can answer only on a terminal; CI has no stdin to ask on."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _confirm_or_refuse(question: str) -> bool:
    from llmchoose.errors import InputError

    if not _can_prompt():
        raise InputError(
            "not writing without a confirmation, and there is no terminal to ask on",
            hint="pass --yes to write, or --dry-run to only show the changes",
        )
    return typer.confirm(question, default=False, err=True)


def _table(title: str, columns: list[tuple[str, JustifyMethod]]):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table


def _render_sync(plan) -> None:
    out = console(markup=False)
    if plan.changes:
        table = _table(
            f"{len(plan.changes)} price change(s) from {plan.source}, USD per million tokens",
            [("offering", "left"), ("price", "left"), ("old", "right"), ("new", "right"),
             ("change", "right")],
        )  # fmt: skip
        for change in plan.changes:
            pct = change.percent
            table.add_row(
                change.offering,
                change.field.replace("_", " "),
                _number(change.old),
                _number(change.new),
                "—" if pct is None else f"{pct:+.1f}%",
            )
        out.print(table)
    else:
        out.print(f"No price changes from {plan.source}.")
    if plan.not_synced:
        table = _table(
            f"{len(plan.not_synced)} offering(s) not synced",
            [("offering", "left"), ("why", "left"), ("detail", "left")],
        )
        for row in plan.not_synced:
            table.add_row(row["offering"], row["status"], row["detail"])
        out.print(table)
    talk = console(stderr=True, markup=False)
    changed = {c.offering for c in plan.changes}
    for row in plan.matched:
        if row["offering"] in changed:
            for note in row["notes"]:
                talk.print(f"{row['offering']}: {note}", markup=False)
    for offering, note in plan.scheduled.items():
        if offering not in changed:
            talk.print(f"{offering}: {note}", markup=False)
    if plan.scheduled:
        talk.print("To sync to a scheduled price, run with --as-of set to its date.", markup=False)
    if plan.unmapped_providers:
        providers = ", ".join(f"{p} ({n})" for p, n in sorted(plan.unmapped_providers.items()))
        talk.print(f"Providers without a catalogue mapping: {providers}.", markup=False)
    if any(r["status"] in ("unmatched", "ambiguous") for r in plan.not_synced):
        talk.print(
            "Settle unmatched or ambiguous offerings in a mapping file (--mapping), under "
            "'offerings:', e.g. 'groq/llama-3.3-70b: {provider: groq, model: llama-3.3-70b-versatile}'.",
            markup=False,
        )
    for note in plan.notes:
        talk.print(note, markup=False)


def sync_prices_command(
    source: Annotated[
        CatalogueName, typer.Option("--from", help="The catalogue to read prices from.")
    ] = CatalogueName.genai_prices,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Overlay file to write (default .llmchoose/knowledge/prices/genai-prices.yaml).",
            show_default=False,
        ),
    ] = None,
    mapping: MappingOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
    dry_run: DryRunOpt = False,
    prices_on: PricesOnOpt = None,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Refresh the prices of known offerings from the genai-prices package, into an overlay.

    Shows each price that changes (old, new, percentage) and asks before writing.

    Example: llmchoose kb sync prices --from genai-prices --dry-run
    """
    from llmchoose.kb.kbsync.genai_prices import load_catalogue
    from llmchoose.kb.kbsync.mapping import load_mapping
    from llmchoose.kb.kbsync.sync import DEFAULT_OUTPUT, plan_sync, write_sync

    day = _today(as_of)
    catalogue = load_catalogue(prices_on.date() if prices_on else day)
    plan = plan_sync(
        catalogue, load_mapping(mapping), as_of=day, output=output or DEFAULT_OUTPUT, kb=kb or []
    )
    if fmt is Format.json:
        print_json(plan.as_dict())
    else:
        _render_sync(plan)
    talk = console(stderr=True, markup=False)
    if not plan.needs_write:
        talk.print(f"{plan.output} is up to date; nothing to write.", markup=False)
        return
    if dry_run:
        talk.print("Dry run: nothing written.")
        return
    question = (
        f"Write {len(plan.changes)} price change(s) to {plan.output}?"
        if plan.changes
        else f"Rewrite {plan.output} without the entries it no longer needs (no price changes)?"
    )
    if not yes and not _confirm_or_refuse(question):
        talk.print("Nothing written.")
        return
    path = write_sync(plan)
    talk.print(f"Wrote {path}: {plan.entries} offering(s) priced from {plan.source}.", markup=False)


def _render_import(plan) -> None:
    out = console(markup=False)
    table = _table(
        f"genai-prices {plan.version}: {plan.offerings:,} offerings to import "
        f"from {plan.total:,} catalogue entries",
        [("", "left"), ("count", "right")],
    )
    for category, count in plan.categories.items():
        table.add_row(f"imported as {category}", f"{count:,}")
    table.add_row("already in the knowledge base (not imported)", f"{len(plan.curated):,}")
    table.add_row("no per-token price (not imported)", f"{len(plan.not_priced):,}")
    table.add_row("new providers", f"{len(plan.providers_created):,}")
    for fact, count in sorted(plan.placeholders.items()):
        table.add_row(f"{fact.replace('_', ' ')} unknown (placeholder)", f"{count:,}")
    out.print(table)
    talk = console(stderr=True, markup=False)
    for note in plan.notes:
        talk.print(note, markup=False)


def import_command(
    source: Annotated[
        CatalogueName, typer.Argument(help="The catalogue to import (genai-prices).")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write (default .llmchoose/knowledge/imported/genai-prices); "
            "replaced on every run.",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Import only this catalogue provider (repeatable), e.g. --only openrouter.",
            show_default=False,
        ),
    ] = None,
    mapping: MappingOpt = None,
    dry_run: DryRunOpt = False,
    prices_on: PricesOnOpt = None,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Import a whole price catalogue as extra API options, marked as imported.

    Facts the catalogue lacks are unknown or guessed, and say so.

    Example: llmchoose kb import genai-prices --only openrouter
    """
    from llmchoose.kb.kbsync.genai_prices import load_catalogue
    from llmchoose.kb.kbsync.importer import DEFAULT_IMPORT_DIR, plan_import, write_import
    from llmchoose.kb.kbsync.mapping import load_mapping
    from llmchoose.loading.fileio import prepare_folder

    day = _today(as_of)
    target = prepare_folder(output or DEFAULT_IMPORT_DIR) if not dry_run else output
    catalogue = load_catalogue(prices_on.date() if prices_on else day)
    plan = plan_import(
        catalogue,
        load_mapping(mapping),
        as_of=day,
        output=target or DEFAULT_IMPORT_DIR,
        kb=kb or [],
        only=only or None,
    )
    if fmt is Format.json:
        print_json(plan.as_dict())
    else:
        _render_import(plan)
    talk = console(stderr=True, markup=False)
    if dry_run:
        talk.print("Dry run: nothing written.")
        return
    try:
        path = write_import(plan)
    except OSError as exc:
        from llmchoose.errors import InputError

        raise InputError(f"cannot write: {exc.strerror or exc}", file=plan.output) from None
    talk.print(f"Wrote {len(plan.files)} file(s) to {path}.", markup=False)


def diff_command(
    a: Annotated[Path, typer.Argument(help="The old knowledge folder (or file).")],
    b: Annotated[Path, typer.Argument(help="The new knowledge folder (or file).")],
    provenance: Annotated[
        bool,
        typer.Option(
            "--provenance",
            help="Also list facts whose value stayed but whose source or date moved.",
        ),
    ] = False,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit with 1 when there are differences.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Facts added, removed and changed between two knowledge folders or overlays.

    Example: llmchoose kb diff knowledge-2026-10 knowledge --format json
    """
    from llmchoose.kb.kbsync.diff import diff_knowledge

    result = diff_knowledge(a, b, provenance=provenance)
    if fmt is Format.json:
        print_json(result)
    else:
        rows = result["changes"]
        if rows:
            table = _table(
                f"{len(rows)} difference(s) from {a} to {b}",
                [("change", "left"), ("record", "left"), ("field", "left"), ("old", "left"),
                 ("new", "left"), ("as of", "left")],
            )  # fmt: skip
            for row in rows:
                table.add_row(
                    row["change"],
                    f"{row['kind']} {row['id']}",
                    row["field"],
                    cell(row["old"], "[]"),
                    cell(row["new"], "[]"),
                    cell(row["new_as_of"] or row["old_as_of"], "[]"),
                )
            console(markup=False).print(table)
        counts = ", ".join(f"{n} {change}" for change, n in result["counts"].items())
        console(stderr=True, markup=False).print(f"{counts}.", markup=False)
    if exit_code and result["changes"]:
        raise typer.Exit(1)


def stale_command(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than", help="Age after which a fact is due for review: 180d, 26w, 6m, 1y."
        ),
    ] = "180d",
    within: Annotated[
        str,
        typer.Option("--within", help="Also list retirements due within this time: 90d, 6m …"),
    ] = "90d",
    imported: Annotated[
        bool,
        typer.Option("--imported/--no-imported", help="Include what `kb import` added."),
    ] = True,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit with 1 when anything is listed.")
    ] = False,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Facts due for review, and retirements and deprecations to act on.

    Example: llmchoose kb stale --older-than 180d --within 90d
    """
    from llmchoose.kb.kbsync.stale import parse_age, stale_report
    from llmchoose.loading.knowledge import load_catalog

    day = _today(as_of)
    age, window = parse_age(older_than), parse_age(within)
    for option, days in (("--older-than", age), ("--within", window)):
        if days > MAX_DAYS:
            from llmchoose.errors import InputError

            raise InputError(f"{option}: {days:,} days is more than 100 years", hint="try 5y")
    report = stale_report(
        load_catalog(kb or []),
        today=day,
        older_than_days=age,
        within_days=window,
        imported=imported,
    )
    if fmt is Format.json:
        print_json(report)
    else:
        _render_stale(
            report["stale"], report["lifecycle"], report["source_quality"], day, age, window
        )
    if exit_code and (report["stale"] or report["lifecycle"]):
        raise typer.Exit(1)


def _render_stale(facts, events, quality, day, age, window) -> None:
    out = console(markup=False)
    if events:
        table = _table(
            f"{len(events)} retirement(s) and deprecation(s) as of {day}",
            [("record", "left"), ("event", "left"), ("date", "left"), ("days", "right"),
             ("source", "left")],
        )  # fmt: skip
        for row in events:
            table.add_row(
                f"{row['kind']} {row['id']}",
                row["event"],
                cell(row["date"], "[]"),
                cell(row["days"], "[]"),
                row["source"],
            )
        out.print(table)
    if facts:
        groups: dict[tuple[str, str, str, str], list[str]] = {}
        for row in facts:
            key = (row["kind"], row["id"], row["source"], row["as_of"])
            groups.setdefault(key, []).append(row["field"])
        table = _table(
            f"{len(facts)} fact(s) last checked more than {age} days before {day}",
            [("record", "left"), ("facts", "left"), ("source", "left"), ("as of", "left")],
        )
        for (kind, record_id, source, checked), fields in groups.items():
            shown = ", ".join(fields[:6]) + (f" +{len(fields) - 6} more" if len(fields) > 6 else "")
            table.add_row(f"{kind} {record_id}", shown, source, checked)
        out.print(table)
    if not facts and not events:
        console(stderr=True, markup=False).print(
            f"Nothing due: every fact was checked within {age} days and no retirement "
            f"is due within {window} days."
        )
    console(stderr=True).print(_source_quality_line(quality), markup=False)


def _source_quality_line(quality: dict) -> str:
    copies = quality["by_source_kind"]["third-party-copy"]
    line = (
        f"{copies} of {quality['facts']} facts ({quality['third_party_share']:.0%}) rest on "
        "third-party copies of a page; check those against the original first."
    )
    if quality["conflicts"]:
        pairs = "; ".join(
            f"{c['source']} vs {', '.join(c['conflicts_with'])}" for c in quality["conflicts"]
        )
        line += f" Sources that contradict each other: {pairs}."
    return line


_sync_app = typer.Typer(
    help="Refresh facts of the knowledge base from an outside catalogue.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_sync_app.command("prices")(sync_prices_command)


def register(kb_app: typer.Typer) -> None:
    """Add `sync prices`, `import`, `diff` and `stale` to the `kb` group."""
    kb_app.add_typer(_sync_app, name="sync")
    kb_app.command("import")(import_command)
    kb_app.command("diff")(diff_command)
    kb_app.command("stale")(stale_command)
