"""`llmchoose probe` end to end: a local server, the overlay it writes, and the
knowledge base reading it back."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from probe_server import serve

MEASURED = Path(".llmchoose/knowledge/measured")
FAST = "ttft=0.05,itl=0.005,tokens=12"


@pytest.fixture(scope="module")
def server():
    with serve() as running:
        yield running


def _probe(run_cli, url: str, *args: str):
    return run_cli("probe", url, "--warmup", "0", "--requests", "3", *args)


def test_offering_measured_written_and_read_back(server, run_cli, fixture_kb):
    url, _app = server
    code, out, err = _probe(
        run_cli, url, "--model", FAST, "--option", "api-co/big-closed", "--format", "json"
    )
    assert code == 0, err
    figures = json.loads(out)
    level = figures["levels"][0]
    assert level["succeeded"] == 3
    path = MEASURED / "api-co-big-closed.yaml"
    assert figures["written"] == str(path)
    written = yaml.safe_load(path.read_text())
    (record,) = written["offerings"]
    performance = record["performance"]
    assert performance["method"] == "own" and performance["percentile"] == "p50"
    assert performance["output_tokens_per_s"] == round(level["output_tokens_per_s"]["p50"], 2)
    assert performance["prompt_tokens"] == 123
    assert written["sources"][0]["url"] == f"{url}/chat/completions"

    code, out, err = run_cli("kb", "validate")
    assert code == 0, out + err
    code, out, _ = run_cli("kb", "show", "api-co/big-closed", "--format", "json")
    facts = {f["field"]: f for f in json.loads(out)[0]["facts"]}
    speed = facts["performance.output_tokens_per_s"]
    assert speed["value"] == performance["output_tokens_per_s"]
    assert speed["source"] == "probe-api-co-big-closed"
    assert facts["performance.method"]["value"] == "own"
    # Facts the probe did not measure keep their own source.
    assert facts["price.input"]["source"] == "fixture"


def test_self_hosted_levels_become_measurements(server, run_cli, fixture_kb):
    url, _app = server
    code, _out, err = _probe(
        run_cli, url, "--model", FAST, "--option", "server-rt/open-8b", "--hardware", "gpu-80",
        "--quantization", "bf16", "--concurrency", "1,2", "--name", "lab",
    )  # fmt: skip
    assert code == 0, err
    records = yaml.safe_load((MEASURED / "lab.yaml").read_text())["measurements"]
    assert [r["concurrency"] for r in records] == [1, 2]
    first = records[0]
    assert (first["model"], first["runtime"], first["hardware"], first["quantization"]) == (
        "open-8b", "server-rt", "gpu-80", "bf16",
    )  # fmt: skip
    assert first["method"] == "own" and first["output_tokens"] == 12
    code, out, err = run_cli("kb", "validate")
    assert code == 0, out + err
    code, out, _ = run_cli("kb", "show", "lab-c2", "--format", "json")
    facts = {f["field"]: f["value"] for f in json.loads(out)[0]["facts"]}
    assert facts["concurrency"] == 2
    assert facts["total_output_tokens_per_s"] == records[1]["total_output_tokens_per_s"]


def test_rerun_replaces_its_own_file_but_not_a_persons(server, run_cli, fixture_kb):
    url, _app = server
    args = ("--model", FAST, "--option", "api-co/small-closed", "--name", "mine")
    assert _probe(run_cli, url, *args)[0] == 0
    assert _probe(run_cli, url, *args)[0] == 0
    (MEASURED / "hand.yaml").write_text("sources: []\n")
    before = server[1].stats.requests
    code, _out, err = _probe(run_cli, url, "--model", FAST, "--option", "api-co/small-closed",
                             "--name", "hand")  # fmt: skip
    assert code == 2 and "not written by llmchoose" in err
    assert server[1].stats.requests == before  # refused before sending anything
    assert (MEASURED / "hand.yaml").read_text() == "sources: []\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--option", "server-rt/open-8b"), "name it with --hardware"),
        (("--option", "api-co/big-closd"), "did you mean 'api-co/big-closed'"),
        (("--option", "server-rt/open-8b", "--hardware", "gpu-81"), "unknown id 'gpu-81'"),
        (("--decision", "missing.yaml", "--workload", "w"), "file not found"),
        (("--decision", "missing.yaml"), "--decision and --workload go together"),
        (("--concurrency", "1,x"), "--concurrency"),
        (("--api-key-env", "PROBE_TEST_UNSET"), "PROBE_TEST_UNSET is not set"),
    ],
)
def test_bad_input_is_one_message_and_no_traffic(server, run_cli, fixture_kb, args, message):
    url, app = server
    before = app.stats.requests
    code, _out, err = _probe(run_cli, url, "--model", FAST, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert app.stats.requests == before


def test_remote_host_needs_yes_beyond_the_default_count(run_cli):
    code, _out, err = run_cli(
        "probe", "https://api.example.invalid/v1", "--model", "m", "--concurrency", "1,4"
    )
    assert code == 2
    assert "42 requests" in err and "--yes" in err


def test_workload_shape_sets_the_requests(server, run_cli, write_tree, tmp_path):
    url, app = server
    write_tree(
        {
            "d.yaml": {
                "version": 1,
                "project": {"name": "P"},
                "workloads": [
                    {"id": "w", "name": "W", "answers": {"input_tokens": 400, "output_tokens": 77}}
                ],
            }
        }
    )
    code, out, err = _probe(run_cli, url, "--model", FAST, "--decision", "d.yaml", "--workload",
                            "w", "--format", "json")  # fmt: skip
    assert code == 0, err
    assert app.stats.bodies[-1]["max_tokens"] == 77
    assert json.loads(out)["plan"]["input_tokens"] == 400
    assert "~400 tokens" in err  # the plan is shown before the run


def test_table_output_and_errors_on_stderr(server, run_cli):
    url, _app = server
    code, out, err = _probe(run_cli, url, "--model", "mode=flaky,tokens=4", "--requests", "6")
    assert code == 0
    assert "conc." in out and "TTFT ms p50/p90/p99" in out
    assert "Error: HTTP 503" in err
    # The progress line carries the live medians and the error count.
    assert re.search(r"p50 TTFT \d+\.\d+ s · p50 \d+\.\d tok/s · \d errors", err)
    assert "p50 TTFT" not in out


def test_all_failing_exits_1_and_writes_nothing(server, run_cli, fixture_kb):
    url, _app = server
    code, _out, err = _probe(
        run_cli, url, "--model", "mode=http500", "--option", "api-co/big-closed"
    )
    assert code == 1
    assert "nothing was written" in err
    assert not MEASURED.exists()


def test_key_never_in_output_or_file(server, run_cli, fixture_kb, monkeypatch):
    url, app = server
    secret = "sk-probe-test-0123456789"
    monkeypatch.setenv("PROBE_KEY", secret)
    outputs = []
    for model in (FAST, "mode=echo"):
        for fmt in ("json", "table"):
            outputs += _probe(run_cli, url, "--model", model, "--api-key-env", "PROBE_KEY",
                              "--option", "api-co/big-closed", "--format", fmt)[1:]  # fmt: skip
    assert app.stats.authorization[-1] == f"Bearer {secret}"
    assert any("[key]" in text for text in outputs)  # the echo run's error, redacted
    files = [p.read_text() for p in Path(".").rglob("*") if p.is_file()]
    assert files and all(secret not in text for text in [*outputs, *files])


def test_ctrl_c_keeps_what_was_measured(server, tmp_path, fixture_kb):
    url, app = server
    model = "ttft=0.05,itl=0.005,tokens=5,tag=sigint"
    env = {**os.environ, "LLMCHOOSE_KNOWLEDGE_DIR": str(fixture_kb)}
    process = subprocess.Popen(
        [sys.executable, "-m", "llmchoose", "probe", url, "--model", model, "--warmup", "0",
         "--requests", "100000", "--option", "api-co/big-closed", "--format", "json"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    # At concurrency 1, once the server has seen 6 requests at least 5 have finished.
    while _served(app, model) < 6:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    figures = json.loads(out)
    assert figures["stopped"] == "interrupted"
    assert 5 <= figures["levels"][0]["succeeded"] < 100000
    assert "Traceback" not in err
    written = yaml.safe_load((tmp_path / MEASURED / "api-co-big-closed.yaml").read_text())
    assert "stopped early (interrupted)" in written["sources"][0]["note"]


def _served(app, model: str) -> int:
    return sum(1 for body in app.stats.bodies if body.get("model") == model)


def test_failed_warmup_stops_before_the_measured_requests(server, run_cli):
    url, app = server
    before = app.stats.requests
    code, _out, err = run_cli(
        "probe", url, "--model", "mode=http500", "--warmup", "2", "--requests", "20"
    )
    assert code == 1
    assert app.stats.requests - before == 2
    assert "Stopped early (warm-up failed)" in err and "HTTP 500" in err


def test_an_overlay_that_would_not_load_is_refused_before_any_request(
    server, run_cli, fixture_kb, write_tree
):
    url, app = server
    # The project layer already overrides this offering in another file; one layer may
    # hold a record id only once.
    write_tree(
        {
            ".llmchoose/knowledge/deal.yaml": {
                "sources": [{"id": "deal", "title": "Our deal", "url": "https://example.com/d"}],
                "offerings": [
                    {
                        "id": "api-co/big-closed",
                        "source": "deal",
                        "as_of": "2026-11-01",
                        "price": {"input": 2.0, "output": 12.0},
                    }
                ],
            }
        }
    )
    before = app.stats.requests
    code, _out, err = _probe(run_cli, url, "--model", FAST, "--option", "api-co/big-closed")
    assert code == 2
    assert "would not load" in err and "duplicate offerings id 'api-co/big-closed'" in err
    assert ".llmchoose/knowledge/deal.yaml" in err and "llmchoose-probe-" not in err
    assert app.stats.requests == before
    assert not MEASURED.exists()


def test_url_credentials_are_never_shown_or_written(server, run_cli, fixture_kb):
    url, _app = server
    secret_url = url.replace("http://", "http://probe-user:pw-SECRET-42@")
    outputs = []
    for fmt in ("json", "table"):
        code, out, err = _probe(
            run_cli, secret_url, "--model", FAST, "--option", "api-co/big-closed", "-f", fmt
        )
        assert code == 0, err
        outputs += [out, err]
    files = [p.read_text() for p in Path(".").rglob("*.yaml")]
    assert files
    assert all("pw-SECRET-42" not in t and "probe-user" not in t for t in [*outputs, *files])
