"""Send streamed chat-completion requests and time them.

httpx streams the response and httpx-sse splits it into server-sent events; this module
only reads OpenAI-style chunks out of them. Requests run on one asyncio loop, so a
level of 16 is 16 requests really in flight at once, not threads taking turns.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from llmchoose.probe.plan import ProbePlan, make_prompt
from llmchoose.probe.stats import RequestResult

__all__ = ["LevelRun", "ProbeRun", "run_levels"]

_POLL_S = 0.05  # how often the watcher looks at the stop flag and the deadline
_BODY_SNIPPET = 200  # characters of an error body worth showing


@dataclass
class LevelRun:
    concurrency: int
    results: list[RequestResult] = field(default_factory=list)
    wall_s: float = 0.0
    complete: bool = True


@dataclass
class ProbeRun:
    levels: list[LevelRun] = field(default_factory=list)
    warmup_errors: list[str] = field(default_factory=list)
    stopped: str | None = None  # "interrupted", "time limit" or "warm-up failed"


class _Redactor:
    """Removes secrets from any text that might be shown, should a server or an error
    message echo them: the API key, and a password given in the URL."""

    def __init__(self, *secrets: str | None) -> None:
        self.secrets = [s for s in secrets if s]

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[key]")
        return text


def _request_body(plan: ProbePlan, nonce: int) -> dict[str, Any]:
    return {
        "model": plan.model,
        "messages": [
            {"role": "user", "content": make_prompt(plan.input_tokens, plan.output_tokens, nonce)}
        ],
        plan.max_tokens_field: plan.output_tokens,
        "stream": True,
        # Ask for the token counts in the last chunk: more exact than counting chunks.
        "stream_options": {"include_usage": True},
    }


def _count(value: Any, previous: int | None) -> int | None:
    """A token count from a usage report, when it is one (a whole number, not a flag)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return previous


@dataclass
class _Timing:
    start: float
    first: float | None = None
    last: float | None = None
    chunks: int = 0
    usage_tokens: int | None = None
    prompt_tokens: int | None = None
    finished: bool = False

    def read_chunk(self, chunk: Any, now: float) -> str | None:
        """Take one parsed chunk in; return an error text if the chunk reports one."""
        if not isinstance(chunk, dict):
            return "malformed chunk: not a JSON object"
        if "error" in chunk:
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else error
            return f"server error in stream: {message}"
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self.usage_tokens = _count(usage.get("completion_tokens"), self.usage_tokens)
            self.prompt_tokens = _count(usage.get("prompt_tokens"), self.prompt_tokens)
        choices = chunk.get("choices") or []
        if not isinstance(choices, list):
            return "malformed chunk: choices is not a list"
        for choice in choices:
            if not isinstance(choice, dict):
                return "malformed chunk: a choice is not an object"
            delta = choice.get("delta") or {}
            if not isinstance(delta, dict):
                return "malformed chunk: a delta is not an object"
            # Reasoning models stream their thinking in a separate field; it is output too.
            text = "".join(
                str(delta.get(key) or "") for key in ("content", "reasoning_content", "reasoning")
            )
            if text:
                self.chunks += 1
                self.first = self.first if self.first is not None else now
                self.last = now
            if choice.get("finish_reason"):
                self.finished = True
        return None

    def result(self, concurrency: int, level_start: float, end: float) -> RequestResult:
        tokens = self.usage_tokens if self.usage_tokens else self.chunks
        ttft = inter = speed = None
        if self.first is not None:
            ttft = self.first - self.start
            decode = (self.last or self.first) - self.first
            if tokens >= 2 and decode > 0:
                inter = decode / (tokens - 1)
                speed = (tokens - 1) / decode
        return RequestResult(
            concurrency=concurrency,
            started_s=round(self.start - level_start, 6),
            total_s=end - self.start,
            ttft_s=ttft,
            inter_token_s=inter,
            output_tokens=tokens,
            output_tokens_per_s=speed,
            prompt_tokens=self.prompt_tokens,
            tokens_counted_by="usage" if self.usage_tokens else "chunks",
        )


async def _one_request(
    client: Any, plan: ProbePlan, headers: dict[str, str], nonce: int, concurrency: int,
    level_start: float, redact: _Redactor,
) -> RequestResult:  # fmt: skip
    import httpx
    from httpx_sse import SSEError, aconnect_sse

    timing = _Timing(start=time.perf_counter())

    def failed(kind: str, message: str) -> RequestResult:
        return RequestResult(
            concurrency=concurrency,
            started_s=round(timing.start - level_start, 6),
            total_s=time.perf_counter() - timing.start,
            ttft_s=(timing.first - timing.start) if timing.first is not None else None,
            output_tokens=timing.chunks,
            error=redact(message),
            error_kind=kind,
        )

    done = False
    try:
        async with aconnect_sse(
            client, "POST", plan.endpoint.url, json=_request_body(plan, nonce), headers=headers
        ) as source:
            response = source.response
            if response.status_code >= 400:
                body = (await response.aread()).decode("utf-8", "replace")[:_BODY_SNIPPET]
                return failed(
                    f"http-{response.status_code}", f"HTTP {response.status_code}: {body}"
                )
            async for event in source.aiter_sse():
                if event.data.strip() == "[DONE]":
                    done = True
                    break
                if not event.data.strip():
                    continue
                try:
                    chunk = json.loads(event.data)
                except json.JSONDecodeError:
                    return failed("malformed", f"malformed chunk: {event.data[:80]!r}")
                problem = timing.read_chunk(chunk, time.perf_counter())
                if problem:
                    return failed(
                        "malformed" if "malformed" in problem else "stream-error", problem
                    )
    except httpx.TimeoutException:
        return failed("timeout", f"no data from the server for {plan.timeout_s:g} s")
    except SSEError as exc:
        return failed("not-streaming", f"the server did not stream events ({exc})")
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        if timing.first is not None:
            return failed("closed-early", "the server closed the stream before it ended")
        return failed("connection", f"connection failed: {exc}")
    except httpx.HTTPError as exc:
        return failed("connection", f"connection failed: {type(exc).__name__}: {exc}")
    if not (done or timing.finished):
        return failed("closed-early", "the stream ended without a finish reason or [DONE]")
    if timing.first is None:
        return failed("no-tokens", "the stream ended without any output text")
    return timing.result(concurrency, level_start, time.perf_counter())


async def _level(
    client: Any, plan: ProbePlan, headers: dict[str, str], concurrency: int, count: int,
    nonce_base: int, on_result: Callable[[RequestResult], None], redact: _Redactor,
) -> tuple[list[RequestResult], float]:  # fmt: skip
    """Keep ``concurrency`` requests in flight until ``count`` have been sent."""
    results: list[RequestResult] = []
    issued = 0
    start = time.perf_counter()

    async def worker() -> None:
        nonlocal issued
        while issued < count:
            issued += 1
            result = await _one_request(
                client, plan, headers, nonce_base + issued, concurrency, start, redact
            )
            results.append(result)
            on_result(result)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    return results, time.perf_counter() - start


async def _watch(tasks: list[asyncio.Task], stop: threading.Event, deadline: float) -> str:
    """Cancel the run when asked to stop or when the time limit passes."""
    while not all(t.done() for t in tasks):
        if stop.is_set():
            reason = "interrupted"
        elif time.perf_counter() >= deadline:
            reason = "time limit"
        else:
            await asyncio.sleep(_POLL_S)
            continue
        for task in tasks:
            task.cancel()
        return reason
    return ""


async def _run(
    plan: ProbePlan, api_key: str | None, stop: threading.Event,
    on_result: Callable[[RequestResult], None], on_level: Callable[[int], None],
) -> ProbeRun:  # fmt: skip
    import httpx

    redact = _Redactor(api_key, urlsplit(plan.endpoint.url).password)
    headers = dict(plan.extra_headers)
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    run = ProbeRun()
    deadline = time.perf_counter() + plan.time_limit_s
    biggest = max(plan.concurrency)
    limits = httpx.Limits(max_connections=biggest, max_keepalive_connections=biggest)
    async with httpx.AsyncClient(timeout=plan.timeout_s, limits=limits) as client:
        steps: list[tuple[int, int]] = [(0, plan.warmup)] if plan.warmup else []
        steps += [(c, plan.requests) for c in plan.concurrency]
        for number, (concurrency, count) in enumerate(steps):
            on_level(concurrency)
            level = LevelRun(concurrency=concurrency)
            sink = level.results.append if concurrency else (lambda r: None)

            def record(result: RequestResult, sink=sink, warm=not concurrency) -> None:
                sink(result)
                if warm and result.error:
                    run.warmup_errors.append(result.error)
                if not warm:
                    on_result(result)

            started = time.perf_counter()
            # Warm-up requests run one at a time; nonces differ per level and request.
            level_run = _level(
                client, plan, headers, concurrency or 1, count, number * 100_000, record, redact
            )
            task = asyncio.ensure_future(level_run)
            reason = await _watch([task], stop, deadline)
            if reason:
                # Let the cancelled requests close their connections before going on.
                await asyncio.gather(task, return_exceptions=True)
            else:
                task.result()  # a bug in a request surfaces here instead of vanishing
            level.wall_s = time.perf_counter() - started
            if reason:
                level.complete = False
                run.stopped = reason
            if concurrency:
                run.levels.append(level)
            if reason:
                break
            if not concurrency and len(run.warmup_errors) == count:
                # Every warm-up request failed: a wrong model name or URL, most likely.
                # Sending the measured requests would only repeat the failure.
                run.stopped = "warm-up failed"
                break
    return run


def run_levels(
    plan: ProbePlan,
    api_key: str | None,
    *,
    stop: threading.Event | None = None,
    on_result: Callable[[RequestResult], None] = lambda r: None,
    on_level: Callable[[int], None] = lambda c: None,
) -> ProbeRun:
    """Warm up, then measure each concurrency level in turn.

    Stops early, keeping every finished request, when ``stop`` is set (the command sets
    it on Ctrl-C) or the plan's time limit passes; requests still in flight then are
    dropped, not counted as errors. ``on_level(0)`` announces the warm-up.
    """
    return asyncio.run(_run(plan, api_key, stop or threading.Event(), on_result, on_level))
