"""Draw the questionnaire in a terminal: a panel per factor, arrow-key menus and
checkboxes (questionary), and a summary to review and change before saving.

:class:`TerminalAsker` is the full-screen-free, arrow-key adapter; :class:`PlainAsker`
asks with numbered lists and typed answers, for a dumb terminal or a screen reader
(``--plain``). Both talk on stderr, so stdout stays free for data. Imported only when
a person is asked: questionary and prompt_toolkit are slow to import.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from llmchoose.cli.init_summary import print_outcomes, print_summary
from llmchoose.questionnaire.flow import Flow
from llmchoose.questionnaire.session import BACK, Review
from llmchoose.questionnaire.steps import Step, display
from llmchoose.schemas.vocabulary import CATEGORY_LABELS

__all__ = [
    "PlainAsker",
    "TerminalAsker",
    "kept_default_text",
    "make_asker",
    "make_console",
    "print_outcomes",
    "print_summary",
]

# Menus number the items themselves, so the labels are words only.
IMPORTANCE = {
    1: "hardly matters",
    2: "matters a little",
    3: "matters",
    4: "matters a lot",
    5: "decisive",
}
KEYS_HELP = (
    "Enter accepts the answer shown · ↑↓ move · Space ticks a box · "
    "Ctrl-B (or ← in a list) goes back · Ctrl-C stops, keeping your answers in a draft"
)
PLAIN_KEYS_HELP = (
    "Type the answer and press Enter; Enter alone keeps the answer in brackets; "
    "< goes back; Ctrl-C stops, keeping your answers in a draft"
)


def make_console(stream: TextIO):
    from rich.console import Console

    return Console(file=stream, no_color="NO_COLOR" in os.environ, highlight=False)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


# ---------------------------------------------------------------------------- shared views


class _Views:
    """What both askers print around the prompts."""

    def __init__(self, console, target: str, keys_help: str) -> None:
        self.console = console
        self.target = target
        self.keys_help = keys_help
        self._panel_shown: int | None = None

    def note(self, text: str) -> None:
        self.console.print(f"[dim]{_escape(text)}[/dim]")

    def panel(self, step: Step) -> None:
        from rich.panel import Panel

        if step.factor is None:
            body = (
                "These questions walk through the factors that decide how to run a large "
                f"language model. The answers become [bold]{_escape(self.target)}[/bold], "
                "which `llmchoose recommend` ranks every option against.\n\n"
                f"[dim]{_escape(self.keys_help)}[/dim]"
            )
            title = "Project and workloads"
        else:
            factor = step.factor
            body = (
                f"[bold]{_escape(factor.summary)}[/bold]\n\n{_escape(factor.description.strip())}"
            )
            if factor.compare:
                body += "\n\n[bold]How the options compare[/bold]"
                for category, text in factor.compare.items():
                    name = CATEGORY_LABELS.get(category, category)
                    body += f"\n  {_escape(name)}: {_escape(text)}"
            title = f"Factor {step.factor_number} of {step.factor_count} · {factor.name}"
            if factor.scoring is None:  # a setting such as the currency: asked, not scored
                title = f"{factor.name} · not scored"
        self.console.print()
        self.console.print(Panel(body, title=_escape(title), title_align="left", expand=True))
        self._panel_shown = step.factor_number

    def header(self, step: Step) -> None:
        if self._panel_shown != step.factor_number:
            self.panel(step)
        where = "Project" if step.factor is None else step.factor.name
        progress = f"{where} · "
        if step.factor is not None:
            progress += f"factor {step.factor_number} of {step.factor_count} · "
        progress += f"step {step.number} of {step.total}"
        line = f"[cyan]{_escape(progress)}[/cyan]"
        if step.workload is not None and step.workload_count > 1:
            line += (
                f"[cyan] · for[/cyan] [bold]{_escape(step.workload.name)}[/bold] "
                f"[cyan](workload {step.workload_number} of {step.workload_count})[/cyan]"
            )
        self.console.print()
        self.console.print(line)
        if step.help:
            self.console.print(f"  Why it matters: {_escape(step.help)}")
        if step.example:
            self.console.print(f"  For example: {_escape(step.example)}")
        if step.source_note and not step.answered:
            self.console.print(f"  [dim]Offered: {_escape(step.source_note)}.[/dim]")
        target = step.answer_id + (
            f" for {step.workload.id}"
            if step.workload is not None and step.workload_count > 1
            else ""
        )
        self.console.print(f"  [dim]saved as {_escape(target)}[/dim]")


def _message(step: Step) -> str:
    if step.workload is not None and step.workload_count > 1:
        return f"{step.text} [{step.workload.name}]"
    return step.text


def _bounds(step: Step) -> str:
    question = step.question
    if question is None or question.type != "number":
        return ""
    parts = []
    if question.min is not None and question.max is not None:
        parts.append(f"{question.min:,.12g} to {question.max:,.12g}")
    elif question.min is not None:
        parts.append(f"at least {question.min:,.12g}")
    elif question.max is not None:
        parts.append(f"at most {question.max:,.12g}")
    if question.unit:
        parts.insert(0, question.unit)
    return ", ".join(parts)


def _default_text(step: Step) -> str:
    if step.kind == "workloads":
        return ", ".join(w.name for w in step.default)
    if step.default is None:
        return ""
    if step.question is not None and step.question.type in ("number", "importance"):
        value = step.default
        return f"{int(value)}" if float(value).is_integer() else f"{value:g}"
    return str(step.default)


def kept_default_text(step: Step) -> str | None:
    """The line that echoes a default accepted with Enter alone, or None for no default."""
    if step.default is None:
        return None
    return f"  → {display(step.question, step.default)} (default)"


def _back_keys(question, *, left: bool) -> Any:
    """Let Ctrl-B (and ← where it does nothing else) end a prompt with BACK."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    def go_back(event) -> None:
        event.app.exit(result=BACK)

    bindings.add("c-b", eager=True)(go_back)
    if left:
        bindings.add("left", eager=True)(go_back)
    app = question.application
    app.key_bindings = (
        merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
    )
    return question


def _validator(check: Callable[[Any], Any]) -> Callable[[Any], bool | str]:
    def validate(text: Any) -> bool | str:
        try:
            check(text)
        except ValueError as exc:
            return str(exc)[:1].upper() + str(exc)[1:]
        return True

    return validate


class TerminalAsker:
    """Arrow-key menus, checkboxes and typed numbers, via questionary."""

    def __init__(self, target: str, *, stream: TextIO | None = None) -> None:
        import questionary  # noqa: F401 - fail here, so make_asker can fall back
        from prompt_toolkit.input import create_input
        from prompt_toolkit.output import create_output

        self.stream = stream or sys.stderr
        self._io: dict[str, Any] = {
            "input": create_input(sys.stdin),
            "output": create_output(stdout=self.stream),
        }
        self.console = make_console(self.stream)
        self.views = _Views(self.console, target, KEYS_HELP)
        self.target = target

    def note(self, text: str) -> None:
        self.views.note(text)

    def _run(self, question) -> Any:
        return question.unsafe_ask()

    def _select(self, message: str, choices: list, default: Any, instruction: str, **kw) -> Any:
        import questionary

        question = questionary.select(
            message,
            choices=choices,
            default=default,
            instruction=instruction,
            **self._io,
            **kw,
        )
        return self._run(_back_keys(question, left=True))

    def ask(self, step: Step, check: Callable[[Any], Any]) -> Any:
        import questionary

        self.views.header(step)
        message = _message(step)
        question = step.question
        kind = question.type if question is not None else "text"
        if kind == "choice":
            assert question is not None
            choices = [
                questionary.Choice(c.label, value=c.value, description=c.help)
                for c in question.choices
            ]
            default = step.default if step.default in [c.value for c in question.choices] else None
            return self._select(message, choices, default, "(↑↓ then Enter · ← back)")
        if kind == "importance":
            choices = [questionary.Choice(label, value=v) for v, label in IMPORTANCE.items()]
            return self._select(
                message,
                choices,
                step.default,
                "(1–5 or ↑↓, then Enter · ← back)",
                use_shortcuts=True,
            )
        if kind == "multi":
            return self._ask_multi(step, message, check)
        if kind == "bool":
            return self._run(
                _back_keys(
                    questionary.confirm(
                        message,
                        default=bool(step.default) if step.default is not None else True,
                        auto_enter=False,
                        instruction="(Y/n · Ctrl-B back)"
                        if step.default in (None, True)
                        else "(y/N · Ctrl-B back)",
                        **self._io,
                    ),
                    left=True,
                )
            )
        return self._ask_text(step, message, check)

    def _ask_multi(self, step: Step, message: str, check: Callable[[Any], Any]) -> Any:
        """Checkboxes: Space ticks, Enter accepts."""
        import questionary

        assert step.question is not None
        ticked = step.default or []
        choices = [
            questionary.Choice(
                c.label, value=c.value, checked=c.value in ticked, description=c.help
            )
            for c in step.question.choices
        ]
        return self._run(
            _back_keys(
                questionary.checkbox(
                    message,
                    choices=choices,
                    instruction="(↑↓ move · Space ticks · Enter accepts · ← back)",
                    validate=_validator(check),
                    **self._io,
                ),
                left=True,
            )
        )

    def _ask_text(self, step: Step, message: str, check: Callable[[Any], Any]) -> Any:
        """Text and numbers: type, Enter alone keeps the default."""
        import questionary

        shown = _default_text(step)
        parts = [p for p in (_bounds(step),) if p]
        parts.append(f"Enter keeps {shown}" if shown else "Enter skips")
        parts.append("Ctrl-B back")
        result = self._run(
            _back_keys(
                questionary.text(
                    message,
                    instruction="(" + " · ".join(parts) + ")",
                    validate=_validator(check),
                    **self._io,
                ),
                left=False,
            )
        )
        if result == "":  # the prompt shows nothing for Enter alone: say what was kept
            echo = kept_default_text(step)
            if echo:
                self.console.print(f"[dim]{_escape(echo)}[/dim]")
        return result

    def review(self, flow: Flow) -> Review:
        import questionary

        every = False
        while True:
            print_summary(self.console, flow, every=every)
            action = self._select(
                "What next?",
                [
                    questionary.Choice(f"Save to {self.target}", value="save"),
                    questionary.Choice("Change an answer", value="edit"),
                    questionary.Choice(
                        "Show only the changed answers" if every else "Show every answer",
                        value="every",
                    ),
                    questionary.Choice("Go back to the last question", value="back"),
                    questionary.Choice("Stop here and keep a draft", value="stop"),
                ],
                "save",
                "(↑↓ then Enter)",
            )
            if action is BACK:
                return Review("back")
            if action == "every":
                every = not every
                continue
            if action != "edit":
                return Review(action)
            choices = []
            for step in flow.steps():
                where = "Project" if step.factor is None else step.factor.name
                who = (
                    f" [{step.workload.name}]" if step.workload and step.workload_count > 1 else ""
                )
                value = display(step.question, step.default)
                choices.append(
                    questionary.Choice(f"{where} · {step.text}{who}: {value}", value=step.key)
                )
            key = self._select(
                "Which answer?",
                choices,
                None,
                "(type to filter · ← back to the summary · ↑↓ then Enter)",
                use_search_filter=True,
                use_jk_keys=False,
            )
            if key is BACK:
                continue
            return Review("edit", key)

    def choose(self, message: str, options: list[tuple[Any, str]], default: Any = None) -> Any:
        import questionary

        choices = [questionary.Choice(label, value=value) for value, label in options]
        while True:
            result = self._select(message, choices, default, "(↑↓ then Enter)")
            if result is not BACK:
                return result

    def text(self, message: str, default: str = "") -> str:
        import questionary

        instruction = f"(Enter keeps {default})" if default else None
        result = self._run(questionary.text(message, instruction=instruction, **self._io))
        if not result and default:
            self.console.print(f"[dim]  → {_escape(default)} (default)[/dim]")
        return result or default


def _screen() -> TextIO:
    """Where to draw: stderr, unless only stdout reaches the terminal (``2>log``)."""
    if not sys.stderr.isatty() and sys.stdout.isatty():
        return sys.stdout
    return sys.stderr


def make_asker(target: str, *, plain: bool = False):
    """The arrow-key adapter, or numbered prompts when asked for or when the terminal
    cannot draw menus (TERM=dumb)."""
    stream = _screen()
    if plain or os.environ.get("TERM", "") in ("dumb", "unknown"):
        return PlainAsker(target, stream=stream)
    try:
        return TerminalAsker(target, stream=stream)
    except Exception:  # prompt_toolkit cannot drive this terminal
        return PlainAsker(target, stream=stream)


# The numbered-prompt asker lives in its own module; it is part of this one's interface.
from llmchoose.cli.init_plain import PlainAsker  # noqa: E402
