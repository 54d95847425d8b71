"""Jinja's immutable sandbox with bounds on size and time, for user templates.

The sandbox stops a template from reaching Python internals; it does not stop one from
asking for ``9 ** 9999999999`` (which Jinja would even try to fold while compiling),
``"x" * 3000000000`` or ``"x"|center(3000000000)``, or from looping for hours. Here:

- ``**``, ``*`` and ``%`` are intercepted (which also stops compile-time folding) and
  refused when the result would be a huge number or string;
- every filter and every call a template makes is refused when an integer argument or
  a format width is beyond :data:`MAX_TEXT`, and when it returns text longer than that;
- the whole output is streamed and stops at :data:`MAX_OUTPUT` characters;
- rendering stops after :data:`MAX_SECONDS` (on the main thread, where a timer can run).
"""

from __future__ import annotations

import functools
import math
import re
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

__all__ = [
    "MAX_OUTPUT",
    "MAX_SECONDS",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEXT",
    "BoundedSandbox",
    "RegularFileLoader",
    "time_limit",
]

MAX_TEXT = 10_000_000  # characters in one value, or an integer argument's size
MAX_OUTPUT = 50_000_000  # characters in a whole report
MAX_SECONDS = 30
MAX_TEMPLATE_BYTES = 1_000_000
_MAX_INT_BITS = 4096  # integers a template computes (a 1,233-digit number)
_WIDE_FORMAT = re.compile(r"\d{8,}")  # a %-format or str.format width of 10^7 or more


def _too_big(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value.bit_length() > _MAX_INT_BITS
    if isinstance(value, str | bytes | list | tuple):
        return len(value) > MAX_TEXT
    return False


# Filters and str methods whose integer argument is the size of the text they return.
_SIZED = {"center", "indent", "wordwrap", "ljust", "rjust", "zfill", "expandtabs"}


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise SecurityError(f"the width {value:,} is too large for a template")


def _bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses a huge width and a huge result."""
    # pass_context / pass_eval_context / pass_environment filters get one extra argument.
    first = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _SIZED:
            _check_args(args[first:], kwargs)
        if name == "format" and len(args) >= first and isinstance(args[first - 1], str):
            _check_format(args[first - 1])
        result = function(*args, **kwargs)
        if _too_big(result):
            raise SecurityError("a template value grew too large")
        return result

    return bounded


def _check_format(text: str) -> None:
    if _WIDE_FORMAT.search(text):
        raise SecurityError("a format width in the template is too large")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every filter and call bounded in size."""

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = _BoundedFilters(self.filters)
        self.globals["namespace"] = _BoundedNamespace

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _power_too_big(left, right):
            raise SecurityError("a power in the template would be too large")
        if operator == "*" and _product_too_big(left, right):
            raise SecurityError("a product in the template would be too large")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        result = super().call_binop(context, operator, left, right)
        if _too_big(result):
            raise SecurityError("a template value grew too large")
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # The sandbox hands out str.format wrapped; the wrapper keeps the bound method.
        bound = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(bound, "__self__", None)
        method = getattr(bound, "__name__", "")
        if isinstance(owner, str) and method in _SIZED:
            _check_args(args, kwargs)
        if isinstance(owner, str) and method in ("format", "format_map"):
            _check_format(owner)
        result = super().call(__context, __obj, *args, **kwargs)
        if _too_big(result):
            raise SecurityError("a template value grew too large")
        return result


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot grow past MAX_TEXT (a doubling loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if _too_big(value):
            raise SecurityError("a template value grew too large")
        super().__setitem__(name, value)


class _BoundedFilters(dict):
    """The filter table, each filter wrapped on the way in (user code may add more)."""

    def __init__(self, filters: dict[str, Any]) -> None:
        super().__init__()
        self.update(filters)

    def __setitem__(self, name: str, function: Any) -> None:
        super().__setitem__(name, _bounded(name, function))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, function in dict(*args, **kwargs).items():
            self[name] = function


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _power_too_big(base: Any, exponent: Any) -> bool:
    if not (_number(base) and _number(exponent)) or abs(base) <= 1 or exponent <= 0:
        return False
    return exponent * math.log2(abs(base)) > _MAX_INT_BITS


def _product_too_big(left: Any, right: Any) -> bool:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * max(times, 0) > MAX_TEXT
    if isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length() > _MAX_INT_BITS
    return False


class RegularFileLoader(FileSystemLoader):
    """A template folder from which only regular files under a size limit are read:
    a FIFO named like a template would block forever, a device never end."""

    def get_source(self, environment: Any, template: str) -> Any:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            try:
                info = path.stat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                raise SecurityError(f"template {template} is not a regular file")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise SecurityError(
                    f"template {template} is {info.st_size:,} bytes; the limit is "
                    f"{MAX_TEMPLATE_BYTES:,}"
                )
            break
        return super().get_source(environment, template)


class TemplateTimeout(Exception):
    """Rendering took longer than MAX_SECONDS."""


@contextmanager
def time_limit(seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Raise TemplateTimeout inside the block after ``seconds`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TemplateTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    if outer and outer < seconds:  # a caller's own, shorter limit comes first
        signal.signal(signal.SIGALRM, previous)
        signal.setitimer(signal.ITIMER_REAL, outer)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # give the caller's timer back what is left of it
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render streaming, stopping at MAX_OUTPUT characters and MAX_SECONDS."""
    parts: list[str] = []
    size = 0
    with time_limit():
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the report would be over {MAX_OUTPUT:,} characters")
            parts.append(chunk)
    return "".join(parts)
