"""Keep an unfinished questionnaire: a draft next to the decision file it will become.

The draft is rewritten (atomically) after every answer, so a Ctrl-C, a closed laptop
or a crash loses at most the question on screen. ``llmchoose init --resume`` reads it
back; saving the decision file removes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError
from llmchoose.loading.yamlio import atomic_write, load_yaml
from llmchoose.questionnaire.steps import Seed, WorkloadRef

__all__ = ["DRAFT_VERSION", "Draft", "draft_path", "load_draft", "save_draft", "seed_data"]

DRAFT_VERSION = 1


def draft_path(target: Path) -> Path:
    """``llm-decision.yaml`` -> ``llm-decision.yaml.draft``, in the same folder."""
    return target.with_name(target.name + ".draft")


@dataclass
class Draft:
    """What a draft holds: the flow's state and where it was going."""

    target: Path
    state: dict[str, Any]
    edit: Path | None = None  # the decision file being revised, if any
    defaults: Seed | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    workload_extras: dict[str, dict[str, Any]] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    replace: bool = False  # the person agreed to replace an existing target
    saved: str | None = None

    @property
    def answered(self) -> int:
        return len(self.state.get("values") or {})


def seed_data(seed: Seed | None) -> dict[str, Any] | None:
    if seed is None:
        return None
    return {
        "name": seed.name,
        "organisation": seed.organisation,
        "project_given": seed.project_given,
        "workloads": None
        if seed.workloads is None
        else [{"id": w.id, "name": w.name} for w in seed.workloads],
        "shared": dict(seed.shared),
        "per_workload": {k: dict(v) for k, v in seed.per_workload.items()},
    }


def _seed(data: Any) -> Seed | None:
    if not isinstance(data, dict):
        return None
    workloads = data.get("workloads")
    return Seed(
        name=data.get("name"),
        organisation=data.get("organisation"),
        project_given=bool(data.get("project_given")),
        workloads=None
        if not isinstance(workloads, list)
        else [WorkloadRef(str(w["id"]), str(w["name"])) for w in workloads],
        shared=dict(data.get("shared") or {}),
        per_workload={str(k): dict(v) for k, v in (data.get("per_workload") or {}).items()},
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def save_draft(path: Path, draft: Draft) -> None:
    from llmchoose.loading.yamlout import dump_yaml

    data = {
        "draft": DRAFT_VERSION,
        "target": str(draft.target),
        "edit": None if draft.edit is None else str(draft.edit),
        "saved": dt.datetime.now().isoformat(timespec="seconds"),
        "state": _plain(draft.state),
        "defaults": seed_data(draft.defaults),
        "extras": _plain(draft.extras),
        "description": draft.description,
        "workload_extras": _plain(draft.workload_extras),
        "header": list(draft.header),
        "replace": draft.replace,
    }
    text = (
        "# An unfinished `llmchoose init`. Continue it with: llmchoose init --resume"
        + (f" -o {draft.target}" if draft.target.name != "llm-decision.yaml" else "")
        + "\n"
        + dump_yaml(data)
    )
    atomic_write(path, text)


def load_draft(path: Path) -> Draft:
    """Read a draft; raise InputError when it is missing or not one of ours."""
    if not path.exists():
        raise InputError("no draft to resume", file=path, hint="start with `llmchoose init`")
    data = load_yaml(path)
    if (
        not isinstance(data, dict)
        or data.get("draft") != DRAFT_VERSION
        or not isinstance(data.get("state"), dict)
    ):
        raise InputError(
            "not a draft of `llmchoose init`",
            file=path,
            line=1,
            hint="remove it, or start again with `llmchoose init`",
        )
    try:
        defaults = _seed(data.get("defaults"))
    except (KeyError, TypeError, AttributeError):
        raise InputError("the draft's defaults are damaged", file=path) from None
    edit = data.get("edit")
    return Draft(
        target=Path(str(data.get("target") or path.name.removesuffix(".draft"))),
        state=_plain(data["state"]),
        edit=Path(edit) if isinstance(edit, str) else None,
        defaults=defaults,
        extras=_plain(data.get("extras") or {}),
        description=data.get("description"),
        workload_extras=_plain(data.get("workload_extras") or {}),
        header=[str(line) for line in data.get("header") or []],
        replace=data.get("replace") is True,
        saved=str(data.get("saved")) if data.get("saved") else None,
    )
