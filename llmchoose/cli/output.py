"""Rendering helpers: data on stdout, talk on stderr, colour only on a terminal."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from typing import Any

from llmchoose.errors import LlmchooseError
from llmchoose.loading.safetext import plain_safe

__all__ = [
    "cell",
    "console",
    "emit",
    "err_console",
    "markup_safe",
    "plain_safe",
    "print_error",
    "print_json",
]


def markup_safe(value: Any) -> str:
    """Data for a rich console or table cell: never read as markup, never a control."""
    from rich.markup import escape

    return escape(plain_safe(value))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _finite(value: Any) -> Any:
    """Data with every NaN or infinity as null: JSON has no word for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def to_json(data: Any) -> str:
    """Strict JSON (never ``Infinity`` or ``NaN``, which parsers refuse)."""
    try:
        return json.dumps(
            data, indent=2, default=_json_default, ensure_ascii=False, allow_nan=False
        )
    except ValueError:
        plain = json.loads(json.dumps(data, default=_json_default))
        return json.dumps(_finite(plain), indent=2, ensure_ascii=False, allow_nan=False)


def print_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def console(stderr: bool = False, *, markup: bool = True):
    """A rich console that respects NO_COLOR and non-terminal output.

    ``markup=False`` for output that is all data (tables of records): then no bracket in
    a name is ever read as a style tag. Where a layout mixes its own tags with data, the
    data goes through :func:`markup_safe`.
    """
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        soft_wrap=False,
        markup=markup,
    )


def err_console():
    return console(stderr=True)


def print_error(exc: LlmchooseError) -> None:
    where = exc.location()
    message = f"Error: {where}: {exc.message}" if where else f"Error: {exc.message}"
    if exc.hint:
        message += f" ({exc.hint})"
    sys.stderr.write(plain_safe(message) + "\n")


def cell(value: Any, empty: str = "—") -> str:
    """A value as a table cell: dashes for unknown, yes/no, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or empty
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def emit(text: str, output=None) -> None:
    """Rendered text to stdout, or atomically to ``output`` with a line on stderr."""
    if output is None:
        sys.stdout.write(text)
        return
    from llmchoose.loading.yamlio import atomic_write

    written = atomic_write(output, text, as_yaml=False)  # a report, whatever its name
    sys.stderr.write(plain_safe(f"Wrote {written} ({len(text.encode('utf-8')):,} bytes).") + "\n")
