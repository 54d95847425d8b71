"""`llmchoose init`: walk a team through the decision factors and write the decision file.

The questions come from the factors in ``criteria/``; the flow (what is asked next,
what is skipped) lives in :mod:`llmchoose.questionnaire.flow`. This command picks the
answers' sources (a terminal, ``--answers``, ``--defaults``, a draft, a decision being
revised), writes the file atomically, shows the top options and records the choice.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import AsOfOpt, CriteriaOpt, KbOpt

__all__ = ["init_command", "register"]

NO_TERMINAL = (
    "`llmchoose init` asks questions, and stdin is not a terminal; "
    "use --answers FILE to give the answers, --defaults to take the defaults, or both"
)


# The options of `init`.
_InitOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Decision file to write (default: llm-decision.yaml, or the --edit file).",
        show_default=False,
    ),
]
_InitEditOpt = Annotated[
    Path | None,
    typer.Option(
        "--edit",
        help="Revise this decision file: its answers are the defaults, its choices, "
        "weights and policy are kept.",
        show_default=False,
    ),
]
_InitAnswersOpt = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Take answers from this YAML file (project, answers, workloads; a decision "
        "file works too). Questions it answers are not asked.",
        show_default=False,
    ),
]
_InitDefaultsOpt = Annotated[
    bool,
    typer.Option("--defaults", help="Take the default for every question not answered."),
]
_InitResumeOpt = Annotated[
    bool,
    typer.Option("--resume", help="Continue the draft an interrupted run left."),
]
_InitForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace the decision file if it exists.")
]
_InitPlainOpt = Annotated[
    bool,
    typer.Option(
        "--plain",
        help="Numbered lists and typed answers instead of arrow-key menus (screen "
        "readers, simple terminals; also used when TERM=dumb).",
    ),
]
_InitRecordOpt = Annotated[
    bool | None,
    typer.Option(
        "--record/--no-record",
        help="Record the choice per workload at the end (default: ask in a terminal; "
        "record the top option otherwise).",
        show_default=False,
    ),
]
_InitByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Who decides, for the recorded choice.", show_default=False),
]
_InitTopOpt = Annotated[
    int, typer.Option(min=1, max=10, help="Options to show per workload at the end.")
]


def init_command(
    output: _InitOutputOpt = None,
    edit: _InitEditOpt = None,
    answers: _InitAnswersOpt = None,
    defaults: _InitDefaultsOpt = False,
    resume: _InitResumeOpt = False,
    force: _InitForceOpt = False,
    plain: _InitPlainOpt = False,
    record: _InitRecordOpt = None,
    by: _InitByOpt = None,
    top: _InitTopOpt = 3,
    as_of: AsOfOpt = None,
    kb: KbOpt = None,
    criteria: CriteriaOpt = None,
) -> None:
    """Answer the decision factors' questions, write the decision file, show the top options.

    Asks in the terminal, factor by factor, and ends with a summary to review before
    saving. Ctrl-C keeps the answers in a draft; --resume continues it.

    Example: llmchoose init --answers answers.yaml --defaults -o llm-decision.yaml
    """
    from llmchoose.errors import InputError

    if resume and answers is not None:
        raise InputError("give --resume or --answers, not both")
    if resume and edit is not None:
        raise InputError("give --resume or --edit, not both (the draft remembers the file)")
    terminal = sys.stdin.isatty()
    if not terminal and not defaults and answers is None:
        # Fail before reading anything: a script must never hang on a prompt.
        raise InputError(NO_TERMINAL)
    from llmchoose.cli.init_run import InitRun

    InitRun(
        output=output,
        edit=edit,
        answers=answers,
        defaults=defaults,
        resume=resume,
        force=force,
        plain=plain,
        record=record,
        by=by,
        top=top,
        as_of=as_of,
        kb=kb,
        criteria=criteria,
        terminal=terminal,
    ).run()


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
