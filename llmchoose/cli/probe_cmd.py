"""`llmchoose probe`: measure an OpenAI-compatible endpoint and record what it did."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from llmchoose.cli.options import Format, FormatOpt, KbOpt
from llmchoose.probe.defaults import (
    DEFAULT_REQUESTS,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WARMUP,
)

__all__ = ["probe_command", "register"]


def _shape(decision, workload, input_tokens, output_tokens) -> tuple[int, int]:
    from llmchoose.engine.usage import Usage
    from llmchoose.errors import InputError
    from llmchoose.probe.plan import workload_shape

    if (decision is None) != (workload is None):
        raise InputError("--decision and --workload go together")
    base = workload_shape(decision, workload) if decision else (
        Usage().input_tokens, Usage().output_tokens
    )  # fmt: skip
    return input_tokens or base[0], output_tokens or base[1]


def _progress():
    """A progress bar on stderr whose text shows the live medians of the current level."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from llmchoose.cli.output import err_console

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[live]}"),
        console=err_console(),
        transient=False,
    )


def _run(plan, api_key, as_of):
    from llmchoose.probe.run import run_probe
    from llmchoose.probe.stats import percentile

    stop = threading.Event()

    def on_sigint(signum, frame) -> None:
        if stop.is_set():  # a second Ctrl-C: stop waiting for anything
            raise KeyboardInterrupt
        stop.set()

    # Only the main thread may handle signals; elsewhere Ctrl-C keeps its usual meaning.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if main else None
    progress = _progress()
    task = progress.add_task("warm-up", total=plan.requests * len(plan.concurrency), live="")
    seen: list = []

    def on_level(concurrency: int) -> None:
        seen.clear()
        progress.update(task, description="warm-up" if not concurrency else f"c={concurrency}")

    def on_result(result) -> None:
        seen.append(result)
        good = [r for r in seen if r.ok]
        ttft = percentile([r.ttft_s for r in good if r.ttft_s is not None], 50)
        speed = percentile([r.output_tokens_per_s for r in good if r.output_tokens_per_s], 50)
        live = "p50 TTFT " + (f"{ttft:.3f} s" if ttft is not None else "—")
        live += " · p50 " + (f"{speed:.1f} tok/s" if speed is not None else "—")
        if len(good) < len(seen):
            live += f" · {len(seen) - len(good)} errors"
        progress.update(task, advance=1, live=live)

    try:
        with progress:
            return run_probe(
                plan, api_key, today=as_of, stop=stop, on_result=on_result, on_level=on_level
            )
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def _render(report) -> None:
    from rich.table import Table

    from llmchoose.cli.output import console

    def fmt(value, digits=3) -> str:
        return "—" if value is None else f"{value:.{digits}f}"

    table = Table(
        title=f"{report.plan.model} at {report.plan.endpoint.display}", title_justify="left"
    )
    # Short headers: the table must fit an 80-column terminal.
    # The inter-token latency is 1000 / tok/s per stream; it is in the JSON.
    for column in ("conc.", "ok", "errors", "TTFT ms p50/p90/p99", "tok/s per stream p50",
                   "tok/s all streams", "total s p50"):  # fmt: skip
        table.add_column(column, overflow="fold", no_wrap=column.startswith("TTFT"))
    for level in report.levels:
        ttft = "/".join(
            fmt(None if level.ttft_s[p] is None else level.ttft_s[p] * 1000, 0)
            for p in ("p50", "p90", "p99")
        )
        table.add_row(
            str(level.concurrency) + ("" if level.complete else " (cut short)"),
            f"{level.succeeded}/{level.requests}",
            f"{level.error_rate:.0%}" if level.errors else "0",
            ttft,
            fmt(level.output_tokens_per_s["p50"], 1),
            fmt(level.throughput_tokens_per_s, 1),
            fmt(level.total_s["p50"], 2),
        )
    if not report.levels:
        console().print("No figures: no measured request finished.")
        return
    console().print(table)


def _talk_about_errors(report) -> None:
    from llmchoose.cli.output import err_console

    out = err_console()
    messages = sorted({r.error for r in report.requests if r.error} | set(report.warmup_errors))
    if report.warmup_errors:
        out.print(f"Warm-up: {len(report.warmup_errors)} request(s) failed.", markup=False)
    for message in messages[:5]:
        out.print(f"Error: {message}", markup=False)
    if len(messages) > 5:
        out.print(f"… and {len(messages) - 5} other error messages.", markup=False)
    if report.stopped:
        out.print(f"Stopped early ({report.stopped}); the figures cover what finished.")


_OptionOpt = Annotated[
    str | None,
    typer.Option(help="Option id to record the figures for (offering or runtime/model)."),
]
_DecisionOpt = Annotated[
    Path | None, typer.Option(help="Decision file whose workload shapes the requests.")
]
_InputTokensOpt = Annotated[
    int | None, typer.Option(min=1, help="Prompt length in tokens (default 1500).")
]
_OutputTokensOpt = Annotated[
    int | None, typer.Option(min=1, help="Output tokens asked for (default 300).")
]
_RequestsOpt = Annotated[int, typer.Option(min=1, help="Measured requests per level.")]
_WarmupOpt = Annotated[int, typer.Option(min=0, help="Unmeasured requests first.")]
_TimeLimitOpt = Annotated[float, typer.Option(help="Seconds for the whole run.")]
_TimeoutOpt = Annotated[
    float, typer.Option(help="Seconds without data before a request times out.")
]
_KeyEnvOpt = Annotated[str | None, typer.Option(help="Environment variable holding the API key.")]
_NameOpt = Annotated[
    str | None, typer.Option(help="File name under .llmchoose/knowledge/measured/.")
]
_MaxTokensFieldOpt = Annotated[
    str, typer.Option(help="max_tokens, or max_completion_tokens for APIs that want it.")
]
_YesOpt = Annotated[
    bool, typer.Option("--yes", help="Allow more than the default requests to a remote host.")
]
_DateOpt = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Record the measurement under this date (YYYY-MM-DD) instead of today.",
        show_default=False,
    ),
]


def probe_command(
    url: Annotated[str, typer.Argument(help="Base URL of an OpenAI-compatible server.")],
    model: Annotated[str, typer.Option(help="Model name the server expects.")],
    option: _OptionOpt = None,
    decision: _DecisionOpt = None,
    workload: Annotated[str | None, typer.Option(help="Workload id in --decision.")] = None,
    input_tokens: _InputTokensOpt = None,
    output_tokens: _OutputTokensOpt = None,
    concurrency: Annotated[str, typer.Option(help="Concurrency levels, e.g. 1,4,16.")] = "1",
    requests: _RequestsOpt = DEFAULT_REQUESTS,
    warmup: _WarmupOpt = DEFAULT_WARMUP,
    time_limit: _TimeLimitOpt = DEFAULT_TIME_LIMIT_S,
    timeout: _TimeoutOpt = DEFAULT_TIMEOUT_S,
    api_key_env: _KeyEnvOpt = None,
    hardware: Annotated[str | None, typer.Option(help="Hardware id the server runs on.")] = None,
    gpus: Annotated[int, typer.Option(min=1, help="GPUs per replica.")] = 1,
    quantization: Annotated[str | None, typer.Option(help="Quantization id served.")] = None,
    name: _NameOpt = None,
    max_tokens_field: _MaxTokensFieldOpt = "max_tokens",
    yes: _YesOpt = False,
    as_of: _DateOpt = None,
    kb: KbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Measure latency and throughput of an endpoint, and record them as knowledge.

    Example: llmchoose probe http://localhost:8000/v1 --model meta-llama/Llama-3.1-8B-Instruct --option vllm/llama-3.1-8b-instruct --hardware nvidia-h100-80gb --concurrency 1,8
    """
    from llmchoose.cli.output import print_json
    from llmchoose.errors import EXIT_INTERRUPTED, InputError
    from llmchoose.probe.plan import Endpoint, ProbePlan, parse_concurrency, read_api_key

    if max_tokens_field not in ("max_tokens", "max_completion_tokens"):
        raise InputError("--max-tokens-field: expected max_tokens or max_completion_tokens")
    shape = _shape(decision, workload, input_tokens, output_tokens)
    plan = ProbePlan(
        endpoint=Endpoint.parse(url), model=model, input_tokens=shape[0],
        output_tokens=shape[1], concurrency=parse_concurrency(concurrency), requests=requests,
        warmup=warmup, time_limit_s=time_limit, timeout_s=timeout,
        max_tokens_field=max_tokens_field,
    )  # fmt: skip
    plan.check(consent=yes)
    target = None
    if option is not None:
        target = _target(plan, option, hardware, gpus, quantization, name, kb or [])
    api_key = read_api_key(api_key_env)
    _announce(plan)
    report = _run(plan, api_key, as_of.date() if as_of else None)
    _talk_about_errors(report)
    written, problem = _record(report, target, name, kb or [])
    if fmt is Format.json:
        print_json({**report.to_dict(), "option": option, "written": written})
    else:
        _render(report)
    if problem is not None:  # the figures are on stdout; the file could not be written
        raise problem
    if report.stopped == "interrupted":
        raise typer.Exit(EXIT_INTERRUPTED)
    if not report.succeeded:
        raise typer.Exit(1)


def _target(plan, option, hardware, gpus, quantization, name, kb):
    """Resolve --option and check, before any request, that its overlay could be written."""
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.probe.overlay import preflight, resolve_target

    target = resolve_target(
        load_catalog(kb), option, hardware=hardware, gpus=gpus, quantization=quantization
    )
    preflight(plan, target, name, kb)
    return target


def _announce(plan) -> None:
    from llmchoose.cli.output import err_console

    levels = ", ".join(map(str, plan.concurrency))
    err_console().print(
        f"Probing {plan.endpoint.display} ({plan.model}): {plan.warmup} warm-up + "
        f"{plan.requests} requests at each concurrency {levels} = {plan.total_requests} "
        f"requests, prompts of ~{plan.input_tokens} tokens, up to {plan.output_tokens} output "
        f"tokens; stops after {plan.time_limit_s:g} s. Ctrl-C stops and keeps what was measured.",
        markup=False,
    )


def _record(report, target, name, kb):
    """Write the overlay when there is something to write; return (path, problem)."""
    from llmchoose.cli.output import err_console
    from llmchoose.errors import LlmchooseError
    from llmchoose.probe.overlay import write_overlay

    if target is None:
        return None, None
    if not report.succeeded:
        err_console().print("No request succeeded; nothing was written.")
        return None, None
    try:
        path = write_overlay(report, target, name, extra=kb)
    except LlmchooseError as exc:
        return None, exc
    err_console().print(f"Wrote {path}.", markup=False)
    return str(path), None


def register(app: typer.Typer) -> None:
    app.command("probe")(probe_command)
