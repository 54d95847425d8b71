"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "AsOfOpt",
    "CriteriaOpt",
    "Format",
    "FormatOpt",
    "KbOpt",
    "Method",
    "MethodOpt",
    "SamplesOpt",
]


class Format(str, Enum):
    table = "table"
    json = "json"


KbOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--kb",
        help="Extra knowledge folder layered over the built-in one (repeatable).",
        show_default=False,
    ),
]
CriteriaOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--criteria",
        help="Extra criteria folder layered over the built-in factors (repeatable).",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]

AsOfOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Evaluate as of this date (YYYY-MM-DD) instead of today, for reproducible output.",
        show_default=False,
    ),
]


class Method(str, Enum):
    weighted_sum = "weighted-sum"
    minmax = "minmax"
    topsis = "topsis"


MethodOpt = Annotated[
    Method | None,
    typer.Option(
        help="Aggregation: weighted-sum of absolute scores (default), minmax (rescaled over "
        "the options compared) or topsis. Default: the file's method."
    ),
]
SamplesOpt = Annotated[
    int,
    typer.Option(
        min=10,
        max=100_000,
        help="Samples of weights and unknown facts for the sensitivity analysis.",
    ),
]
