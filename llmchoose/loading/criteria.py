"""Load the decision factors: built-in ``criteria/``, then project and ``--criteria`` layers.

A later layer may change a factor by id: its top-level keys replace the earlier ones,
except ``questions`` and ``constraints``, which merge by id so a project can change one
question's default without copying the whole file.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from llmchoose.cachefiles import caching_on
from llmchoose.errors import InputError, did_you_mean
from llmchoose.loading.jsonrecords import NotCacheable, RecordCodec
from llmchoose.loading.kbcache import (
    LayerSnapshot,
    load_entry,
    parse_file,
    record_codec,
    snapshot_layers,
    store_entry,
)
from llmchoose.loading.layers import KnowledgeErrors
from llmchoose.loading.messages import validation_errors
from llmchoose.loading.paths import layer_folders
from llmchoose.loading.yamlio import MAX_YAML_BYTES
from llmchoose.schemas.criteria import (
    AnswerRef,
    Condition,
    Criterion,
    NumericScorer,
    Question,
    TableScorer,
)
from llmchoose.schemas.vocabulary import ATTRIBUTES

__all__ = ["CriteriaSet", "criteria_layers", "load_criteria", "question_rows"]

_BY_ID = ("questions", "constraints")


@dataclass
class CriteriaSet:
    """The factors in asking order, and every question by id."""

    criteria: list[Criterion]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for c in self.criteria for q in c.questions}

    def by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def owner(self, question_id: str) -> Criterion:
        for criterion in self.criteria:
            if any(q.id == question_id for q in criterion.questions):
                return criterion
        raise KeyError(question_id)


def criteria_layers(
    extra: list[Path] | tuple[Path, ...] = (), *, builtin: bool = True
) -> list[Path]:
    return layer_folders("criteria", extra, builtin=builtin)


def _merge(base: dict, overlay: dict) -> dict:
    merged = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if key in _BY_ID and isinstance(value, list) and isinstance(merged.get(key), list):
            items = {item.get("id"): item for item in merged[key] if isinstance(item, dict)}
            order = list(items)
            for item in value:
                if isinstance(item, dict) and item.get("id") in items:
                    items[item["id"]] = {**items[item["id"]], **item}
                elif isinstance(item, dict):
                    items[item.get("id")] = item
                    order.append(item.get("id"))
            merged[key] = [items[i] for i in order]
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _check_condition(
    condition: Condition,
    *,
    questions: set[str],
    attributes: bool,
    where: str,
    file: Path,
    errors: list,
) -> None:
    for qid in sorted(condition.questions()):
        if qid not in questions:
            errors.append(
                InputError(
                    f"{where}: unknown question '{qid}'",
                    file=file,
                    hint=did_you_mean(qid, questions),
                )
            )
    for name in sorted(condition.attributes()):
        if not attributes:
            errors.append(
                InputError(
                    f"{where}: conditions on answers use 'question', not 'attribute'", file=file
                )
            )
        elif name not in ATTRIBUTES:
            errors.append(
                InputError(
                    f"{where}: unknown option attribute '{name}'",
                    file=file,
                    hint=did_you_mean(name, ATTRIBUTES),
                )
            )


def _check_scoring(
    criterion: Criterion, questions: set[str], file: Path, errors: list[InputError]
) -> None:
    """A factor's scorer reads a known fact, and its conditions and cap known answers."""
    scoring = criterion.scoring
    if isinstance(scoring, TableScorer | NumericScorer) and scoring.attribute not in ATTRIBUTES:
        errors.append(
            InputError(
                f"scoring: unknown option attribute '{scoring.attribute}'",
                file=file,
                hint=did_you_mean(scoring.attribute, ATTRIBUTES),
            )
        )
    if isinstance(scoring, TableScorer):
        for adjustment in scoring.adjustments:
            _check_condition(
                adjustment.when,
                questions=questions,
                attributes=True,
                where="scoring adjustment",
                file=file,
                errors=errors,
            )
    if (
        isinstance(scoring, NumericScorer)
        and isinstance(scoring.cap, AnswerRef)
        and scoring.cap.answer not in questions
    ):
        errors.append(
            InputError(f"scoring cap: unknown question '{scoring.cap.answer}'", file=file)
        )
    unknown_cap = getattr(getattr(scoring, "unknown", None), "cap", None)
    if unknown_cap is not None and unknown_cap not in ATTRIBUTES:
        errors.append(
            InputError(
                f"scoring unknown.cap: unknown option attribute '{unknown_cap}'",
                file=file,
                hint=did_you_mean(unknown_cap, ATTRIBUTES),
            )
        )


def _cross_check(
    criteria: list[Criterion], files: dict[str, Path], errors: list[InputError]
) -> None:
    seen: dict[str, str] = {}
    for criterion in criteria:
        for question in criterion.questions:
            if question.id in seen:
                errors.append(
                    InputError(
                        f"question id '{question.id}' is used by '{seen[question.id]}' and '{criterion.id}'",
                        file=files[criterion.id],
                    )
                )
            seen[question.id] = criterion.id
    questions = set(seen)
    by_id = {q.id: q for c in criteria for q in c.questions}
    for criterion in criteria:
        file = files[criterion.id]
        for question in criterion.questions:
            if question.when:
                _check_condition(
                    question.when,
                    questions=questions,
                    attributes=False,
                    where=f"question '{question.id}' when",
                    file=file,
                    errors=errors,
                )
        for rule in criterion.constraints:
            _check_condition(
                rule.when,
                questions=questions,
                attributes=False,
                where=f"constraint '{rule.id}' when",
                file=file,
                errors=errors,
            )
            _check_condition(
                rule.require,
                questions=questions,
                attributes=True,
                where=f"constraint '{rule.id}' require",
                file=file,
                errors=errors,
            )
        if criterion.weight_question:
            target = by_id.get(criterion.weight_question)
            if target is None or target.type != "importance":
                errors.append(
                    InputError(
                        f"weight_question '{criterion.weight_question}' must name an importance question",
                        file=file,
                        hint=did_you_mean(
                            criterion.weight_question,
                            [q.id for q in criterion.questions if q.type == "importance"],
                        ),
                    )
                )
        _check_scoring(criterion, questions, file, errors)


def load_criteria(
    extra: list[Path] | tuple[Path, ...] = (),
    *,
    builtin: bool = True,
    layers: list[Path] | None = None,
) -> CriteriaSet:
    """Load, merge and validate every factor; raise :class:`KnowledgeErrors` on problems.

    Layers whose files are unchanged since a run that loaded them come from the cache
    (:mod:`llmchoose.loading.kbcache`)."""
    folders = layers if layers is not None else criteria_layers(extra, builtin=builtin)
    snapshot = snapshot_layers(folders, "criteria", max_bytes=MAX_YAML_BYTES)
    found = _cached(snapshot)
    if found is None:
        found = _parse_criteria(snapshot)
        _store(snapshot, found)
    return found


def _merge_layers(
    snapshot: LayerSnapshot, errors: list[InputError]
) -> dict[str, tuple[dict, Path, object]]:
    """Each factor's raw data as the layers together define it, with the file that last
    changed it and that file's data (for error lines)."""
    raw_by_id: dict[str, tuple[dict, Path, object]] = {}
    for files, folder_error in zip(snapshot.files, snapshot.folder_errors, strict=True):
        if folder_error is not None:
            errors.append(folder_error)
            continue
        layer_ids: dict[str, Path] = {}
        for item in files:
            path = item.path
            try:
                data = parse_file(item)
            except InputError as exc:
                errors.append(exc)
                continue
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                errors.append(
                    InputError("expected one factor: a mapping with an 'id'", file=path, line=1)
                )
                continue
            factor_id = data["id"]
            if factor_id in layer_ids:
                errors.append(
                    InputError(
                        f"duplicate factor id '{factor_id}'",
                        file=path,
                        hint=f"also in {layer_ids[factor_id]}",
                    )
                )
                continue
            layer_ids[factor_id] = path
            if factor_id in raw_by_id:
                merged = _merge(raw_by_id[factor_id][0], data)
                raw_by_id[factor_id] = (merged, path, data)
            else:
                raw_by_id[factor_id] = (data, path, data)
    return raw_by_id


def _parse_criteria(snapshot: LayerSnapshot) -> CriteriaSet:
    errors: list[InputError] = []
    raw_by_id = _merge_layers(snapshot, errors)
    criteria: list[Criterion] = []
    files: dict[str, Path] = {}
    for factor_id, (raw, path, file_data) in raw_by_id.items():
        try:
            criterion = Criterion.model_validate(dict(raw))
        except ValidationError as exc:
            errors += validation_errors(
                exc, model=Criterion, raw=file_data, file=path, raw_root=file_data
            )
            continue
        criteria.append(criterion)
        files[factor_id] = path
    criteria.sort(key=lambda c: (c.order, c.id))
    if not errors:
        _cross_check(criteria, files, errors)
    if errors:
        raise KnowledgeErrors(errors)
    return CriteriaSet(criteria=criteria, files=files)


def _codec() -> RecordCodec:
    return record_codec("criteria")


def _store(snapshot: LayerSnapshot, found: CriteriaSet) -> None:
    """Remember factors loaded without errors: the validated factors, and each one's file."""
    if snapshot.key is None or not caching_on():
        return
    try:
        text = json.dumps([_codec().encode(c) for c in found.criteria], separators=(",", ":"))
    except NotCacheable:
        return
    files = [[factor_id, str(path)] for factor_id, path in found.files.items()]
    store_entry("criteria", snapshot.key, {"criteria": text, "files": files})


def _cached(snapshot: LayerSnapshot) -> CriteriaSet | None:
    entry = load_entry("criteria", snapshot.key)
    if entry is None:
        return None
    try:
        criteria = _codec().decode(entry["criteria"])
        files = {factor_id: Path(path) for factor_id, path in entry["files"]}
        if not all(isinstance(c, Criterion) for c in criteria) or set(files) != {
            c.id for c in criteria
        }:
            return None
    except (LookupError, TypeError, ValueError, AttributeError):
        return None  # damaged or not one of ours: loaded afresh and replaced
    return CriteriaSet(criteria=criteria, files=files)


def question_rows(criteria: CriteriaSet) -> list[dict[str, Any]]:
    """Every question as plain data: factor, id, scope, type, allowed answers, default."""
    rows = []
    for criterion in criteria.criteria:
        for q in criterion.questions:
            allowed = [c.value for c in q.choices]
            if q.type in ("number", "importance"):
                low = "" if q.min is None else f"{q.min:.12g}"
                high = "" if q.max is None else f"{q.max:.12g}"
                allowed = [f"{low}..{high}" + (f" {q.unit}" if q.unit else "")]
            elif q.type == "bool":
                allowed = ["true", "false"]
            rows.append(
                {
                    "factor": criterion.id,
                    "id": q.id,
                    "scope": q.scope,
                    "type": q.type,
                    "allowed": allowed,
                    "default": q.default,
                    "text": q.text,
                }
            )
    return rows
