"""Turn a probe report into a knowledge overlay and write it where the loader finds it.

An API offering gets its ``performance`` block overridden (``method: own``); a
self-hosted or on-device option gets one ``measurements`` record per concurrency level.
The file is checked with the loader's own rules, over the layers it will join, before it
replaces anything, and then written atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from llmchoose.errors import InputError, LlmchooseError, did_you_mean
from llmchoose.loading.catalog import Catalog
from llmchoose.probe.plan import ProbePlan
from llmchoose.probe.run import ProbeReport
from llmchoose.probe.stats import LevelSummary, RequestResult, summarise_level

__all__ = [
    "MEASURED_DIR",
    "Target",
    "build_overlay",
    "overlay_path",
    "preflight",
    "resolve_target",
    "write_overlay",
]

MEASURED_DIR = Path(".llmchoose") / "knowledge" / "measured"


@dataclass(frozen=True)
class Target:
    """What the measurement is of: an API offering, or a model on a runtime and hardware."""

    option: str
    model: str
    offering: str | None = None
    runtime: str | None = None
    hardware: str | None = None
    gpus: int = 1
    quantization: str | None = None

    @property
    def slug(self) -> str:
        parts = [self.option, self.hardware or ""]
        return re.sub(r"[^a-z0-9._-]+", "-", "-".join(p for p in parts if p).lower()).strip("-.")


def _p50(figures: dict[str, float | None]) -> float:
    """The median of a level's figures; an overlay is written only for levels where
    some request finished, so the median exists."""
    value = figures["p50"]
    if value is None:
        raise ValueError("a measured level has no median")
    return value


def resolve_target(
    catalog: Catalog,
    option: str,
    *,
    hardware: str | None = None,
    gpus: int = 1,
    quantization: str | None = None,
) -> Target:
    """Match ``--option`` to an offering or to ``runtime/model[@device]`` in the catalog."""
    if option in catalog.offerings:
        offering = catalog.offerings[option]
        return Target(option=option, model=offering.model, offering=option, hardware=hardware)
    runtime_id, _, rest = option.partition("/")
    model_id = rest.removesuffix("@device")
    if runtime_id not in catalog.runtimes or model_id not in catalog.models:
        own = [
            f"{r}/{m.id}"
            for r in catalog.runtimes
            for m in catalog.models.values()
            if m.open_weights
        ]
        raise InputError(
            f"--option: no offering or self-hosted option '{option}'",
            hint=did_you_mean(option, [*catalog.offerings, *own])
            or "use an id that `llmchoose recommend` lists",
        )
    if hardware is None:
        raise InputError(
            f"--option {option} runs on your own hardware: name it with --hardware",
            hint="ids are listed by `llmchoose kb list --kind hardware`",
        )
    for value, table, flag in (
        (hardware, catalog.hardware, "--hardware"),
        (quantization, catalog.quantizations, "--quantization"),
    ):
        if value is not None and value not in table:
            raise InputError(f"{flag}: unknown id '{value}'", hint=did_you_mean(value, table))
    return Target(
        option=option, model=model_id, runtime=runtime_id, hardware=hardware, gpus=gpus,
        quantization=quantization,
    )  # fmt: skip


def _usable(levels: list[LevelSummary]) -> list[LevelSummary]:
    return [lv for lv in levels if lv.succeeded and lv.output_tokens_per_s.get("p50")]


def _source(report: ProbeReport, target: Target, source_id: str) -> dict[str, Any]:
    plan = report.plan
    levels = ", ".join(
        f"{lv.succeeded} of {lv.requests} requests ok at concurrency {lv.concurrency}"
        for lv in report.levels
    )
    note = (
        f"Measured with llmchoose probe on {report.measured_on.isoformat()}: model "
        f"'{plan.model}', prompts of about {plan.input_tokens} tokens, up to "
        f"{plan.output_tokens} output tokens; {levels}. Figures are medians (p50)."
    )
    if target.hardware:
        note += f" Hardware: {target.hardware}" + (f" x{target.gpus}." if target.gpus > 1 else ".")
    if report.stopped:
        note += f" The run stopped early ({report.stopped})."
    return {
        "id": source_id,
        "title": f"llmchoose probe of {target.option} at {plan.endpoint.display}",
        "url": plan.endpoint.display,
        "publisher": "own measurement",
        "note": note,
    }


def _prompt_tokens(report: ProbeReport, level: LevelSummary) -> int:
    counted = level.prompt_tokens
    return max(1, round(counted if counted else report.plan.input_tokens))


def build_overlay(report: ProbeReport, target: Target, name: str) -> dict[str, Any]:
    """The overlay's data: a source describing the run, and the measured records."""
    levels = _usable(report.levels)
    if not levels:
        raise LlmchooseError(
            "no request succeeded, so there is nothing to record",
            hint="see the errors above; nothing was written",
        )
    source_id = f"probe-{name}"
    day = report.measured_on
    data: dict[str, Any] = {"sources": [_source(report, target, source_id)]}
    if target.offering:
        # The contract's figure is one stream's speed: the lowest concurrency measured.
        level = min(levels, key=lambda lv: lv.concurrency)
        performance = {
            "output_tokens_per_s": round(_p50(level.output_tokens_per_s), 2),
            "ttft_s": level.ttft_s["p50"],
            "method": "own",
            "percentile": "p50",
            "measured": day,
            "prompt_tokens": _prompt_tokens(report, level),
        }
        record = {"id": target.offering, "source": source_id, "as_of": day}
        record["performance"] = {k: v for k, v in performance.items() if v is not None}
        data["offerings"] = [record]
        return data
    records = []
    for level in levels:
        record = {
            "id": f"{name}-c{level.concurrency}",
            "model": target.model,
            "runtime": target.runtime,
            "hardware": target.hardware,
            "count": target.gpus,
            "quantization": target.quantization,
            "concurrency": level.concurrency,
            "input_tokens": _prompt_tokens(report, level),
            "output_tokens": max(1, round(level.output_tokens or report.plan.output_tokens)),
            "output_tokens_per_s": round(_p50(level.output_tokens_per_s), 2),
            "total_output_tokens_per_s": level.throughput_tokens_per_s,
            "ttft_s": level.ttft_s["p50"],
            "method": "own",
            "source": source_id,
            "as_of": day,
        }
        records.append({k: v for k, v in record.items() if v is not None})
    data["measurements"] = records
    return data


def _validate(path: Path, text: str, extra: list[Path]) -> None:
    """Load the knowledge base as it will be once the file is in place."""
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.loading.paths import builtin_dir, project_layer

    project = project_layer("knowledge")
    with tempfile.TemporaryDirectory(prefix="llmchoose-probe-") as tmp:
        staged = Path(tmp) / "knowledge"
        if project is not None:
            shutil.copytree(project, staged, ignore=shutil.ignore_patterns(".*"))
            relative = path.resolve().relative_to(project.resolve())
        else:
            relative = path.relative_to(MEASURED_DIR.parent)
        (staged / relative).parent.mkdir(parents=True, exist_ok=True)
        (staged / relative).write_text(text, encoding="utf-8")
        try:
            load_catalog(layers=[builtin_dir("knowledge"), staged, *extra])
        except InputError as exc:
            # Name the project's own files, not the staging copy they were checked in.
            real = str(MEASURED_DIR.parent)

            def unstaged(text: str) -> str:
                return text.replace(str(staged), real)

            where = exc.location()
            cause = f"{unstaged(where)}: {exc.message}" if where else exc.message
            raise InputError(
                f"the measured figures would not load, so nothing is written: {unstaged(cause)}",
                file=None if where else path,
                hint=unstaged(exc.hint) if exc.hint else None,
            ) from None


def _overlay_text(report: ProbeReport, target: Target, name: str) -> str:
    from llmchoose.kb.kbsync.overlay import dump_knowledge

    header = (
        f"probe: measured on {report.measured_on.isoformat()}.\n"
        "Re-running probe with the same --name replaces this file."
    )
    return dump_knowledge(header, build_overlay(report, target, name))


def overlay_path(target: Target, name: str | None = None) -> Path:
    """Where the overlay goes; refuses a bad name or a file a person wrote."""
    from llmchoose.kb.kbsync.overlay import require_owned

    name = name or target.slug
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
        raise InputError(f"--name '{name}': use lower-case letters, digits, '.', '_' or '-'")
    path = MEASURED_DIR / f"{name}.yaml"
    require_owned(path)
    return path


def preflight(
    plan: ProbePlan, target: Target, name: str | None, extra: Sequence[Path] = ()
) -> Path:
    """Check, before any request, that an overlay for this target would load.

    The figures of a stand-in result do not matter: what fails is structure (an id
    another file of the project layer already overrides, a dangling reference).
    """
    path = overlay_path(target, name)
    sample = RequestResult(
        concurrency=1, started_s=0, total_s=1, ttft_s=0.5, output_tokens=2, output_tokens_per_s=2
    )
    levels = [summarise_level(c, [replace(sample, concurrency=c)], 1.0) for c in plan.concurrency]
    report = ProbeReport(plan=plan, measured_on=dt.date.today(), levels=levels)
    _validate(path, _overlay_text(report, target, path.stem), list(extra))
    return path


def write_overlay(
    report: ProbeReport,
    target: Target,
    name: str | None = None,
    extra: Sequence[Path] = (),
) -> Path:
    """Write ``.llmchoose/knowledge/measured/<name>.yaml``; return its path."""
    from llmchoose.loading.yamlio import atomic_write

    path = overlay_path(target, name)
    text = _overlay_text(report, target, path.stem)
    _validate(path, text, list(extra))
    return atomic_write(path, text)
