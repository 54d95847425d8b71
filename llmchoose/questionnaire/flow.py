"""The questionnaire as a state machine: which question comes next, what is skipped,
what each answer defaults to, and going back — with no UI in it.

The steps are computed afresh from the answers every time, so a ``when:`` condition
that stops holding removes its question (its answer is kept, in case it holds again,
but never written), and one that starts holding adds it. The order is the project's
name, its organisation and its workloads, then every factor's questions in the order
of ``criteria/``; a workload-scope question becomes one step per workload, each
defaulting to the previous workload's answer, so a team only changes what differs.

A step's default is, in order: the answer already given; the answer in the decision
being edited; the previous workload's answer; the question's own default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmchoose.loading.answers import check_answer
from llmchoose.loading.conditions import evaluate
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.questionnaire.steps import (
    MISSING,
    NAME,
    ORGANISATION,
    PROJECT_STEPS,
    USE_DEFAULT,
    WORKLOADS,
    Seed,
    Step,
    SummarySection,
    WorkloadRef,
    checked_answers,
    parse_workloads,
    question_answer,
    summarise,
)
from llmchoose.schemas.criteria import Question

__all__ = ["Flow"]


class Flow:
    """The questionnaire's state: answers so far and the step being asked."""

    def __init__(
        self,
        criteria: CriteriaSet,
        *,
        answers: Seed | None = None,
        defaults: Seed | None = None,
        project_name: str = "My project",
    ) -> None:
        self.criteria = criteria
        self.defaults = defaults or Seed()
        self.project_name_default = project_name
        self.values: dict[str, Any] = {}
        self.visited: list[str] = []
        # Project-wide questions a file answers for one workload only: kept as they are.
        self.overrides: dict[str, dict[str, Any]] = {}
        # Workload-scope answers given once for every workload (answers files).
        self.preset: dict[str, Any] = {}
        self.cursor: str | None = NAME
        self.reviewing = False
        for seed, answered in ((self.defaults, False), (answers, True)):
            if seed is not None:
                self._take(seed, answered)
        self.cursor = self._resume_point()

    # ------------------------------------------------------------------ seeding

    def _take(self, seed: Seed, answered: bool) -> None:
        questions = self.criteria.questions
        for wid, given in seed.per_workload.items():
            for qid, value in given.items():
                if qid in questions and questions[qid].scope == "project":
                    self.overrides.setdefault(wid, {})[qid] = value
        if not answered:
            return
        if seed.name is not None:
            self.values[NAME] = seed.name
        if seed.project_given:
            self.values[ORGANISATION] = seed.organisation
        if seed.workloads:
            self.values[WORKLOADS] = list(seed.workloads)
        for qid, value in seed.shared.items():
            if qid not in questions:
                continue
            if questions[qid].scope == "workload":
                self.preset[qid] = value
            else:
                self.values[qid] = value
        for wid, given in seed.per_workload.items():
            for qid, value in given.items():
                if qid in questions and questions[qid].scope == "workload":
                    self.values[f"{qid}@{wid}"] = value

    def _resume_point(self) -> str | None:
        first = self._first_unanswered(self.steps())
        return first.key if first else None

    # ------------------------------------------------------------------ state

    @property
    def workloads(self) -> list[WorkloadRef]:
        given = self.values.get(WORKLOADS)
        if given:
            return list(given)
        return list(self.defaults.workloads or [WorkloadRef("main", "Main workload")])

    def _default(
        self,
        key: str,
        question: Question,
        workload: WorkloadRef | None,
        previous: Any,
        context: Mapping[str, Any] | None = None,
    ):
        """(value, source, note) a step offers when it has no answer yet."""
        seed = self.defaults
        if workload is not None:
            own = seed.per_workload.get(workload.id, {})
            if question.id in own:
                return own[question.id], "previous", "the answer in the file being revised"
        if question.id in seed.shared:
            return seed.shared[question.id], "previous", "the answer in the file being revised"
        rule = question.default_from
        if rule is not None and context is not None and rule.question in context:
            source = context[rule.question]
            if str(source) in rule.values:
                note = f"from this workload's {rule.question.replace('_', ' ')}: {source}"
                return rule.values[str(source)], "default", note
        if previous is not MISSING:
            value, name = previous
            return value, "workload", f"same as {name}"
        return question.default, "default", None

    def _project_rows(self) -> list[dict[str, Any]]:
        """The project's name, organisation and workloads, as step fields."""
        rows = []
        for key in (NAME, ORGANISATION, WORKLOADS):
            kind, text, help_text, example = PROJECT_STEPS[key]
            if key in self.values:
                value, source = self.values[key], "answered"
            elif key == NAME:
                value = self.defaults.name or self.project_name_default
                source = "previous" if self.defaults.name else "default"
            elif key == ORGANISATION:
                value = self.defaults.organisation
                source = "previous" if value else "default"
            else:
                value = self.workloads
                source = "previous" if self.defaults.workloads else "default"
            rows.append(
                dict(key=key, kind=kind, text=text, help=help_text, example=example,
                     question=None, factor=None, factor_number=0, workload=None,
                     workload_number=0, default=value, source=source, source_note=None)
            )  # fmt: skip
        return rows

    def _workload_rows(
        self, question: Question, base: dict[str, Any], context: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """A workload-scope question: one step per workload its condition holds for."""
        rows = []
        previous: Any = MISSING
        for index, workload in enumerate(self.workloads, start=1):
            if question.when is not None and not evaluate(question.when, context[workload.id]):
                continue
            key = f"{question.id}@{workload.id}"
            if key in self.values:
                value, source, note = self.values[key], "answered", None
            elif question.id in self.preset:
                value, source, note = self.preset[question.id], "answered", None
            elif question.id in self.values:
                # A draft from before the question was asked per workload.
                value, source, note = self.values[question.id], "answered", None
            else:
                value, source, note = self._default(
                    key, question, workload, previous, context[workload.id]
                )
            rows.append(dict(base, key=key, workload=workload, workload_number=index,
                             default=value, source=source, source_note=note))  # fmt: skip
            if value is not None:
                context[workload.id][question.id] = value
            previous = (value, workload.name)
        return rows

    def _project_row(
        self, question: Question, base: dict[str, Any], context: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """A project-scope question: one step, when its condition holds for any workload."""
        holds = {
            w.id: question.when is None or bool(evaluate(question.when, context[w.id]))
            for w in self.workloads
        }
        if not any(holds.values()):
            return []
        key = question.id
        if key in self.values:
            value, source, note = self.values[key], "answered", None
        else:
            value, source, note = self._default(key, question, None, MISSING)
        for w in self.workloads:
            own = self.overrides.get(w.id, {})
            given = own.get(question.id, value)
            if holds[w.id] and given is not None:
                context[w.id][question.id] = given
        return [dict(base, key=key, workload=None, workload_number=0,
                     default=value, source=source, source_note=note)]  # fmt: skip

    def steps(self) -> list[Step]:
        """Every step the answers so far call for, in asking order."""
        criteria = self.criteria.criteria
        workloads = self.workloads
        raw = self._project_rows()
        context: dict[str, dict[str, Any]] = {w.id: {} for w in workloads}
        for number, criterion in enumerate(criteria, start=1):
            for question in criterion.questions:
                base = dict(kind="question", text=question.text, help=question.help,
                            example=question.example, question=question, factor=criterion,
                            factor_number=number)  # fmt: skip
                if question.scope == "workload":
                    raw += self._workload_rows(question, base, context)
                else:
                    raw += self._project_row(question, base, context)
        total = len(raw)
        steps = []
        last_factor = None
        for number, item in enumerate(raw, start=1):
            steps.append(
                Step(
                    **item,
                    factor_count=len(criteria),
                    workload_count=len(workloads),
                    answered=item["source"] == "answered",
                    number=number,
                    total=total,
                    first_in_factor=item["factor_number"] != last_factor,
                )
            )
            last_factor = item["factor_number"]
        return steps

    def _find(self, key: str | None) -> Step | None:
        return next((s for s in self.steps() if s.key == key), None)

    @staticmethod
    def _first_unanswered(steps: list[Step]) -> Step | None:
        return next((s for s in steps if not s.answered), None)

    def current(self) -> Step | None:
        """The step to ask now, or None when every step has an answer (the summary)."""
        if self.cursor is None:
            return None
        step = self._find(self.cursor)
        if step is None:  # its condition stopped holding
            self.cursor = self._resume_point()
            self.reviewing = False
            return self._find(self.cursor) if self.cursor else None
        return step

    def unanswered(self) -> list[Step]:
        return [s for s in self.steps() if not s.answered]

    @property
    def complete(self) -> bool:
        return not self.unanswered()

    # ------------------------------------------------------------------ answering

    def check(self, step: Step, raw: Any = USE_DEFAULT) -> Any:
        """The answer in its proper type; raise ValueError saying what is allowed.

        ``USE_DEFAULT``, None or blank text take the step's default.
        """
        blank = raw is USE_DEFAULT or raw is None or (isinstance(raw, str) and not raw.strip())
        if step.kind == "organisation":
            if blank:
                return step.default
            text = " ".join(str(raw).split())
            if text == "-":
                return None
            if len(text) > 200:
                raise ValueError("at most 200 characters")
            return text
        if blank:
            raw = step.default
            if raw is None:
                if step.kind in ("name", "workloads"):
                    raise ValueError("an answer is needed here")
                return None
        if step.kind == "name":
            text = " ".join(str(raw).split())
            if not text:
                raise ValueError("an answer is needed here")
            if len(text) > 200:
                raise ValueError("at most 200 characters")
            return text
        if step.kind == "workloads":
            return parse_workloads(raw, [*self.workloads, *(self.defaults.workloads or [])])
        assert step.question is not None
        return question_answer(step.question, raw)

    def answer(self, raw: Any = USE_DEFAULT) -> Any:
        """Record an answer to the current step and move on; return the answer."""
        step = self.current()
        if step is None:
            raise RuntimeError("every step is answered")
        value = self.check(step, raw)
        self.values[step.key] = value
        if step.key not in self.visited:
            self.visited.append(step.key)
        steps = self.steps()
        keys = [s.key for s in steps]
        following: Step | None = None
        if not self.reviewing and step.key in keys:
            after = steps[keys.index(step.key) + 1 :]
            # Forward through what was asked before (after going back), past what an
            # answers file settled, to the first open step.
            following = next((s for s in after if not s.answered or s.key in self.visited), None)
        if following is None:
            following = self._first_unanswered(steps)
        self.cursor = following.key if following else None
        if self.cursor is None:
            self.reviewing = False
        return value

    def skip(self) -> Any:
        """Take the current step's default."""
        return self.answer(USE_DEFAULT)

    def back(self) -> bool:
        """Go to the previous step asked; False when there is none."""
        steps = self.steps()
        if self.cursor is None:
            before = steps
        elif self.reviewing:
            self.cursor, self.reviewing = None, False
            return True
        else:
            keys = [s.key for s in steps]
            before = steps[: keys.index(self.cursor)] if self.cursor in keys else steps
        target = next((s for s in reversed(before) if s.key in self.visited), None)
        if target is None and self.cursor is None and steps:
            target = steps[-1]
        if target is None:
            return False
        self.cursor = target.key
        return True

    def goto(self, key: str) -> None:
        """Revisit one step from the summary; after it, the flow returns to the summary
        (asking first any step the new answer opens)."""
        if self._find(key) is None:
            raise KeyError(key)
        self.cursor = key
        self.reviewing = True

    def fill_defaults(self) -> int:
        """Answer every open step with its default; return how many were filled."""
        filled = 0
        while True:
            step = self._first_unanswered(self.steps())
            if step is None:
                break
            self.values[step.key] = self.check(step)
            filled += 1
        self.cursor, self.reviewing = None, False
        return filled

    # ------------------------------------------------------------------ results

    @property
    def project(self) -> tuple[str, str | None]:
        steps = {s.key: s for s in self.steps()}
        return steps[NAME].default, steps[ORGANISATION].default

    def answer_sets(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """(shared answers, answers per workload id), each in asking order.

        With several workloads, a workload-scope answer that is the same for all of
        them is written once, with the shared answers.
        """
        steps = self.steps()
        workloads = self.workloads
        shared: dict[str, Any] = {}
        per: dict[str, dict[str, Any]] = {w.id: {} for w in workloads}
        for criterion in self.criteria.criteria:
            for question in criterion.questions:
                mine = [s for s in steps if s.question is question]
                if not mine:
                    continue
                if question.scope == "project":
                    if mine[0].default is not None:
                        shared[question.id] = mine[0].default
                    continue
                values = [s.default for s in mine]
                # Importances that agree stay at the top of the file even for one workload,
                # where a reader looks for the project's priorities.
                several = len(workloads) > 1 or question.type == "importance"
                if several and len(mine) == len(workloads) and all(v == values[0] for v in values):
                    if values[0] is not None:
                        shared[question.id] = values[0]
                    continue
                for s in mine:
                    if s.default is not None and s.workload is not None:
                        per[s.workload.id][question.id] = s.default
        for wid, given in self.overrides.items():
            if wid in per:
                per[wid].update(given)
        return shared, per

    def summary(self) -> list[SummarySection]:
        """Every answer, grouped by factor, one entry per question."""
        return summarise(self.steps(), self.criteria.criteria, self.workloads, self.overrides)

    # ------------------------------------------------------------------ drafts

    def state(self) -> dict[str, Any]:
        """Plain data to save in a draft."""
        values = {}
        for key, value in self.values.items():
            if key == WORKLOADS:
                value = [{"id": w.id, "name": w.name} for w in value]
            values[key] = value
        return {
            "values": values,
            "preset": dict(self.preset),
            "overrides": {wid: dict(given) for wid, given in self.overrides.items()},
            "visited": list(self.visited),
            "cursor": self.cursor,
            "reviewing": self.reviewing,
        }

    def restore(self, state: Mapping[str, Any]) -> list[str]:
        """Take back a saved state; return a note for each answer no longer valid."""
        notes: list[str] = []
        questions = self.criteria.questions
        values = state.get("values") or {}
        if not isinstance(values, Mapping):
            values = {}
        # Workloads first: question keys depend on them.
        ordered = sorted(values.items(), key=lambda kv: kv[0] != WORKLOADS)
        for key, value in ordered:
            key = str(key)
            try:
                if key == WORKLOADS:
                    self.values[key] = parse_workloads(value)
                elif key == NAME:
                    self.values[key] = self.check(self._fake(key), value)
                elif key == ORGANISATION:
                    self.values[key] = None if value is None else self.check(self._fake(key), value)
                else:
                    qid = key.split("@", 1)[0]
                    if qid not in questions:
                        notes.append(f"'{qid}' is no longer a question; its answer was dropped")
                        continue
                    self.values[key] = check_answer(questions[qid], value)
            except ValueError as exc:
                notes.append(f"{key}: {exc}; asking again")
        self.preset.update(checked_answers(questions, state.get("preset"), notes, "asking again"))
        overrides = state.get("overrides") or {}
        for wid, given in overrides.items() if isinstance(overrides, Mapping) else ():
            checked = checked_answers(questions, given, notes, "dropped", f" for {wid}")
            if checked:
                self.overrides.setdefault(str(wid), {}).update(checked)
        visited = state.get("visited") or []
        self.visited = [str(k) for k in visited if str(k) in self.values]
        cursor = state.get("cursor")
        self.reviewing = bool(state.get("reviewing")) and cursor is not None
        if isinstance(cursor, str) and self._find(cursor) is not None:
            self.cursor = cursor
        else:
            self.cursor = self._resume_point()
            self.reviewing = False
        return notes

    def _fake(self, key: str) -> Step:
        kind = PROJECT_STEPS[key][0]
        return Step(key, kind, "", None, None, None, None, 0, 0, None, 0, 0, None,
                    "default", None, False, 0, 0, False)  # fmt: skip
