"""Render a report view model with Jinja templates, safely.

- Templates are looked up in the user's ``--template-dir`` first, then the built-in
  ``reports/templates``, so any template or partial can be overridden by name.
- Every template runs in Jinja's immutable sandbox: a template can read the view model
  and call the filters below, but cannot reach Python internals (``__class__``,
  ``__globals__`` …) or change the data it is given.
- In the HTML format every value a template prints is HTML-escaped. In the Markdown
  format every value is escaped for Markdown instead: characters that would start
  emphasis, a link, raw HTML or a table cell are backslash-escaped and line breaks are
  folded, so text from the knowledge base can never change the document's structure.
  ``|safe`` opts out in either format.
- Anything that goes wrong in a template becomes one :class:`InputError` naming the
  template file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.formatting import compact, money, number, pct, requests, seconds
from llmchoose.loading.safetext import CONTROL as _CONTROL
from llmchoose.report import charts
from llmchoose.report.diagram import hybrid_diagram

__all__ = ["FORMATS", "Renderer", "css_string", "md_escape", "render", "template_dirs"]

FORMATS = {"md": "report.md.j2", "html": "report.html.j2"}

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What would open a block if a value started a line: "1." / "1)" lists, "-", "+", "#", "=".
_MD_LINE_START = re.compile(r"^(?:(\d{1,9})([.)])(?=\s|$)|([-+#=]))")


def _md_inline(text: str) -> str:
    text = re.sub(r"\s+", " ", text)  # no line breaks: a value cannot start a new block
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), text
    )


def md_escape(value: Any):
    """Text made inert in Markdown: inline markup escaped, breaks folded into spaces."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Markup(str(value))  # a number cannot carry markup
    return Markup(_md_inline("" if value is None else str(value)))


def css_string(value: Any):
    """A CSS string literal that cannot end the string, the rule or the style element."""
    from markupsafe import Markup

    text = "" if value is None else " ".join(str(value).split())
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:;-–—()'/&@!?":
            out.append("\\27 " if ch == "'" else ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def _blocks(value: float | None, width: int = 10) -> str:
    if value is None:
        return ""
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


def _spark(value: float | None) -> str:
    if value is None:
        return " "
    return "▁▂▃▄▅▆▇█"[min(7, int(max(0.0, min(1.0, value)) * 8))]


def _heat(value: float | None) -> str:
    """A CSS class for a 0..1 value in eleven steps: h0 … h10."""
    if value is None:
        return "h-none"
    return f"h{round(max(0.0, min(1.0, value)) * 10)}"


def _fixed(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _md_url(value: Any):
    """A link destination for Markdown: http(s) only, angle-bracketed, brackets escaped."""
    from markupsafe import Markup

    text = str(value or "")
    if not text.startswith(("https://", "http://")):
        return Markup("")
    return Markup("<" + text.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">")


def _md_join(items: Any, separator: str = "") -> Any:
    from markupsafe import Markup

    return Markup(md_escape(separator)).join(md_escape(item) for item in items)


def _svg_filters() -> dict[str, Any]:
    return {
        "scores_chart": charts.scores_chart,
        "profile_chart": charts.profile_chart,
        "cost_chart": charts.cost_chart,
        "hybrid_diagram": hybrid_diagram,
        "bar": charts.bar,
    }


def _filters(markdown: bool) -> dict[str, Any]:
    common = {
        "money": money,
        "pct": pct,
        "number": number,
        "compact": compact,
        "requests": requests,
        "seconds": seconds,
        "fixed": _fixed,
        "blocks": _blocks,
        "spark": _spark,
        "heat": _heat,
    }
    if markdown:
        # Markdown's own escaping replaces HTML escaping wherever a filter would escape.
        return {**common, "e": md_escape, "escape": md_escape, "join": _md_join, "md_url": _md_url}
    return {**common, **_svg_filters(), "css_string": css_string}


def template_dirs(template_dir: Path | None) -> list[Path]:
    """Where templates are looked up, first match wins: the user's folder, then built-in."""
    from llmchoose.loading.paths import builtin_dir

    found = [builtin_dir("templates")]
    if template_dir is not None:
        if not template_dir.is_dir():
            raise InputError("template folder not found", file=template_dir)
        found.insert(0, template_dir)
    return found


def _environment(dirs: Sequence[Path], *, markdown: bool):
    from jinja2 import StrictUndefined

    from llmchoose.report.sandbox import BoundedSandbox, RegularFileLoader

    env = BoundedSandbox(
        loader=RegularFileLoader([str(d) for d in dirs]),
        # Markdown: values become Markup that md_escape made inert, so the autoescape
        # machinery passes them through untouched while literal template text stays as is.
        autoescape=True,
        finalize=md_escape if markdown else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(_filters(markdown))
    return env


def _where(exc: BaseException, dirs: Sequence[Path]) -> tuple[str | None, int | None]:
    """The template file and line an exception came from, from Jinja's rewritten traceback."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if filename:
        return filename, lineno
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2") or any(name.startswith(str(d)) for d in dirs):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_error(exc: BaseException, dirs: Sequence[Path], name: str) -> InputError:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    file, line = _where(exc, dirs)
    if isinstance(exc, TemplateNotFound):
        missing = exc.name or name
        available = sorted(
            {p.relative_to(d).as_posix() for d in dirs if d.is_dir() for p in d.rglob("*.j2")}
        )
        return InputError(
            f"template '{missing}' not found in {', '.join(str(d) for d in dirs)}",
            file=file if file and file != missing else None,
            line=line if file and file != missing else None,
            hint=did_you_mean(str(missing), available),
        )
    if isinstance(exc, SecurityError):
        return InputError(
            f"template refused: {str(exc).rstrip('.')}",
            file=file or name,
            line=line,
            hint="templates run in a sandbox and may only read the report data",
        )
    if isinstance(exc, TemplateSyntaxError):
        return InputError(f"template syntax error: {exc.message}", file=file or name, line=line)
    if isinstance(exc, UndefinedError):
        return InputError(
            f"template error: {exc.message}",
            file=file or name,
            line=line,
            hint="see `llmchoose report FILE --format json` for the data templates get",
        )
    return InputError(f"template error: {type(exc).__name__}: {exc}", file=file or name, line=line)


def _charts(view: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """SVG for each workload's charts, keyed by workload id."""
    out: dict[str, dict[str, Any]] = {}
    for w in view["workloads"]:
        data = w["charts"]
        out[w["id"]] = {
            "scores": charts.responsive(
                charts.scores_chart,
                data["scores"],
                label=f"Scores of the ranked options for {w['name']}",
            )
            if data["scores"]
            else None,
            "profile": charts.responsive(
                charts.profile_chart,
                data["profile"],
                label=f"Factor profile of the leading options for {w['name']}",
            )
            if data["profile"]
            else None,
            "cost": charts.responsive(
                charts.cost_chart,
                data["cost"],
                label=f"Monthly cost against daily volume for {w['name']}",
            )
            if data["cost"]
            else None,
        }
    return out


class Renderer:
    """A report format's templates, loaded and compiled up front so that a missing or
    broken template fails before any other work is done."""

    def __init__(self, fmt: str, *, template_dir: Path | None = None, template: str | None = None):
        if fmt not in FORMATS:
            raise InputError(f"unknown report format '{fmt}'", hint=did_you_mean(fmt, FORMATS))
        self.fmt = fmt
        self.dirs = template_dirs(template_dir)
        self.name = template or FORMATS[fmt]
        self.env = _environment(self.dirs, markdown=fmt == "md")
        try:
            self.template = self.env.get_template(self.name)
        except Exception as exc:
            raise _template_error(exc, self.dirs, self.name) from None

    def render(self, view: Mapping[str, Any]) -> str:
        """The report text; any failure inside a template becomes one InputError."""
        context: dict[str, Any] = {"report": view}
        if self.fmt == "html":
            context["charts"] = _charts(view)
            hybrid = view.get("hybrid")
            context["hybrid_diagram"] = (
                charts.responsive(
                    hybrid_diagram, hybrid, label="Which option serves which workload"
                )
                if hybrid and len({a["option"] for a in hybrid["assignments"]}) > 1
                else None
            )
        from llmchoose.report.sandbox import TemplateTimeout, render_bounded

        try:
            text = render_bounded(self.template, context)
        except TemplateTimeout:
            raise InputError(
                "template error: rendering took too long", file=self.name, hint="look for loops"
            ) from None
        except RecursionError:
            raise InputError(
                "template error: templates include each other without end", file=self.name
            ) from None
        except Exception as exc:  # a user's template can fail in any way; report, never crash
            raise _template_error(exc, self.dirs, self.name) from None
        # Data holds no control characters (the YAML reader refuses them); a template's
        # own text might, and no report format should carry one.
        text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        if self.fmt == "md":
            # Values never hold line breaks, so only template spacing is tidied here.
            text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
        return text if text.endswith("\n") else text + "\n"


def render(
    view: Mapping[str, Any],
    fmt: str,
    *,
    template_dir: Path | None = None,
    template: str | None = None,
) -> str:
    """Render a view model in one go (see :class:`Renderer`)."""
    return Renderer(fmt, template_dir=template_dir, template=template).render(view)
