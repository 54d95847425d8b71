"""What a probe run will do: the endpoint, the request shape, the levels and the limits.

Everything here is decided before the first request is sent, so the command can show
the plan (and refuse an impolite one) before touching the network.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from llmchoose.errors import InputError

__all__ = [
    "DEFAULT_REQUESTS",
    "DEFAULT_TIMEOUT_S",
    "DEFAULT_TIME_LIMIT_S",
    "DEFAULT_WARMUP",
    "Endpoint",
    "ProbePlan",
    "make_prompt",
    "parse_concurrency",
    "read_api_key",
    "workload_shape",
]

from llmchoose.probe.defaults import (
    DEFAULT_REQUESTS,
    DEFAULT_TIME_LIMIT_S,
    DEFAULT_TIMEOUT_S,
    DEFAULT_WARMUP,
    MAX_CONCURRENCY,
)

_LOCAL_NAMES = ("localhost", "localhost.localdomain")


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible chat completions URL; ``display`` never holds credentials."""

    url: str
    display: str
    host: str

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        parts = urlsplit(text.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"'{_without_credentials(text)}' is not an http(s) URL",
                hint="give the server's base URL, for example http://localhost:8000/v1",
            )
        path = parts.path.rstrip("/")
        if not path.endswith("/chat/completions"):
            path += "/chat/completions"
        url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        return cls(url=url, display=_without_credentials(url), host=parts.hostname)

    @property
    def is_local(self) -> bool:
        """Loopback or a private network: the team's own machines, not someone's service."""
        host = self.host.lower()
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return address.is_loopback or address.is_private or address.is_link_local


def _without_credentials(url: str) -> str:
    """The URL without user:password and without the query (where keys are sometimes put)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def read_api_key(variable: str | None) -> str | None:
    """The API key from the named environment variable; never from a file or option."""
    if variable is None:
        return None
    value = os.environ.get(variable, "").strip()
    if not value:
        raise InputError(
            f"environment variable {variable} is not set or empty",
            hint=f"export {variable}=... before running probe",
        )
    return value


def parse_concurrency(text: str) -> tuple[int, ...]:
    """``"1,4,16"`` → ``(1, 4, 16)``: positive, distinct, in the given order."""
    levels: list[int] = []
    for piece in text.split(","):
        piece = piece.strip()
        if not piece.isdigit() or not 1 <= int(piece) <= MAX_CONCURRENCY:
            raise InputError(
                f"--concurrency: '{piece}' is not a whole number from 1 to {MAX_CONCURRENCY}",
                hint="for example --concurrency 1,4,16",
            )
        if int(piece) not in levels:
            levels.append(int(piece))
    return tuple(levels)


def workload_shape(decision: Path, workload_id: str) -> tuple[int, int]:
    """Input and output tokens per request of one workload of a decision file."""
    from llmchoose.engine.usage import Usage
    from llmchoose.loading.answers import effective_answers
    from llmchoose.loading.criteria import load_criteria
    from llmchoose.loading.decision import load_decision

    criteria = load_criteria()
    loaded = load_decision(decision, criteria)
    for workload in loaded.workloads:
        if workload.id == workload_id:
            usage = Usage.from_answers(
                effective_answers(criteria, loaded.answers, workload.answers)
            )
            return usage.input_tokens, usage.output_tokens
    from llmchoose.errors import did_you_mean

    ids = [w.id for w in loaded.workloads]
    raise InputError(
        f"no workload '{workload_id}'",
        file=decision,
        hint=did_you_mean(workload_id, ids) or f"workloads: {', '.join(ids)}",
    )


# A plain business text to repeat up to the wanted length: real words tokenise like
# real prompts do, unlike random characters.
_PASSAGE = (
    "The quarterly review covered support volumes, response times and the main reasons "
    "customers wrote in. Most tickets asked about billing dates, password resets and how "
    "to export reports to a spreadsheet. The team answered within four hours on average, "
    "although weekends were slower because fewer people were on call. Several customers "
    "asked for clearer invoices and a way to add colleagues without contacting support. "
    "The product group plans to simplify the settings page and to publish a short guide "
    "on sharing dashboards. Feedback on the new search was mostly positive, with a few "
    "reports that filters reset after a page reload. "
)
_CHARS_PER_TOKEN = 4  # a common rule of thumb for English text with BPE tokenisers


def make_prompt(input_tokens: int, output_tokens: int, nonce: int) -> str:
    """A prompt of about ``input_tokens`` tokens asking for a long answer.

    The nonce at the start makes every prompt different, so a server's prefix cache
    does not turn the time to first token into a cache hit.
    """
    head = f"Request {nonce}. Read the notes below and answer the question after them.\n\n"
    ask = (
        f"\n\nWrite a detailed summary of these notes of about {max(1, output_tokens * 3 // 4)} "
        "words, with recommendations."
    )
    room = max(0, input_tokens * _CHARS_PER_TOKEN - len(head) - len(ask))
    body = (_PASSAGE * (room // len(_PASSAGE) + 1))[:room]
    return head + body + ask


@dataclass(frozen=True)
class ProbePlan:
    """Everything a run needs; built by the command, shown before it starts."""

    endpoint: Endpoint
    model: str
    input_tokens: int
    output_tokens: int
    concurrency: tuple[int, ...] = (1,)
    requests: int = DEFAULT_REQUESTS
    warmup: int = DEFAULT_WARMUP
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_tokens_field: str = "max_tokens"
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def total_requests(self) -> int:
        return self.warmup + self.requests * len(self.concurrency)

    @property
    def polite_limit(self) -> int:
        """What a run with the defaults sends: more needs consent for someone else's host."""
        return DEFAULT_WARMUP + DEFAULT_REQUESTS

    def check(self, *, consent: bool) -> None:
        """Refuse a plan that is malformed, or heavier than the default against a remote host."""
        if self.input_tokens < 1 or self.output_tokens < 1:
            raise InputError("input and output tokens must be at least 1")
        if self.requests < 1:
            raise InputError("--requests must be at least 1")
        if self.time_limit_s <= 0 or self.timeout_s <= 0:
            raise InputError("--time-limit and --timeout must be above 0 seconds")
        if self.total_requests > self.polite_limit and not self.endpoint.is_local and not consent:
            raise InputError(
                f"this run sends {self.total_requests} requests to {self.endpoint.host}, "
                f"more than the default {self.polite_limit} for a host that is not local",
                hint="add --yes if you may load that service this much",
            )

    def describe(self) -> dict[str, object]:
        """The plan as plain data, for the line shown before the run and for JSON."""
        return {
            "endpoint": self.endpoint.display,
            "model": self.model,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "concurrency": list(self.concurrency),
            "requests_per_level": self.requests,
            "warmup": self.warmup,
            "total_requests": self.total_requests,
            "time_limit_s": self.time_limit_s,
            "timeout_s": self.timeout_s,
        }
