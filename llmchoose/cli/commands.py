"""Top-level commands that run the engine: recommend (and friends)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from llmchoose.cli.options import (
    AsOfOpt,
    CriteriaOpt,
    Format,
    FormatOpt,
    KbOpt,
    MethodOpt,
    SamplesOpt,
    finite,
)
from llmchoose.cli.output import console, print_json

if TYPE_CHECKING:
    from rich.console import JustifyMethod

__all__ = ["register"]


def load_inputs(kb: list[Path] | None, criteria_dirs: list[Path] | None):
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.knowledge import load_catalog

    return load_catalog(kb or []), load_criteria(criteria_dirs or [])


def today(as_of: dt.datetime | None) -> dt.date:
    return as_of.date() if as_of else dt.date.today()


def recommend_command(
    file: Annotated[Path, typer.Argument(help="Decision file (llm-decision.yaml).")],
    method: MethodOpt = None,
    top: Annotated[
        int, typer.Option(min=1, max=100_000, help="How many ranked options to show.")
    ] = 10,
    samples: SamplesOpt = 1000,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rank every option for each workload of a decision file, and explain the ranking.

    Example: llmchoose recommend examples/startup-chatbot.yaml --top 5
    """
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.decision import load_decision

    catalog, criteria_set = load_inputs(kb, criteria)
    decision = load_decision(file, criteria_set)
    rec = recommend(
        decision,
        catalog,
        criteria_set,
        as_of=today(as_of),
        method=method.value if method else None,
        samples=samples,
    )
    from llmchoose.loading.formatting import currency_from_answers, use_currency

    currency = currency_from_answers(decision.answers)
    if fmt is Format.json:
        from llmchoose.engine.serialize import recommendation_to_dict

        # Numbers stay in USD; the currency says how to show them.
        print_json({**recommendation_to_dict(rec, top=top), "currency": currency.as_dict()})
        return
    from llmchoose.cli.render import render_recommendation

    with use_currency(currency):
        render_recommendation(console(), rec, criteria_set, top=top)
        if currency.note():
            console().print(currency.note())


# The cost table's columns and how each lines up.
_COST_COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("option", "left"),
    ("category", "left"),
    ("per month", "right"),
    ("10×", "right"),
    ("100×", "right"),
    ("deployment", "left"),
)


# The options of `cost`.
_CostOptionsOpt = Annotated[
    list[str] | None,
    typer.Argument(help="Option ids (default: every option).", show_default=False),
]
_CostRequestsPerDayOpt = Annotated[
    float, typer.Option(min=0, max=1e9, callback=finite, help="Requests per day.")
]
_CostInputTokensOpt = Annotated[
    int, typer.Option(min=1, max=10_000_000, help="Input tokens per request.")
]
_CostOutputTokensOpt = Annotated[
    int, typer.Option(min=1, max=1_000_000, help="Output tokens per request.")
]
_CostCachedShareOpt = Annotated[
    float,
    typer.Option(min=0, max=1, callback=finite, help="Share of input billed as cached."),
]
_CostPeakFactorOpt = Annotated[
    float,
    typer.Option(min=1, max=100, callback=finite, help="Busiest hour against the average."),
]
_CostOpsHoursOpt = Annotated[
    float,
    typer.Option(min=0, max=744, callback=finite, help="Engineer hours a month to run servers."),
]
_CostManagedOpsHoursOpt = Annotated[
    float,
    typer.Option(
        "--managed-ops-hours",
        min=0,
        max=744,
        callback=finite,
        help="Engineer hours a month to look after a managed endpoint in your cloud account.",
    ),
]
_CostHourlyRateOpt = Annotated[
    float,
    typer.Option(min=0, max=100_000, callback=finite, help="Cost of an engineer hour, USD."),
]


def cost_command(
    options: _CostOptionsOpt = None,
    requests_per_day: _CostRequestsPerDayOpt = 1000,
    input_tokens: _CostInputTokensOpt = 1500,
    output_tokens: _CostOutputTokensOpt = 300,
    cached_share: _CostCachedShareOpt = 0.0,
    peak_factor: _CostPeakFactorOpt = 3.0,
    ops_hours: _CostOpsHoursOpt = 20,
    managed_ops_hours: _CostManagedOpsHoursOpt = 5,
    hourly_rate: _CostHourlyRateOpt = 100,
    category: Annotated[str | None, typer.Option(help="Only options of this category.")] = None,
    top: Annotated[int, typer.Option(min=1, max=100_000, help="Rows to show in the table.")] = 25,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Monthly cost of a load on each option: today, at 10× and at 100×, cheapest first.

    Example: llmchoose cost openai/gpt-5.1 vllm/llama-3.3-70b-instruct --requests-per-day 50000
    """
    from llmchoose.engine.costview import cost_rows
    from llmchoose.engine.usage import Usage
    from llmchoose.kb.kbview import CATEGORIES
    from llmchoose.loading.knowledge import load_catalog

    if category is not None and category not in CATEGORIES:
        from llmchoose.errors import InputError, did_you_mean

        raise InputError(f"unknown category '{category}'", hint=did_you_mean(category, CATEGORIES))
    usage = Usage(
        requests_per_day=requests_per_day,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_share=cached_share,
        peak_factor=peak_factor,
        ops_hours_per_month=ops_hours,
        managed_ops_hours_per_month=managed_ops_hours,
        engineer_hourly_rate=hourly_rate,
    )
    result = cost_rows(
        load_catalog(kb or []), usage, as_of=today(as_of), option_ids=options, category=category
    )
    if fmt is Format.json:
        print_json(result)
        return
    from rich.table import Table

    from llmchoose.loading.formatting import money

    table = Table(
        title=f"{requests_per_day:,.0f} requests/day · {input_tokens:,} in / {output_tokens:,} out tokens",
        title_justify="left",
    )
    for column, justify in _COST_COLUMNS:
        table.add_column(column, justify=justify, overflow="fold")
    for row in result["rows"][:top]:
        table.add_row(
            row["id"],
            row["category"],
            money(row["monthly"]),
            money(row["monthly_10x"]),
            money(row["monthly_100x"]),
            row.get("deployment", "per token"),
        )
    out = console(markup=False)
    out.print(table)
    for line in _break_even_lines(result["rows"][:top], requests_per_day)[:5]:
        out.print(line)


def _break_even_lines(rows: list[dict], requests_per_day: float) -> list[str]:
    """Where each self-hosted row first costs no more than each API row listed."""
    lines = []
    for row in rows:
        for api, volume in (row.get("break_even") or {}).items():
            if volume is None:
                lines.append(f"{row['id']} stays dearer than {api} up to 1e9 requests/day.")
                continue
            where = ""
            if requests_per_day:
                times = volume / requests_per_day
                where = (
                    f" ({times:,.0f}× this load)" if times >= 10 else f" ({times:.1f}× this load)"
                )
            lines.append(
                f"{row['id']} costs no more than {api} from about {volume:,} requests/day{where}."
            )
    return lines


def questions_command(
    criteria: CriteriaOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List every question of the decision factors: id, type, allowed answers, default.

    Example: llmchoose questions --format json
    """
    from llmchoose.loading.criteria import load_criteria, question_rows

    rows = question_rows(load_criteria(criteria or []))
    if fmt is Format.json:
        print_json(rows)
        return
    from rich.table import Table

    # Ids are what people copy into answers files: never wrap them. The factor heads its
    # group of rows instead of taking a column, so 80 columns suffice.
    table = Table(
        title=f"{len(rows)} questions",
        title_justify="left",
        box=None,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    widest = max((len(row["id"]) for row in rows), default=2)
    longest_value = max(
        (len(v) for row in rows for v in row["allowed"] if " " not in v), default=18
    )
    table.add_column("id", no_wrap=True, min_width=widest)
    table.add_column("scope", no_wrap=True)
    table.add_column("type", no_wrap=True)
    # One allowed value a line: choice values are ids too, and ranges wrap at spaces.
    table.add_column("allowed", overflow="fold", min_width=max(18, longest_value))
    table.add_column("default", no_wrap=True, min_width=13)
    factor = None
    for row in rows:
        if row["factor"] != factor:
            factor = row["factor"]
            table.add_row(f"[bold]{factor}:[/bold]", "", "", "", "")
        default = row["default"]
        table.add_row(row["id"], row["scope"], row["type"], "\n".join(row["allowed"]),
                      "—" if default is None else str(default))  # fmt: skip
    console(markup=False).print(table)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_command)
    app.command("cost")(cost_command)
    app.command("questions")(questions_command)
