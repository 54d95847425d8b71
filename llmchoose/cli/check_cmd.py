"""`llmchoose check`, `decide` and `adr`: record a decision, keep it honest in CI, and
write it up as an Architecture Decision Record."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import AsOfOpt, CriteriaOpt, KbOpt
from llmchoose.cli.output import emit
from llmchoose.loading.fileio import refuse_folder

__all__ = ["adr_command", "check_command", "decide_command", "register"]

DEFAULT_FILE = Path("llm-decision.yaml")


class CheckFormat(str, Enum):
    human = "human"
    json = "json"
    junit = "junit"
    github = "github"
    sarif = "sarif"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class DecideFormat(str, Enum):
    table = "table"
    json = "json"


_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _print_human(view: dict) -> None:
    from rich.markup import escape

    from llmchoose.cli.output import console

    out = console()

    def finding(f: dict, indent: str) -> None:
        style = _STYLES[f["severity"]]
        where = f" {f['where']}:" if f["where"] else ":"
        out.print(
            f"{indent}[{style}]{f['severity']:<7}[/] [dim]{f['code']}{where}[/] "
            f"{escape(f['message'])}",
            soft_wrap=True,  # one finding per line, however long: logs are grepped
        )

    for file in view["files"]:
        title = f"[bold]{escape(file['file'])}[/]"
        if file["project"]:
            title += f" — {escape(file['project'])}"
        out.print(title, soft_wrap=True)
        for f in file["findings"]:
            finding(f, "  ")
        for w in file["workloads"]:
            out.print(f"  [bold]{escape(w['id'])}[/]: {escape(w['status'])}", soft_wrap=True)
            for f in w["findings"]:
                finding(f, "    ")
            if not w["findings"]:
                out.print("    [green]holds[/]")
            if w["next"]:
                out.print(f"    [bold]next:[/] {escape(w['next'])}", soft_wrap=True)
        out.print()
    style = "bold red" if view["failed"] else "bold green"
    out.print(
        f"Checked as of {view['as_of']}. [{style}]{escape(view['summary'])}[/]", soft_wrap=True
    )


# The options of `check`.
_CheckFilesOpt = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Decision files to check (default: llm-decision.yaml).", show_default=False
    ),
]
_CheckFmtOpt = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        help="human (grouped by workload), json, junit (JUnit XML), github (workflow "
        "annotations) or sarif (SARIF 2.1.0).",
    ),
]
_CheckFailOnOpt = Annotated[
    FailOn,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a finding is at least this severe (never: always exit 0).",
    ),
]
_CheckOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file instead of stdout; a one-line summary goes to stderr.",
        show_default=False,
    ),
]
_CheckChangedOpt = Annotated[
    bool,
    typer.Option(
        "--changed",
        help="FILES are the files a commit changed (the pre-commit hook): check the "
        "decision files among them, and every llm-decision*.yaml here when a "
        ".llmchoose/ overlay changed.",
    ),
]


_CheckNoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Run the check even when these exact inputs were checked before (the result "
        "is otherwise reused; LLMCHOOSE_NO_CACHE=1 does the same).",
    ),
]


def check_command(
    files: _CheckFilesOpt = None,
    fmt: _CheckFmtOpt = CheckFormat.human,
    fail_on: _CheckFailOnOpt = FailOn.error,
    output: _CheckOutputOpt = None,
    changed: _CheckChangedOpt = False,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
    no_cache: _CheckNoCacheOpt = False,
) -> None:
    """Check that recorded decisions still hold against today's knowledge base.

    Exit codes: 0 every decision holds; 1 a finding at or above --fail-on; 2 a usage or
    input error (a file that is missing, a knowledge base that does not load). Never
    prompts. See docs/check.md for the finding codes.

    The verdict (holds or fails) comes from the findings' severities; --fail-on changes
    only the exit code. When the same files, knowledge base, date and options were checked
    before, the earlier result is reused (--no-cache runs it again).

    Example: llmchoose check llm-decision.yaml --format sarif -o llmchoose.sarif
    """
    import datetime as dt

    from llmchoose.decision.check.cache import cache_enabled, input_key, load_entry, store_entry
    from llmchoose.errors import InputError

    paths = list(files or [DEFAULT_FILE])
    if changed:
        from llmchoose.decision.check.hook import decision_files_for_changes

        paths = decision_files_for_changes(list(files or []), Path.cwd())
        if not paths:
            sys.stderr.write("No decision file to check among the changed files.\n")
            return
    for path in paths:
        if not path.exists():
            raise InputError(
                "file not found",
                file=path,
                hint="record a decision with `llmchoose decide FILE`, or name the file"
                if path == DEFAULT_FILE
                else None,
            )
    refuse_folder(output)
    day = as_of.date() if as_of else dt.date.today()
    human = fmt is CheckFormat.human and output is None
    settings = {"as_of": day, "fail_on": fail_on.value, "format": fmt.value, "view": human}
    key = input_key(paths, kb or [], criteria or [], settings) if cache_enabled(no_cache) else None
    entry = load_entry(key) if key else None
    if entry is None:
        entry = _run_check(paths, kb, criteria, day, fail_on.value, fmt.value, human)
        if key:
            store_entry(key, entry)
    if output is not None:
        from llmchoose.loading.yamlio import atomic_write

        atomic_write(output, entry["text"], as_yaml=False)
        sys.stderr.write(f"Wrote {output}. {entry['summary']}\n")
    elif human:
        _print_human(entry["view"])
    else:
        sys.stdout.write(entry["text"])
    if entry["exit_code"]:
        raise typer.Exit(entry["exit_code"])


def _run_check(paths, kb, criteria, day, fail_on: str, fmt: str, human: bool) -> dict:
    """Check the files and keep what the output needs: the text of the chosen format, or
    the grouped findings a terminal shows in colour."""
    from llmchoose.cli.commands import load_inputs
    from llmchoose.decision.check.run import check_files

    catalog, criteria_set = load_inputs(kb, criteria)
    report = check_files(paths, catalog=catalog, criteria=criteria_set, as_of=day, fail_on=fail_on)
    entry: dict = {"exit_code": report.exit_code, "summary": report.summary()}
    if human:
        from llmchoose.decision.check.formats.human import human_view

        entry["view"] = human_view(report)
    else:
        from llmchoose.decision.check.formats import render_report

        entry["text"] = render_report(report, fmt)
    return entry


# The options of `decide`.
_ChooseOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--choose",
        help="Choose an option yourself: WORKLOAD=OPTION, or OPTION when there is one "
        "workload (repeatable). Default: the top-ranked option.",
        show_default=False,
    ),
]
_ResetOpt = Annotated[
    bool,
    typer.Option("--reset", help="Choose the top-ranked option again where a choice is recorded."),
]
_SingleOpt = Annotated[
    bool,
    typer.Option(
        "--single",
        help="One option for every workload: the best one all workloads allow.",
    ),
]
_ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Who decides (default: the name already recorded, else $LLMCHOOSE_DECIDED_BY, "
        "else your user name).",
        show_default=False,
    ),
]
_RationaleOpt = Annotated[
    str | None,
    typer.Option(
        "--rationale", help="Why (default: a summary of the ranking).", show_default=False
    ),
]
_DecideOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the result here instead of updating FILE.",
        show_default=False,
    ),
]


def _report_recorded(result, target: Path, file: Path, *, dry_run: bool, fmt: DecideFormat) -> None:
    """What `decide` recorded: JSON on stdout when asked, a line per workload on stderr."""
    if fmt is DecideFormat.json:
        from dataclasses import asdict

        from llmchoose.cli.output import print_json

        print_json(
            {
                "file": str(target),
                "written": not dry_run,
                "rewritten": result.rewritten,
                "recorded": [asdict(r) for r in result.recorded],
                "warnings": result.warnings,
            }
        )
    from llmchoose.loading.formatting import currency_of_file, format_money

    currency = currency_of_file(target if not dry_run else file)
    err = sys.stderr
    for r in result.recorded:
        cost = (
            ""
            if r.monthly_cost is None
            else f", about {format_money(r.monthly_cost, currency)}/month"
        )
        err.write(
            f"{r.workload}: {r.option} — rank {r.rank} of {r.of}, score {r.score:.3f}{cost} "
            f"({r.status})\n"
        )
    for warning in result.warnings:
        err.write(f"Warning: {warning}\n")
    if not dry_run:
        note = (
            " (rewritten: comments below the top of the file were not kept)"
            if result.rewritten
            else ""
        )
        err.write(f"Recorded in {target}{note}. Keep it honest with: llmchoose check {target}\n")


def decide_command(
    file: Annotated[
        Path, typer.Argument(help="Decision file to record the choice in.")
    ] = DEFAULT_FILE,
    choose: _ChooseOpt = None,
    reset: _ResetOpt = False,
    single: _SingleOpt = False,
    by: _ByOpt = None,
    rationale: _RationaleOpt = None,
    output: _DecideOutputOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the updated file on stdout; write nothing.")
    ] = False,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
    fmt: Annotated[
        DecideFormat,
        typer.Option("--format", "-f", help="How to report what was recorded (on stdout)."),
    ] = DecideFormat.table,
) -> None:
    """Record the chosen option per workload, with a snapshot of the facts it relies on.

    By default each workload gets the top-ranked option, or keeps the one already
    recorded with a fresh snapshot. The file is updated in place, atomically; comments
    outside the choice blocks are kept.

    Example: llmchoose decide llm-decision.yaml --by "Jane Doe" --choose support-chat=openai/gpt-4.1
    """
    from llmchoose.cli.commands import load_inputs, today
    from llmchoose.decision.decide import decide
    from llmchoose.errors import InputError

    if single and reset:
        raise InputError("give --single or --reset, not both")
    target = output or file
    refuse_folder(target, "--output" if output else "the decision file")
    catalog, criteria_set = load_inputs(kb, criteria)
    result = decide(
        file,
        catalog=catalog,
        criteria=criteria_set,
        as_of=today(as_of),
        choose=list(choose or []),
        reset=reset,
        single=single,
        decided_by=by,
        rationale=rationale,
    )
    if dry_run:
        sys.stdout.write(result.text)
    else:
        from llmchoose.loading.decision import check_decision_text
        from llmchoose.loading.yamlio import atomic_write

        atomic_write(
            target,
            result.text,
            check=lambda text: check_decision_text(text, target, criteria_set),
        )
    _report_recorded(result, target, file, dry_run=dry_run, fmt=fmt)


def adr_command(
    file: Annotated[Path, typer.Argument(help="Decision file.")] = DEFAULT_FILE,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the record here (default: stdout).", show_default=False
        ),
    ] = None,
    top: Annotated[
        int, typer.Option(min=1, max=20, help="Ranked options considered per workload.")
    ] = 4,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder whose adr.md.j2 overrides the built-in template.", show_default=False
        ),
    ] = None,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Write the decision as an Architecture Decision Record (MADR, Markdown).

    Example: llmchoose adr llm-decision.yaml -o docs/decisions/0001-llm-deployment.md
    """
    from llmchoose.cli.commands import load_inputs, today
    from llmchoose.report.adr import make_adr

    refuse_folder(output)
    from llmchoose.loading.formatting import currency_of_file, use_currency

    catalog, criteria_set = load_inputs(kb, criteria)
    with use_currency(currency_of_file(file)) as currency:
        text = make_adr(
            file,
            catalog=catalog,
            criteria=criteria_set,
            as_of=today(as_of),
            top=top,
            template_dir=template_dir,
            check_command=f"llmchoose check {file.as_posix()}",
        )
    if currency.note():  # the record says which currency its amounts are in
        text = text.rstrip("\n") + f"\n\n{currency.note()}\n"
    emit(text, output)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
    app.command("decide")(decide_command)
    app.command("adr")(adr_command)
