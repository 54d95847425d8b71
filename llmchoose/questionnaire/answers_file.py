"""Read an answers file (``init --answers``) or a decision being revised (``init --edit``)
into a :class:`~llmchoose.questionnaire.steps.Seed`.

An answers file is a decision file with everything optional::

    project: Acme support chatbot        # or {name: ..., organisation: ...}
    answers:                             # shared by every workload
      ops_capability: none
    workloads:
      - Support chat                     # a name, or a mapping:
      - name: Contract review
        answers: {data_sensitivity: confidential}

so a decision file replays as it is. Every problem is one :class:`InputError` naming
the file, the line, the question id (with a did-you-mean) and what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.answers import check_answer_ids
from llmchoose.loading.criteria import CriteriaSet
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.yamlio import LineDict, LineList, header_comments, line_of, load_yaml
from llmchoose.questionnaire.steps import Seed, WorkloadRef, slug
from llmchoose.schemas.common import ID_PATTERN
from llmchoose.schemas.criteria import Question
from llmchoose.schemas.decision import Decision

__all__ = ["Loaded", "allowed", "read_answers_file", "read_decision_seed"]

TOP_KEYS = ("version", "project", "answers", "workloads", "weights", "ahp", "method", "policy")
PROJECT_KEYS = ("name", "organisation", "description")
WORKLOAD_KEYS = ("id", "name", "description", "answers", "choice")
CARRIED = ("weights", "ahp", "method", "policy")


@dataclass
class Loaded:
    """A seed for the flow, and what the decision file keeps beyond the answers."""

    path: Path
    seed: Seed
    extras: dict[str, Any] = field(default_factory=dict)  # weights, ahp, method, policy
    description: str | None = None  # the project's
    workload_extras: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id
    header: list[str] = field(default_factory=list)  # comment lines at the file's top


def plain(value: Any) -> Any:
    """YAML data (LineDict / LineList) as plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def allowed(question: Question) -> str:
    """What an answer to this question may be, in a few words."""
    if question.type in ("choice", "multi"):
        values = ", ".join(c.value for c in question.choices)
        return f"allowed: {values}" if question.type == "choice" else f"allowed: a list of {values}"
    if question.type == "bool":
        return "allowed: true or false"
    if question.type == "importance":
        return "allowed: 1 to 5"
    if question.type == "number":
        kind = "a whole number" if question.integer else "a number"
        low = "" if question.min is None else f" from {question.min:,.12g}"
        high = "" if question.max is None else f" to {question.max:,.12g}"
        unit = f" {question.unit}" if question.unit else ""
        return f"allowed: {kind}{low}{high}{unit}"
    return "allowed: text"


def _keys(node: Any, allowed_keys: tuple[str, ...], where: str, path: Path) -> None:
    for key in node:
        if key not in allowed_keys:
            raise InputError(
                f"{where}unknown key '{key}'",
                file=path,
                line=node.lines.get(key) if isinstance(node, LineDict) else None,
                hint=did_you_mean(str(key), allowed_keys) or f"allowed: {', '.join(allowed_keys)}",
            )


def _answers(
    criteria: CriteriaSet, node: Any, where: str, path: Path, line: int | None
) -> dict[str, Any]:
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise InputError(f"{where}: expected a mapping of question ids to answers", file=path, line=line)  # fmt: skip
    lines = node.lines if isinstance(node, LineDict) else {}
    questions = criteria.questions
    checked: dict[str, Any] = {}
    for qid, value in node.items():
        try:
            checked.update(
                check_answer_ids(criteria, {qid: plain(value)}, file=path, lines=lines, where=where)
            )
        except InputError as exc:
            if exc.hint is None and qid in questions and "allowed" not in exc.message:
                exc.hint = allowed(questions[qid])
            raise
    return checked


def _text(value: Any, where: str, path: Path, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: expected text", file=path, line=line)
    return " ".join(value.split())


def _workload_item(
    raw: Any, workloads: Any, index: int, criteria: CriteriaSet, path: Path
) -> tuple[str, str | None, dict[str, Any], Any, int | None]:
    """One entry of ``workloads``: its name, id, answers, description and line."""
    item = workloads[index]
    line = workloads.lines[index] if isinstance(workloads, LineList) else None
    where = f"workloads[{index}]"
    if isinstance(item, str):
        name, wid, answers, description = _text(item, where, path, line), None, {}, None
    elif isinstance(item, dict):
        _keys(item, WORKLOAD_KEYS, f"{where}: ", path)
        wid = item.get("id")
        if wid is not None and (not isinstance(wid, str) or not re.match(ID_PATTERN, wid)):
            raise InputError(
                f"{where}.id: '{wid}' is not a valid id",
                file=path,
                line=line_of(raw, ("workloads", index, "id")),
                hint="lower-case letters, digits, '.', '_' and '-', e.g. support-chat",
            )
        if item.get("name") is None and wid is None:
            raise InputError(f"{where}: give the workload a name", file=path, line=line)
        name = (
            _text(item["name"], f"{where}.name", path, line)
            if item.get("name") is not None
            else str(wid)  # a valid id (checked above) when no name is given
        )
        answers = _answers(
            criteria,
            item.get("answers"),
            f"{where}.answers",
            path,
            line_of(raw, ("workloads", index, "answers")),
        )
        description = item.get("description")
    else:
        raise InputError(f"{where}: expected a name or a mapping", file=path, line=line)
    return name, wid, answers, description, line


def _read_project(raw: Any, lines: dict[str, int], path: Path, loaded: Loaded) -> None:
    """The ``project`` entry (a name, or a mapping) into the seed."""
    seed = loaded.seed
    project = raw.get("project")
    if isinstance(project, str):
        seed.name, seed.project_given = _text(project, "project", path, lines["project"]), True
    elif isinstance(project, dict):
        _keys(project, PROJECT_KEYS, "project: ", path)
        line = line_of(raw, ("project",))
        if "name" in project:
            seed.name = _text(project["name"], "project.name", path, line_of(raw, ("project", "name")))  # fmt: skip
        if project.get("organisation") is not None:
            seed.organisation = _text(project["organisation"], "project.organisation", path,
                                      line_of(raw, ("project", "organisation")))  # fmt: skip
        if project.get("description") is not None:
            loaded.description = _text(project["description"], "project.description", path, line)
        seed.project_given = True
    elif project is not None:
        raise InputError(
            "project: expected a name, or a mapping with name and organisation",
            file=path,
            line=lines.get("project"),
        )


def _read_workloads(
    raw: Any, lines: dict[str, int], criteria: CriteriaSet, path: Path, loaded: Loaded
) -> None:
    """The ``workloads`` list into the seed: ids unique, answers checked."""
    seed = loaded.seed
    workloads = raw.get("workloads")
    if workloads is not None:
        if not isinstance(workloads, list) or not workloads:
            raise InputError(
                "workloads: expected a list of workload names or mappings",
                file=path,
                line=lines.get("workloads"),
            )
        refs: list[WorkloadRef] = []
        for index in range(len(workloads)):
            name, wid, answers, description, line = _workload_item(
                raw, workloads, index, criteria, path
            )
            where = f"workloads[{index}]"
            ref = WorkloadRef(wid or slug(name), name)
            if not ref.id:
                raise InputError(f"{where}: '{name}' needs a letter or digit", file=path, line=line)
            if any(r.id == ref.id for r in refs):
                raise InputError(
                    f"{where}: a second workload with the id '{ref.id}'",
                    file=path,
                    line=line,
                    hint="give each workload its own name or id",
                )
            refs.append(ref)
            if answers:
                seed.per_workload[ref.id] = answers
            if description:
                loaded.workload_extras[ref.id] = {"description": description}
        seed.workloads = refs


def read_answers_file(path: str | Path, criteria: CriteriaSet) -> Loaded:
    """Read and check an answers file; raise one InputError on the first problem."""
    path = Path(path)
    raw = load_yaml(path)
    if raw is None:
        raw = LineDict()
        raw.lines = {}
    if not isinstance(raw, dict):
        raise InputError(
            "expected a mapping with project, answers and workloads", file=path, line=1
        )
    _keys(raw, TOP_KEYS, "", path)
    lines: dict[str, int] = getattr(raw, "lines", {})
    if "version" in raw and raw["version"] != 1:
        raise InputError("version: expected 1", file=path, line=lines.get("version"))
    seed = Seed()
    loaded = Loaded(path=path, seed=seed, header=header_comments(path.read_text(encoding="utf-8")))
    _read_project(raw, lines, path, loaded)
    seed.shared = _answers(criteria, raw.get("answers"), "answers", path, lines.get("answers"))
    _read_workloads(raw, lines, criteria, path, loaded)
    extras = {k: plain(raw[k]) for k in CARRIED if k in raw}
    if extras:
        try:
            Decision.model_validate(
                {"project": {"name": "x"}, "workloads": [{"id": "x", "name": "x"}], **extras}
            )
        except ValidationError as exc:
            raise validation_errors(exc, model=Decision, raw=raw, file=path)[0] from None
        loaded.extras = extras
    return loaded


def read_decision_seed(path: str | Path, criteria: CriteriaSet) -> Loaded:
    """A decision file to revise: its answers become the questionnaire's defaults, and
    what the questionnaire does not ask (choices, weights, policy …) is kept."""
    from llmchoose.loading.decision import load_decision

    path = Path(path)
    decision = load_decision(path, criteria)
    raw = load_yaml(path)
    seed = Seed(
        name=decision.project.name,
        organisation=decision.project.organisation,
        project_given=True,
        workloads=[WorkloadRef(w.id, w.name) for w in decision.workloads],
        shared=dict(decision.answers),
        per_workload={w.id: dict(w.answers) for w in decision.workloads if w.answers},
    )
    loaded = Loaded(
        path=path,
        seed=seed,
        extras={k: plain(raw[k]) for k in CARRIED if k in raw},
        description=decision.project.description,
        header=header_comments(path.read_text(encoding="utf-8")),
    )
    for index, workload in enumerate(decision.workloads):
        kept = {}
        if workload.description:
            kept["description"] = workload.description
        if workload.choice is not None:
            kept["choice"] = plain(raw["workloads"][index]["choice"])
        if kept:
            loaded.workload_extras[workload.id] = kept
    return loaded
