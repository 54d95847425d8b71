"""`llmchoose report`: a Markdown or self-contained HTML report of a decision."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import AsOfOpt, CriteriaOpt, KbOpt, MethodOpt, SamplesOpt
from llmchoose.cli.output import emit
from llmchoose.loading.fileio import refuse_folder

__all__ = ["register", "report_command"]


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


class Appendix(str, Enum):
    none = "none"
    summary = "summary"
    full = "full"


_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


# The options of `report`.
_ReportFmtOpt = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="md, html, or json (the data the templates get). Default: from --output's "
        "extension, else md.",
        show_default=False,
    ),
]
_ReportOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the report here (default: stdout).", show_default=False
    ),
]
_ReportBrandOpt = Annotated[
    Path | None,
    typer.Option(
        help="Brand file: client and author names, logo, accent colour, confidentiality line.",
        show_default=False,
    ),
]
_ReportTemplateDirOpt = Annotated[
    Path | None,
    typer.Option(
        help="Folder whose templates (and guidance.yaml) override the built-in ones.",
        show_default=False,
    ),
]
_ReportTemplateOpt = Annotated[
    str | None,
    typer.Option(
        help="Main template to render (default: report.md.j2 or report.html.j2).",
        show_default=False,
    ),
]
_ReportAppendixOpt = Annotated[
    Appendix,
    typer.Option(
        help="Options the hard requirements ruled out: none (counts only), summary "
        "(counts by reason, a few examples) or full (the summary, and every option "
        "with its reason in an appendix).",
    ),
]


def report_command(
    file: Annotated[Path, typer.Argument(help="Decision file (llm-decision.yaml).")],
    fmt: _ReportFmtOpt = None,
    output: _ReportOutputOpt = None,
    brand: _ReportBrandOpt = None,
    template_dir: _ReportTemplateDirOpt = None,
    template: _ReportTemplateOpt = None,
    top: Annotated[int, typer.Option(min=1, max=50, help="Ranked options shown per workload.")] = 8,
    appendix: _ReportAppendixOpt = Appendix.summary,
    method: MethodOpt = None,
    samples: SamplesOpt = 1000,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Write a report of the recommendation: Markdown, or one self-contained HTML file.

    Example: llmchoose report examples/startup-chatbot.yaml --format html -o report.html
    """
    from llmchoose.cli.commands import today
    from llmchoose.report import ReportRequest, make_report

    chosen = fmt.value if fmt else None
    if chosen is None:
        chosen = _SUFFIXES.get(output.suffix.lower(), "md") if output else "md"
    refuse_folder(output)
    text = make_report(
        ReportRequest(
            decision_file=file,
            fmt=chosen,
            as_of=today(as_of),
            kb=list(kb or []),
            criteria=list(criteria or []),
            brand_file=brand,
            template_dir=template_dir,
            template=template,
            top=top,
            appendix=appendix.value,
            samples=samples,
            method=method.value if method else None,
        )
    )
    emit(text, output)


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
