"""The numbered-prompt asker: lists and typed answers one line at a time, for
``--plain``, screen readers and terminals that cannot draw menus."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from llmchoose.cli.init_prompts import (
    IMPORTANCE,
    PLAIN_KEYS_HELP,
    _bounds,
    _default_text,
    _message,
    _Views,
    kept_default_text,
    make_console,
)
from llmchoose.cli.init_summary import print_summary
from llmchoose.questionnaire.flow import Flow
from llmchoose.questionnaire.session import BACK, Review
from llmchoose.questionnaire.steps import Step

__all__ = ["PlainAsker"]


class PlainAsker:
    """Numbered lists and typed answers, one line at a time."""

    def __init__(self, target: str, *, stdin: TextIO | None = None, stream: TextIO | None = None):
        self.input = stdin or sys.stdin
        self.stream = stream or sys.stderr
        self.console = make_console(self.stream)
        self.views = _Views(self.console, target, PLAIN_KEYS_HELP)
        self.target = target

    def note(self, text: str) -> None:
        self.views.note(text)

    def _line(self, prompt: str) -> str:
        self.stream.write(prompt)
        self.stream.flush()
        line = self.input.readline()
        if not line:
            raise EOFError
        return line.strip()

    def _problem(self, text: str) -> None:
        self.stream.write(f"  ! {text}\n")

    def _numbered(self, items: list[tuple[Any, str]]) -> None:
        for number, (_, label) in enumerate(items, start=1):
            self.stream.write(f"  {number}. {label}\n")

    def _pick(self, text: str, items: list[tuple[Any, str]]) -> Any:
        """A number from the list, or a value's own name; raise ValueError."""
        if text.isdigit() and 1 <= int(text) <= len(items):
            return items[int(text) - 1][0]
        for value, _ in items:
            if str(value) == text:
                return value
        raise ValueError(f"'{text}' is not one of the numbers 1 to {len(items)}")

    def ask(self, step: Step, check: Callable[[Any], Any]) -> Any:
        self.views.header(step)
        question = step.question
        kind = question.type if question is not None else "text"
        self.stream.write(f"? {_message(step)}\n")
        items: list[tuple[Any, str]] = []
        if kind in ("choice", "multi"):
            assert question is not None
            items = [(c.value, c.label) for c in question.choices]
            self._numbered(items)
        elif kind == "importance":
            items = list(IMPORTANCE.items())
            self._numbered(items)
        if kind == "multi":
            ticked = [
                str(i) for i, (v, _) in enumerate(items, start=1) if v in (step.default or [])
            ]
            prompt = f"  Numbers separated by commas, - for none [{','.join(ticked) or '-'}]: "
        elif kind in ("choice", "importance"):
            current = next(
                (str(i) for i, (v, _) in enumerate(items, start=1) if v == step.default), ""
            )
            prompt = f"  Number 1 to {len(items)} [{current}]: "
        elif kind == "bool":
            prompt = f"  yes or no [{'yes' if step.default in (None, True) else 'no'}]: "
        else:
            bounds = _bounds(step)
            prompt = f"  {bounds + ' ' if bounds else ''}[{_default_text(step)}]: "
        while True:
            text = self._line(prompt)
            if text in ("<", "back"):
                return BACK
            try:
                if text == "":
                    raw: Any = None
                    echo = kept_default_text(step)
                    if echo:
                        self.stream.write(echo + "\n")
                elif kind == "multi":
                    raw = (
                        []
                        if text == "-"
                        else [self._pick(p.strip(), items) for p in text.split(",") if p.strip()]
                    )
                elif kind in ("choice", "importance"):
                    raw = self._pick(text, items)
                else:
                    raw = text
                check(raw)
            except ValueError as exc:
                self._problem(str(exc))
                continue
            return raw

    def review(self, flow: Flow) -> Review:
        every = False
        while True:
            keys = print_summary(self.console, flow, numbered=True, every=every)
            self.stream.write(
                f"s saves to {self.target} · a number changes that answer · "
                + ("c shows only the changed answers" if every else "a shows every answer")
                + " · < goes back to the last question · q stops and keeps a draft\n"
            )
            text = self._line("  [s]: ").lower()
            if text in ("a", "c"):
                every = text == "a"
                continue
            if text in ("", "s", "save"):
                return Review("save")
            if text in ("<", "back"):
                return Review("back")
            if text in ("q", "quit", "stop"):
                return Review("stop")
            if text.isdigit() and 1 <= int(text) <= len(keys):
                return Review("edit", keys[int(text) - 1])
            self._problem(f"type s, a, c, q, < or a number from 1 to {len(keys)}")

    def choose(self, message: str, options: list[tuple[Any, str]], default: Any = None) -> Any:
        self.stream.write(f"? {message}\n")
        self._numbered(options)
        current = next((str(i) for i, (v, _) in enumerate(options, start=1) if v == default), "1")
        while True:
            text = self._line(f"  Number 1 to {len(options)} [{current}]: ")
            try:
                picked = self._pick(text or current, options)
                if not text:
                    self.stream.write(f"  → {dict(options)[picked]} (default)\n")
                return picked
            except ValueError as exc:
                self._problem(str(exc))

    def text(self, message: str, default: str = "") -> str:
        text = self._line(f"? {message} [{default}]: ")
        if not text and default:
            self.stream.write(f"  → {default} (default)\n")
        return text or default
