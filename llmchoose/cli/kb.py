"""`llmchoose kb …`: look into and check the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import CriteriaOpt, Format, FormatOpt, KbOpt
from llmchoose.cli.output import cell, console, print_json

__all__ = ["register"]


def _catalog(kb: list[Path] | None):
    from llmchoose.loading.knowledge import load_catalog

    return load_catalog(kb or [])


def list_command(
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="models, offerings, providers, runtimes, hardware, quantizations, sources or "
            "managed_endpoints.",
        ),
    ] = "models",
    provider: Annotated[str | None, typer.Option(help="Only what this provider serves.")] = None,
    open_weights: Annotated[
        bool | None,
        typer.Option(
            "--open-weights/--closed",
            help="Only open-weights or only closed models.",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            help="proprietary-api, hosted-open-weights, managed-in-account, self-hosted or "
            "on-device."
        ),
    ] = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List models (or other records) in the knowledge base.

    Example: llmchoose kb list --open-weights --category on-device
    """
    from llmchoose.kb.kbview import list_rows

    rows = list_rows(
        _catalog(kb), kind, provider=provider, open_weights=open_weights, category=category
    )
    if fmt is Format.json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} {kind}", title_justify="left")
    # The table keeps to what fits a terminal; --format json has every field.
    hidden = {"speed_method", "speed_percentile", "speed_stand_in", "third_party_share"}
    columns = [c for c in rows[0] if c not in hidden] if rows else ["id"]
    for row in rows:
        for key in ("tiers", "price_changes"):
            if row.get(key):
                row[key] = [_price_step(step) for step in row[key]]
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    shares = [row["third_party_share"] for row in rows if "third_party_share" in row]
    if shares:
        table.caption = (
            f"{sum(shares) / len(shares):.0%} of these records' facts (mean) rest on "
            "third-party copies of a page."
        )
    console(markup=False).print(table)


def _price_step(step: dict) -> str:
    """A tier or scheduled price as one short cell: '>200000: 2.5/15'."""
    when = f"from {step['starts']}" if "starts" in step else f">{step['above_input_tokens']}"
    return f"{when}: {step['input']:g}/{step['output']:g}"


def show_command(
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="Id of a model, offering, provider …")
    ],
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Show one record: every fact with its source and date.

    Example: llmchoose kb show llama-3.3-70b-instruct
    """
    from llmchoose.kb.kbview import show_record

    entries = show_record(_catalog(kb), record_id)
    if fmt is Format.json:
        print_json(entries)
        return
    from rich.table import Table

    out = console(markup=False)
    for entry in entries:
        table = Table(
            title=f"{entry['kind'][:-1] if entry['kind'] != 'hardware' else 'hardware'} {entry['id']}",
            caption=f"defined in {entry['defined_in']}",
            title_justify="left",
        )
        for column in ("field", "value", "source", "as of"):
            table.add_column(column, overflow="fold")
        for fact in entry["facts"]:
            table.add_row(
                fact["field"], cell(fact["value"]), cell(fact["source"]), cell(fact["as_of"])
            )
        out.print(table)
        if entry.get("categories"):
            out.print("Deployable as: " + ", ".join(entry["categories"]))
        if entry.get("third_party_share"):
            out.print(
                f"{entry['third_party_share']:.0%} of these facts rest on a third party's copy "
                "of a page (see each source's note)."
            )
        pairs = sorted(
            {f"{f['source']} (contradicted by {', '.join(f['conflicts_with'])})"
             for f in entry["facts"] if f.get("conflicts_with")}
        )  # fmt: skip
        if pairs:
            out.print("Facts rest on sources that other sources contradict: " + "; ".join(pairs))


def validate_command(
    folder: Annotated[
        Path | None,
        typer.Argument(help="A knowledge folder to check as a layer over the built-in one."),
    ] = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Check the knowledge base: schema, ids, references, and a source and date for every fact.

    Example: llmchoose kb validate .llmchoose/knowledge
    """
    from llmchoose.kb.kbcheck import validate_knowledge

    report = validate_knowledge([*(kb or []), *([folder] if folder else [])], criteria or [])
    if fmt is Format.json:
        print_json(report)
        if not report["ok"]:
            # The problems are in the JSON; the exit code still gets its one-line reason.
            sys.stderr.write(f"{len(report['errors'])} problem(s) found; see the JSON report.\n")
    else:
        out = console(stderr=not report["ok"], markup=False)
        if report["ok"]:
            counts = ", ".join(f"{n} {k}" for k, n in report["counts"].items())
            out.print(
                f"Knowledge base is valid: {counts}; {report['facts']} facts, each with a source and date."
            )
        else:
            for problem in report["errors"]:
                where = (
                    f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
                )
                text = f"{where}: {problem['message']}" if where else problem["message"]
                if problem["hint"]:
                    text += f" ({problem['hint']})"
                out.print(text, markup=False)
            out.print(f"{len(report['errors'])} problem(s) found.")
    if not report["ok"]:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the `kb` group: list, show and validate, and the maintenance commands."""
    from llmchoose.cli import kb_maintain

    group = typer.Typer(
        help="Look into and check the knowledge base.", no_args_is_help=True, rich_markup_mode=None
    )
    group.command("list")(list_command)
    group.command("show")(show_command)
    group.command("validate")(validate_command)
    kb_maintain.register(group)
    app.add_typer(group, name="kb")
