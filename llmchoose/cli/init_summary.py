"""What the questionnaire prints between the questions: the answers so far, by factor,
sized to fit the terminal, and what each workload's answers lead to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from llmchoose.questionnaire.flow import Flow
from llmchoose.questionnaire.output import WorkloadOutcome
from llmchoose.schemas.vocabulary import CATEGORY_LABELS

__all__ = ["print_outcomes", "print_summary"]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# Lines the review keeps for itself below the summary (the menu or the prompt).
_REVIEW_LINES = 10


def print_summary(console, flow: Flow, *, numbered: bool = False, every: bool = False) -> list[str]:
    """The answers by factor; returns the step keys in the order they are numbered.

    By default it fits the terminal: each factor on its title line with how many answers
    keep their default, and under it only the answers that differ from it (as many as
    fit). ``every`` lists each answer.
    """
    from rich.table import Table

    keys: list[str] = []
    table = Table(show_edge=False, pad_edge=False, show_header=False, expand=False)
    if numbered:
        table.add_column("#", justify="right", style="dim")
    # Compact: one line per answer, so the count of rows is the count of lines.
    overflow: Literal["fold", "ellipsis"] = "fold" if every else "ellipsis"
    table.add_column("question", overflow=overflow, no_wrap=not every, ratio=3)
    table.add_column("answer", overflow=overflow, no_wrap=not every, ratio=2)

    def add(*cells: str) -> None:
        table.add_row(*(cells if numbered else cells[1:]))

    sections = flow.summary()
    # Lines for the answers: the screen, less the menu, the heading and a title per factor,
    # less a "… more" line for each factor that had to be cut.
    room = (console.height or 45) - _REVIEW_LINES - 2 - len(sections)
    shown_per_section = _rows_per_section(sections, room, every)
    for _ in range(3):
        cut = sum(
            limit < want
            for limit, want in zip(
                shown_per_section, _rows_per_section(sections, 10**6, every), strict=True
            )
        )
        shown_per_section = _rows_per_section(sections, max(0, room - cut), every)
    for section, limit in zip(sections, shown_per_section, strict=True):
        changed = [e for e in section.entries if e.changed or e.factor == "project"]
        entries = section.entries if every else changed
        kept = len(section.entries) - len(changed)
        title = f"[bold]{_escape(section.title)}[/bold]"
        if not every and kept:
            title += f" [dim]· {kept} default{'s' if kept != 1 else ''} kept[/dim]"
        add("", title, "")
        rows = 0
        for entry in entries:
            for index, (key, workload, text) in enumerate(entry.values):
                if rows >= limit:
                    break
                keys.append(key)
                label = _escape(entry.label) if index == 0 else ""
                answer = (f"{_escape(workload)}: " if workload else "") + _escape(text)
                if not entry.changed and entry.factor != "project":
                    answer += " [dim](default)[/dim]"
                add(str(len(keys)), label, answer)
                rows += 1
            if entry.note and every:
                add("", "", f"[dim]{_escape(entry.note)}[/dim]")
        hidden = sum(len(e.values) for e in entries) - rows
        if hidden > 0:
            add("", f"[dim]… {hidden} more: show every answer to see them[/dim]", "")
    console.print()
    console.print("[bold]Your answers[/bold]" + ("" if every else " [dim](changed ones)[/dim]"))
    console.print(table)
    return keys


def _rows_per_section(sections, room: int, every: bool) -> list[int]:
    """How many answer lines each factor may show so the summary fits ``room`` lines."""
    wanted = [
        sum(len(e.values) for e in s.entries if every or e.changed or e.factor == "project")
        for s in sections
    ]
    if every or sum(wanted) <= room:
        return wanted
    limits = [0] * len(wanted)
    left = room
    while left > 0 and any(limit < want for limit, want in zip(limits, wanted, strict=True)):
        for i, want in enumerate(wanted):
            if left > 0 and limits[i] < want:
                limits[i] += 1
                left -= 1
    return limits


def print_outcomes(
    console, outcomes: Sequence[WorkloadOutcome], *, target: str, hybrid: str | None = None
) -> None:
    """The top options per workload with a line on why, and what was ruled out."""
    for outcome in outcomes:
        console.print()
        console.print(
            f"[bold]{_escape(outcome.name)}[/bold]: {outcome.ranked} options ranked, "
            f"{outcome.eliminated} ruled out by your requirements"
        )
        for line in outcome.top:
            category = CATEGORY_LABELS.get(line.category, line.category)
            console.print(
                f"  {line.rank}. [bold]{_escape(line.id)}[/bold] ({_escape(category)}, "
                f"score {line.score:.2f}) — {_escape(line.why)}"
            )
        if outcome.eliminated_by:
            shown = ", ".join(f"{n} by {rule}" for rule, n in outcome.eliminated_by[:3])
            more = "" if len(outcome.eliminated_by) <= 3 else ", …"
            console.print(f"  [dim]Ruled out: {_escape(shown)}{more}[/dim]")
        if outcome.hint:
            console.print(f"  [yellow]{_escape(outcome.hint)}[/yellow]")
    if hybrid:
        console.print()
        console.print(f"Across the workloads: {_escape(hybrid)}")
    console.print()
    console.print(
        f"[dim]Every option and why: llmchoose recommend {_escape(target)} · "
        f"a report: llmchoose report {_escape(target)}[/dim]"
    )


# ---------------------------------------------------------------------------- questionary
