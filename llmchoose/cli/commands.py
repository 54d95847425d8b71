"""Top-level commands that run the engine: recommend (and friends)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import AsOfOpt, CriteriaOpt, Format, FormatOpt, KbOpt
from llmchoose.cli.output import console, print_json

__all__ = ["register"]


class Method(str, Enum):
    weighted_sum = "weighted-sum"
    topsis = "topsis"


def load_inputs(kb: list[Path] | None, criteria_dirs: list[Path] | None):
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.knowledge import load_catalog

    return load_catalog(kb or []), load_criteria(criteria_dirs or [])


def today(as_of: dt.datetime | None) -> dt.date:
    return as_of.date() if as_of else dt.date.today()


def recommend_command(
    file: Annotated[Path, typer.Argument(help="Decision file (llm-decision.yaml).")],
    method: Annotated[
        Method | None,
        typer.Option(help="Aggregation method (default: the file's, else weighted-sum)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="How many ranked options to show.")] = 10,
    samples: Annotated[
        int,
        typer.Option(
            min=10, max=100_000, help="Perturbed weight sets for the sensitivity analysis."
        ),
    ] = 1000,
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
    if fmt is Format.json:
        from llmchoose.engine.serialize import recommendation_to_dict

        print_json(recommendation_to_dict(rec, top=top))
        return
    from llmchoose.cli.render import render_recommendation

    render_recommendation(console(), rec, criteria_set, top=top)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_command)
