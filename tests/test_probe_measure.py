"""The probe against a real local server that streams with known delays and counts."""

from __future__ import annotations

import threading

import pytest
from probe_server import serve

from llmchoose.probe import Endpoint, ProbePlan, run_probe


@pytest.fixture(scope="module")
def server():
    with serve() as running:
        yield running


def _plan(url: str, model: str, **kw) -> ProbePlan:
    defaults = {"input_tokens": 200, "output_tokens": 30, "warmup": 1, "requests": 6}
    return ProbePlan(endpoint=Endpoint.parse(url), model=model, **{**defaults, **kw})


def test_ttft_speed_and_percentiles_follow_what_the_server_was_told(server):
    url, _app = server
    # 0.2 s to the first token, then 0.02 s a token: 50 tokens/s after the first.
    report = run_probe(_plan(url, "ttft=0.2,itl=0.02,tokens=21"), None)
    (level,) = report.levels
    assert level.succeeded == 6 and level.errors == 0
    # The server cannot be faster than it was told; a busy machine only makes it slower.
    assert 0.19 <= level.ttft_s["p50"] <= 0.35
    assert 0.019 <= level.inter_token_s["p50"] <= 0.033
    assert 30 <= level.output_tokens_per_s["p50"] <= 52.5
    assert 0.59 <= level.total_s["p50"] <= 0.9
    assert level.ttft_s["p50"] <= level.ttft_s["p90"] <= level.ttft_s["p99"]
    assert level.output_tokens == 21
    assert all(r.tokens_counted_by == "usage" for r in report.requests)
    assert level.prompt_tokens == 123  # as the server counted them


def test_tokens_are_counted_from_chunks_when_the_server_gives_no_usage(server):
    url, _app = server
    report = run_probe(_plan(url, "mode=nousage,tokens=12,itl=0.01", requests=2), None)
    assert [r.output_tokens for r in report.requests] == [12, 12]
    assert {r.tokens_counted_by for r in report.requests} == {"chunks"}


def test_concurrency_is_really_concurrent(server):
    url, app = server
    model = "ttft=0.3,itl=0.01,tokens=5,tag=conc"
    report = run_probe(_plan(url, model, concurrency=(1, 8), requests=8, warmup=0), None)
    single, eight = report.levels
    assert app.stats.max_in_flight[model] == 8
    # Eight at once take about as long as one, so throughput is several times higher.
    assert eight.wall_s < single.wall_s / 3
    assert eight.throughput_tokens_per_s > 3 * single.throughput_tokens_per_s


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("mode=http500", "http-500"),
        ("mode=malformed,tokens=10", "malformed"),
        ("mode=close,tokens=10", "closed-early"),
        ("mode=json", "not-streaming"),
        ("mode=hang", "timeout"),
    ],
)
def test_failures_are_reported_not_raised(server, model, kind):
    url, _app = server
    report = run_probe(_plan(url, model, requests=2, warmup=0, timeout_s=0.5), None)
    (level,) = report.levels
    assert (level.succeeded, level.errors, level.error_rate) == (0, 2, 1.0)
    assert level.error_kinds == {kind: 2}
    assert all(r.error for r in report.requests)


def test_some_errors_among_successes(server):
    url, _app = server
    report = run_probe(_plan(url, "mode=flaky,tokens=5", requests=9, warmup=0), None)
    (level,) = report.levels
    # The server fails every third request it gets: other tests' requests shift the count.
    assert 1 <= level.errors <= 4 and level.succeeded == 9 - level.errors
    assert set(level.error_kinds) == {"http-503"}
    assert level.ttft_s["p50"] is not None


def test_nothing_listens(server):
    report = run_probe(_plan("http://127.0.0.1:9/v1", "x", requests=1, warmup=0), None)
    assert report.levels[0].error_kinds == {"connection": 1}


def test_stop_keeps_what_finished(server):
    url, _app = server
    stop = threading.Event()
    seen = []

    def on_result(result):
        seen.append(result)
        if len(seen) == 3:
            stop.set()

    plan = _plan(url, "ttft=0.05,itl=0.01,tokens=5", requests=50, warmup=0)
    report = run_probe(plan, None, stop=stop, on_result=on_result)
    assert report.stopped == "interrupted"
    (level,) = report.levels
    assert not level.complete
    assert 3 <= level.succeeded < 50 and level.errors == 0


def test_time_limit_stops_the_run(server):
    url, _app = server
    plan = _plan(
        url, "ttft=0.2,tokens=3", requests=100, warmup=0, concurrency=(1, 2), time_limit_s=1.0
    )
    report = run_probe(plan, None)
    assert report.stopped == "time limit"
    assert len(report.levels) == 1 and 1 <= report.levels[0].succeeded < 100


def test_key_is_sent_but_never_shown(server):
    url, app = server
    secret = "sk-test-VERY-SECRET-123"
    report = run_probe(_plan(url, "mode=echo", requests=2, warmup=0), secret)
    assert f"Bearer {secret}" in app.stats.authorization
    text = repr(report.to_dict())
    assert secret not in text
    assert "[key]" in text  # the echoed key was replaced, the rest of the message kept


def test_warmup_is_not_measured(server):
    url, app = server
    before = app.stats.requests
    report = run_probe(_plan(url, "tokens=3,itl=0.001", requests=3, warmup=2), None)
    assert app.stats.requests - before == 5
    assert len(report.requests) == 3
    prompts = app.stats.prompts[-5:]
    assert len(set(prompts)) == 5  # every prompt differs, so no prefix cache hit
