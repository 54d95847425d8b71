"""Run a flow against an asker until the person saves: the loop between the state
machine and whatever draws the questions (a terminal, or a script in tests)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from llmchoose.questionnaire.flow import Flow
from llmchoose.questionnaire.steps import Step

__all__ = ["BACK", "Asker", "Review", "Stop", "walk"]


class _Back:
    def __repr__(self) -> str:
        return "BACK"


BACK: Any = _Back()


class Stop(Exception):
    """The person chose to stop without saving; the draft keeps the answers."""


@dataclass
class Review:
    """What the person chose on the summary: ``save``, ``back``, ``edit`` (a step's key)
    or ``stop``."""

    action: str
    key: str | None = None


class Asker(Protocol):
    def ask(self, step: Step, check: Callable[[Any], Any]) -> Any:
        """Ask one step until ``check`` accepts the input (it raises ValueError saying
        why not); return that input as typed or picked, or BACK."""

    def review(self, flow: Flow) -> Review:
        """Show every answer and let the person save, go back, or change one."""

    def note(self, text: str) -> None:
        """Tell the person something in passing."""


def walk(flow: Flow, asker: Asker, on_change: Callable[[], None] | None = None) -> None:
    """Ask until the person saves from the summary. Raises :class:`Stop` when they
    stop, and lets KeyboardInterrupt through; ``on_change`` runs after every move so a
    draft can follow."""
    changed = on_change or (lambda: None)
    while True:
        step = flow.current()
        if step is None:
            choice = asker.review(flow)
            if choice.action == "save":
                if flow.complete:
                    return
                continue  # pragma: no cover - the summary is shown only when complete
            if choice.action == "stop":
                raise Stop
            if choice.action == "back":
                flow.back()
            elif choice.action == "edit" and choice.key is not None:
                flow.goto(choice.key)
            changed()
            continue
        result = asker.ask(step, functools.partial(flow.check, step))
        if result is BACK:
            if not flow.back():
                asker.note("This is the first question; there is nothing before it.")
        else:
            flow.answer(result)
        changed()
