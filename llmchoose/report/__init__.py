"""Reports a consultant can hand to a client: Markdown and self-contained HTML.

The pieces, each with one job:

- :mod:`~llmchoose.report.view` builds the view model, plain data, from a
  recommendation (pure; no Jinja);
- :mod:`~llmchoose.report.charts` draws its charts as inline SVG;
- :mod:`~llmchoose.report.render` renders it with sandboxed Jinja templates;
- :mod:`~llmchoose.report.brand` reads a consultant's brand file;
- :mod:`~llmchoose.report.guidance` reads the next steps and checklist data.

:func:`make_report` runs them in order, checking every user-supplied file (brand,
templates) before the engine runs, so bad input fails fast and nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["APPENDIX", "ReportRequest", "make_report", "report_view"]

FORMATS = ("md", "html", "json")
# How much of the ruled-out options a report shows (see build_view).
APPENDIX = ("none", "summary", "full")


@dataclass
class ReportRequest:
    decision_file: Path
    fmt: str = "md"
    as_of: dt.date = field(default_factory=dt.date.today)
    kb: list[Path] = field(default_factory=list)
    criteria: list[Path] = field(default_factory=list)
    brand_file: Path | None = None
    template_dir: Path | None = None
    template: str | None = None
    top: int = 8
    samples: int = 1000
    method: str | None = None
    appendix: str = "summary"


def report_view(request: ReportRequest) -> dict[str, Any]:
    """Load everything, run the engine and build the view model."""
    from llmchoose.engine.recommend import recommend
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.report.brand import load_brand
    from llmchoose.report.guidance import load_guidance
    from llmchoose.report.render import template_dirs
    from llmchoose.report.view import build_view
    from llmchoose.schemas.vocabulary import ATTRIBUTES

    brand = load_brand(request.brand_file) if request.brand_file else None
    criteria = load_criteria(request.criteria)
    guidance = load_guidance(
        list(reversed(template_dirs(request.template_dir))),
        questions=criteria.questions,
        attributes=ATTRIBUTES,
    )
    catalog = load_catalog(request.kb)
    decision = load_decision(request.decision_file, criteria)
    rec = recommend(
        decision,
        catalog,
        criteria,
        as_of=request.as_of,
        method=request.method,
        samples=request.samples,
    )
    from llmchoose.loading.formatting import currency_from_answers, use_currency

    with use_currency(currency_from_answers(decision.answers)) as currency:
        view = build_view(
            decision,
            rec,
            catalog,
            criteria,
            guidance,
            brand=brand,
            top=request.top,
            appendix=request.appendix,
        )
    view["currency"] = currency.as_dict()
    if currency.note():
        view["assumptions"]["notes"].append(currency.note())
    return view


def make_report(request: ReportRequest) -> str:
    """The report text in the requested format (``json``: the view model itself)."""
    from llmchoose.errors import InputError, did_you_mean
    from llmchoose.report.render import Renderer

    if request.fmt not in FORMATS:
        raise InputError(
            f"unknown report format '{request.fmt}'", hint=did_you_mean(request.fmt, FORMATS)
        )
    if request.appendix not in APPENDIX:
        raise InputError(
            f"unknown appendix '{request.appendix}'; expected none, summary or full",
            hint=did_you_mean(request.appendix, APPENDIX),
        )
    renderer = None
    if request.fmt != "json":
        # Compile the templates first: a missing or broken one fails before the engine runs.
        renderer = Renderer(
            request.fmt, template_dir=request.template_dir, template=request.template
        )
    view = report_view(request)
    if renderer is None:
        return json.dumps(view, indent=2, ensure_ascii=False) + "\n"
    from llmchoose.loading.formatting import Currency, use_currency

    shown = view["currency"]
    with use_currency(Currency(shown["code"], shown["rate"])):
        return renderer.render(view)
