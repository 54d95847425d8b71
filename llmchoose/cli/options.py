"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
import math
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "EARLIEST",
    "LATEST",
    "MAX_DAYS",
    "AsOfOpt",
    "CriteriaOpt",
    "Format",
    "FormatOpt",
    "KbOpt",
    "Method",
    "MethodOpt",
    "SamplesOpt",
    "finite",
]

# The dates and spans a decision can sensibly be evaluated at: far enough either side of
# today for any "what if", near enough that date arithmetic never leaves the calendar.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2999, 12, 31)
MAX_DAYS = 100 * 365


def finite(value: float | None) -> float | None:
    """Option callback: refuse NaN (which passes every range check) and infinities."""
    if isinstance(value, float) and not math.isfinite(value):
        raise typer.BadParameter("expected a finite number")
    return value


def _sensible_date(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and not EARLIEST <= value.date() <= LATEST:
        raise typer.BadParameter(
            f"expected a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"
        )
    return value


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
        callback=_sensible_date,
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
