"""One run of `llmchoose init`: where answers come from (a terminal, an answers file,
defaults, a draft, a decision being revised), the flow, the file written, the closing
summary and the recorded choice. The command in :mod:`llmchoose.cli.init_cmd` only
parses options and starts a run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from llmchoose.loading.fileio import refuse_folder

if TYPE_CHECKING:
    from llmchoose.questionnaire.steps import Seed

__all__ = ["DEFAULT_FILE", "InitRun"]

DEFAULT_FILE = Path("llm-decision.yaml")


def _project_name() -> str:
    words = Path.cwd().name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words).strip()
    return (text[:1].upper() + text[1:]) if text else "My project"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _when(saved: str | None) -> str:
    """``2026-11-28T15:40:12`` -> ``2026-11-28 at 15:40``."""
    if not saved or "T" not in saved:
        return "earlier"
    day, time = saved.split("T", 1)
    return f"{day} at {time[:5]}"


def _resume_hint(target: Path) -> str:
    extra = "" if target == DEFAULT_FILE else f" -o {target.as_posix()}"
    return f"llmchoose init --resume{extra}"


class InitRun:
    """One run of `init`: sources of answers, the flow, and what is written."""

    def __init__(self, **options: Any) -> None:
        self.o = options
        self.terminal: bool = options["terminal"]
        self.asker: Any = None
        self.console: Any = None
        self.extras: dict[str, Any] = {}
        self.description: str | None = None
        self.workload_extras: dict[str, dict[str, Any]] = {}
        self.header: list[str] = []
        self.edit: Path | None = options["edit"]
        self.replace_ok = bool(options["force"])
        self.defaults_seed: Seed | None = None

    # ------------------------------------------------------------------ helpers

    def _asker(self):
        if self.asker is None:
            from llmchoose.cli.init_prompts import make_asker

            self.asker = make_asker(self.target.as_posix(), plain=self.o["plain"])
            self.console = self.asker.console
        return self.asker

    def _console(self):
        if self.console is None:
            from llmchoose.cli.init_prompts import make_console

            self.console = make_console(sys.stderr)
        return self.console

    def _say(self, text: str) -> None:
        from rich.markup import escape

        self._console().print(escape(text))

    def _take_edit(self, path: Path) -> None:
        from llmchoose.questionnaire.answers_file import read_decision_seed

        loaded = read_decision_seed(path, self.criteria)
        self.edit = path
        self.defaults_seed = loaded.seed
        self.extras.update(loaded.extras)
        self.description = loaded.description
        self.workload_extras = loaded.workload_extras
        self.header = loaded.header

    def _draft(self):
        from llmchoose.questionnaire.draft import Draft

        return Draft(
            target=self.target,
            state=self.flow.state(),
            edit=self.edit,
            defaults=self.defaults_seed,
            extras=self.extras,
            description=self.description,
            workload_extras=self.workload_extras,
            header=self.header,
            replace=self.replace_ok,
        )

    def _save_draft(self) -> None:
        from llmchoose.questionnaire.draft import save_draft

        save_draft(self.draft_path, self._draft())

    # ------------------------------------------------------------------ run

    def run(self) -> None:
        from llmchoose.cli.commands import today
        from llmchoose.loading.criteria import load_criteria
        from llmchoose.questionnaire.draft import draft_path

        o = self.o
        self.today = today(o["as_of"])
        self.criteria = load_criteria(o["criteria"] or [])
        self.target = Path(o["output"] or o["edit"] or DEFAULT_FILE)
        refuse_folder(self.target, "--output" if o["output"] else "the decision file")
        self.draft_path = draft_path(self.target)
        if o["resume"]:
            self._start_from_draft()
        else:
            self._start()
        interrupted = self._answer()
        if interrupted:
            return
        self._write_and_show()

    def _start_from_draft(self) -> None:
        from llmchoose.questionnaire.draft import load_draft
        from llmchoose.questionnaire.flow import Flow

        draft = load_draft(self.draft_path)
        self.edit = draft.edit
        self.defaults_seed = draft.defaults
        self.extras = draft.extras
        self.description = draft.description
        self.workload_extras = draft.workload_extras
        self.header = draft.header
        self.replace_ok = self.replace_ok or draft.replace or self.edit == self.target
        self.flow = Flow(self.criteria, defaults=self.defaults_seed, project_name=_project_name())
        notes = self.flow.restore(draft.state)
        if self.terminal and not self.o["defaults"]:
            asker = self._asker()
            asker.note(
                f"Continuing the draft saved {_when(draft.saved)} "
                f"({_count(draft.answered, 'answer')})."
            )
            for note in notes:
                asker.note(note)

    def _start(self) -> None:
        from llmchoose.errors import InputError
        from llmchoose.questionnaire.flow import Flow

        o = self.o
        interactive = self.terminal and not o["defaults"]
        answers_seed = None
        if o["answers"] is not None:  # read first: a mistake in it stops the run at once
            from llmchoose.questionnaire.answers_file import read_answers_file

            loaded = read_answers_file(o["answers"], self.criteria)
            answers_seed = loaded.seed
        if self.draft_path.exists() and interactive:
            from llmchoose.questionnaire.draft import load_draft

            try:
                found = load_draft(self.draft_path)
                about = f"{_count(found.answered, 'answer')}, saved {_when(found.saved)}"
            except InputError:
                about = "unreadable"
            choice = self._asker().choose(
                f"An unfinished run left a draft ({about}). Continue it?",
                [
                    ("resume", "Continue the draft"),
                    ("fresh", "Start again (the draft is replaced at the first answer)"),
                    ("cancel", "Cancel"),
                ],
                "resume",
            )
            if choice == "cancel":
                raise typer.Exit(0)
            if choice == "resume":
                self._start_from_draft()
                return
        if self.edit is not None:
            self._take_edit(self.edit)
            if self.target == self.edit:
                self.replace_ok = True
        if self.target.exists() and not self.replace_ok:
            if not interactive:
                raise InputError(
                    "the decision file exists",
                    file=self.target,
                    hint=f"add --force to replace it, or revise it with --edit {self.target.as_posix()}",
                )
            choice = self._asker().choose(
                f"{self.target.as_posix()} already exists. What should happen to it?",
                [
                    ("edit", "Revise it: its answers become the defaults"),
                    ("replace", "Replace it when the new answers are saved"),
                    ("cancel", "Cancel"),
                ],
                "edit",
            )
            if choice == "cancel":
                raise typer.Exit(0)
            if choice == "edit":
                self._take_edit(self.target)
            self.replace_ok = True
        if o["answers"] is not None:
            self.extras.update(loaded.extras)
            self.description = loaded.description or self.description
            for wid, kept in loaded.workload_extras.items():
                self.workload_extras.setdefault(wid, {}).update(kept)
        self.flow = Flow(
            self.criteria,
            answers=answers_seed,
            defaults=self.defaults_seed,
            project_name=_project_name(),
        )

    def _answer(self) -> bool:
        """Fill the flow; True when the person stopped (the draft keeps the answers)."""
        from llmchoose.errors import InputError

        o = self.o
        flow = self.flow
        if o["defaults"]:
            flow.fill_defaults()
            return False
        if flow.complete and (o["answers"] is not None or not self.terminal):
            return False
        if not self.terminal:
            missing = [s.answer_id + (f" ({s.workload.id})" if s.workload else "") for s in flow.unanswered()]  # fmt: skip
            shown = ", ".join(missing[:6]) + (", …" if len(missing) > 6 else "")
            raise InputError(
                f"{len(missing)} questions have no answer: {shown}",
                file=o["answers"],
                hint="add them to the file, or add --defaults to take the defaults",
            )
        from llmchoose.questionnaire.session import Stop, walk

        asker = self._asker()
        try:
            walk(flow, asker, on_change=self._save_draft)
        except (KeyboardInterrupt, EOFError):
            self._stopped(interrupted=True)
            raise typer.Exit(130) from None
        except Stop:
            self._stopped(interrupted=False)
            return True
        return False

    def _stopped(self, *, interrupted: bool) -> None:
        self._save_draft()
        count = len(self.flow.values)
        prefix = "Stopped." if interrupted else "Not saved."
        self._console().print()
        self._say(
            f"{prefix} {_count(count, 'answer')} kept in {self.draft_path.as_posix()}. "
            f"Continue with: {_resume_hint(self.target)}"
        )

    # ------------------------------------------------------------------ the end

    def _write_and_show(self) -> None:
        from pydantic import ValidationError

        from llmchoose.errors import InputError
        from llmchoose.loading.decision import check_decision_text
        from llmchoose.loading.yamlio import atomic_write
        from llmchoose.questionnaire.output import decision_data, render_decision
        from llmchoose.schemas.decision import Decision

        data = decision_data(
            self.flow,
            extras=self.extras,
            description=self.description,
            workload_extras=self.workload_extras,
        )
        try:
            Decision.model_validate(data)  # every part was checked; this guards the whole
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"the answers do not make a valid decision: {where}: {first['msg']}"
            ) from None
        if self.target.exists() and not self.replace_ok:
            interactive = self.terminal and not self.o["defaults"] and self.asker is not None
            if not interactive:
                raise InputError(
                    "the decision file exists",
                    file=self.target,
                    hint="add --force to replace it",
                )
            choice = self.asker.choose(
                f"{self.target.as_posix()} exists. Replace it?",
                [("replace", "Replace it"), ("stop", "Keep it; keep my answers in a draft")],
                "stop",
            )
            if choice == "stop":
                self._stopped(interrupted=False)
                return
        text = render_decision(
            data, self.criteria, target=self.target, as_of=self.today, header=self.header
        )
        atomic_write(
            self.target, text, check=lambda t: check_decision_text(t, self.target, self.criteria)
        )
        if self.asker is not None and self.draft_path.exists():
            self.draft_path.unlink()
        console = self._console()
        shared, per = self.flow.answer_sets()
        count = len(shared) + sum(len(v) for v in per.values())
        console.print()
        self._say(
            f"Wrote {self.target.as_posix()}: {len(self.flow.workloads)} workload"
            f"{'s' if len(self.flow.workloads) != 1 else ''}, {count} answers."
        )
        if self.asker is None and self.draft_path.exists():
            self._say(
                f"Note: an earlier run's draft is still at {self.draft_path.as_posix()} "
                f"({_resume_hint(self.target)} continues it)."
            )
        try:
            self._rank_and_record()
        except KeyboardInterrupt:
            self._say(f"\nInterrupted. The decision file is saved: {self.target.as_posix()}.")
            raise typer.Exit(130) from None
        self._say(f"Decision file: {self.target.resolve().as_posix()}")

    def _rank_and_record(self) -> None:
        from llmchoose.cli.init_prompts import print_outcomes
        from llmchoose.engine.recommend import recommend
        from llmchoose.loading.decision import load_decision
        from llmchoose.loading.knowledge import load_catalog
        from llmchoose.questionnaire.output import outcomes

        o = self.o
        self.catalog = load_catalog(o["kb"] or [])
        decision = load_decision(self.target, self.criteria)
        rec = recommend(decision, self.catalog, self.criteria, as_of=self.today, samples=100)
        found = outcomes(rec, self.criteria, top=o["top"])
        hybrid = rec.hybrid.summary if rec.hybrid is not None else None
        print_outcomes(self._console(), found, target=self.target.as_posix(), hybrid=hybrid)
        self._record(decision, found)

    def _record(self, decision, found) -> None:
        """Record the choice per workload with llmchoose.decision.decide (a snapshot of the facts
        it relies on, for `llmchoose check`)."""
        from llmchoose.decision.decide import decide
        from llmchoose.loading.decision import check_decision_text
        from llmchoose.loading.yamlio import atomic_write

        o = self.o
        if o["record"] is False:
            return
        if any(outcome.ranked == 0 for outcome in found):
            self._say(
                "No choice recorded: a workload has no option that meets every hard "
                f"requirement. Revise the answers with: llmchoose init --edit {self.target.as_posix()}"
            )
            return
        choose: dict[str, str] | None = None
        reset = False
        decided_by = o["by"]
        interactive = self.asker is not None and o["record"] is None
        if interactive:
            choose, reset, decided_by, go = self._ask_choice(decision, found, decided_by)
            if not go:
                self._say(
                    f"No choice recorded yet. Later: llmchoose decide {self.target.as_posix()}"
                )
                return
        result = decide(
            self.target,
            catalog=self.catalog,
            criteria=self.criteria,
            as_of=self.today,
            choose=choose,
            reset=reset,
            decided_by=decided_by,
        )
        atomic_write(
            self.target,
            result.text,
            check=lambda t: check_decision_text(t, self.target, self.criteria),
        )
        self._console().print()
        for item in result.recorded:
            self._say(
                f"Recorded for {item.workload}: {item.option} (rank {item.rank} of {item.of} models, "
                f"{item.status})."
            )
        for warning in result.warnings:
            self._say(f"Warning: {warning}")
        self._say(f"Keep it honest in CI with: llmchoose check {self.target.as_posix()}")

    def _ask_choice(self, decision, found, decided_by):
        """(choose, reset, decided_by, record?) from the person at the terminal."""
        import getpass
        import os

        asker = self.asker
        recorded = {w.id: w.choice.option for w in decision.workloads if w.choice is not None}
        options = []
        if recorded:
            options.append(("keep", "Keep the recorded choices, with fresh facts"))
        options += [
            ("top", "Record the top option of each workload as the choice"),
            ("pick", "Pick the option for each workload"),
            ("later", f"Not now (later: llmchoose decide {self.target.as_posix()})"),
        ]
        how = asker.choose("Record the choice?", options, options[0][0])
        if how == "later":
            return None, False, decided_by, False
        choose: dict[str, str] | None = None
        reset = how == "top"
        if how == "pick":
            choose = {}
            for outcome in found:
                picks = [(line.id, f"{line.rank}. {line.id} — {line.why}") for line in outcome.top]
                default = recorded.get(outcome.id)
                if default not in [p[0] for p in picks]:
                    default = picks[0][0]
                choose[outcome.id] = asker.choose(f"Choice for {outcome.name}?", picks, default)
        if decided_by is None:
            known = next((w.choice.decided_by for w in decision.workloads if w.choice), None)
            try:
                user = getpass.getuser()
            except Exception:  # no user name in some containers
                user = ""
            fallback = known or os.environ.get("LLMCHOOSE_DECIDED_BY") or user
            decided_by = asker.text("Who decides? (a name or a team)", fallback).strip() or None
        return choose, reset, decided_by, True
