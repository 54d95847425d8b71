"""The probe's plan and figures: decided before any request, checked without a network."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmchoose.errors import InputError
from llmchoose.probe.plan import (
    DEFAULT_REQUESTS,
    DEFAULT_WARMUP,
    Endpoint,
    ProbePlan,
    make_prompt,
    parse_concurrency,
    read_api_key,
    workload_shape,
)
from llmchoose.probe.stats import RequestResult, percentile, summarise_level


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60),
    st.sampled_from([0, 1, 50, 90, 99, 100]),
)
def test_percentile_matches_numpy_linear(values, pct):
    assert percentile(values, pct) == pytest.approx(np.percentile(values, pct), rel=1e-9, abs=1e-9)


def test_percentile_of_nothing_is_unknown():
    assert percentile([], 50) is None


def test_level_summary_counts_errors_and_throughput():
    good = [
        RequestResult(concurrency=2, started_s=0, total_s=1.0, ttft_s=t, output_tokens=10,
                      output_tokens_per_s=s, inter_token_s=1 / s)
        for t, s in ((0.1, 50.0), (0.3, 30.0))
    ]  # fmt: skip
    bad = RequestResult(
        concurrency=2, started_s=0, total_s=0.2, error="HTTP 500", error_kind="http-500"
    )
    summary = summarise_level(2, [*good, bad], wall_s=2.0)
    assert (summary.requests, summary.succeeded, summary.errors) == (3, 2, 1)
    assert summary.error_rate == pytest.approx(1 / 3, abs=1e-4)
    assert summary.error_kinds == {"http-500": 1}
    assert summary.ttft_s["p50"] == pytest.approx(0.2)
    assert summary.output_tokens_per_s["p50"] == pytest.approx(40.0)
    assert summary.throughput_tokens_per_s == pytest.approx(10.0)  # 20 tokens in 2 s


@pytest.mark.parametrize(
    ("given_url", "url", "display"),
    [
        ("http://localhost:8000/v1", "http://localhost:8000/v1/chat/completions", None),
        ("http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1/chat/completions", None),
        ("http://h:8080/v1/chat/completions", "http://h:8080/v1/chat/completions", None),
        (
            "https://user:s3cret@api.example.com/v1?key=abc",
            "https://user:s3cret@api.example.com/v1/chat/completions?key=abc",
            "https://api.example.com/v1/chat/completions",
        ),
    ],
)
def test_endpoint_url_and_display_without_credentials(given_url, url, display):
    endpoint = Endpoint.parse(given_url)
    assert endpoint.url == url
    assert endpoint.display == (display or url)
    assert "s3cret" not in endpoint.display and "abc" not in endpoint.display


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000/v1", True),
        ("http://127.0.0.1:8000/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://10.1.2.3:8000/v1", True),
        ("http://192.168.1.20/v1", True),
        ("https://api.openai.com/v1", False),
        ("http://8.8.8.8/v1", False),
    ],
)
def test_local_hosts(url, local):
    assert Endpoint.parse(url).is_local is local


def test_not_a_url_is_refused_without_echoing_credentials():
    with pytest.raises(InputError) as caught:
        Endpoint.parse("ftp://me:hunter2@example.com")
    assert "hunter2" not in str(caught.value)


def _plan(url: str, **kw) -> ProbePlan:
    return ProbePlan(
        endpoint=Endpoint.parse(url), model="m", input_tokens=100, output_tokens=50, **kw
    )


def test_default_run_is_allowed_against_a_remote_host():
    _plan("https://api.example.com/v1").check(consent=False)
    assert _plan("https://x/v1").total_requests == DEFAULT_REQUESTS + DEFAULT_WARMUP


def test_heavier_run_against_a_remote_host_needs_consent():
    plan = _plan("https://api.example.com/v1", concurrency=(1, 4))
    with pytest.raises(InputError, match="more than the default") as caught:
        plan.check(consent=False)
    assert "--yes" in caught.value.hint
    plan.check(consent=True)
    _plan("http://127.0.0.1:9/v1", concurrency=(1, 4, 16), requests=100).check(consent=False)


def test_concurrency_levels():
    assert parse_concurrency("1, 4,16,4") == (1, 4, 16)
    for bad in ("0", "a", "1,,2", "9999"):
        with pytest.raises(InputError, match="--concurrency"):
            parse_concurrency(bad)


def test_api_key_only_from_a_set_variable(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-abc")
    assert read_api_key("MY_KEY") == "sk-abc"
    assert read_api_key(None) is None
    monkeypatch.delenv("MY_KEY")
    with pytest.raises(InputError, match="MY_KEY is not set"):
        read_api_key("MY_KEY")


@pytest.mark.parametrize("tokens", [50, 1000, 8000])
def test_prompt_length_follows_the_token_count(tokens):
    prompt = make_prompt(tokens, 200, nonce=7)
    assert prompt.startswith("Request 7.")
    # About four characters a token, the usual rule of thumb for English.
    assert abs(len(prompt) - 4 * tokens) <= max(0.05 * 4 * tokens, 250)
    assert make_prompt(tokens, 200, nonce=8) != prompt


def test_workload_shape_comes_from_the_decision_file(write_tree, tmp_path):
    write_tree(
        {
            "d.yaml": {
                "version": 1,
                "project": {"name": "P"},
                "answers": {"input_tokens": 900},
                "workloads": [
                    {"id": "chat", "name": "Chat", "answers": {"output_tokens": 120}},
                    {"id": "notes", "name": "Notes", "answers": {"input_tokens": 4000}},
                ],
            }
        }
    )
    assert workload_shape(tmp_path / "d.yaml", "chat") == (900, 120)
    assert workload_shape(tmp_path / "d.yaml", "notes")[0] == 4000
    with pytest.raises(InputError, match="no workload 'chta'") as caught:
        workload_shape(tmp_path / "d.yaml", "chta")
    assert "chat" in caught.value.hint


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "choices",
                    "delta",
                    "content",
                    "usage",
                    "error",
                    "finish_reason",
                    "completion_tokens",
                    "reasoning",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(st.lists(_json, max_size=6))
def test_any_json_a_server_sends_is_read_or_reported_never_raised(chunks):
    from llmchoose.probe.client import _Timing

    timing = _Timing(start=0.0)
    for number, chunk in enumerate(chunks, start=1):
        problem = timing.read_chunk(chunk, now=float(number))
        assert problem is None or isinstance(problem, str)
    result = timing.result(concurrency=1, level_start=0.0, end=10.0)
    assert result.output_tokens >= 0
    assert result.prompt_tokens is None or result.prompt_tokens >= 0
    assert result.ttft_s is None or result.ttft_s > 0
