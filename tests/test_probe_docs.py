"""docs/probe.md stays true: its commands use real flags and ids, its JSON has the
keys probe prints, and the CLI does not load the HTTP client until probe runs."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "probe.md").read_text(encoding="utf-8")


def _examples() -> list[list[str]]:
    """Each `llmchoose probe` command in a fenced block, continuation lines joined."""
    commands, inside, current = [], False, ""
    for line in DOC.splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            continue
        if line.startswith("llmchoose probe") or current:
            current += " " + line.rstrip("\\").strip()
            if not line.endswith("\\"):
                commands.append(shlex.split(current))
                current = ""
    return commands


def _flags(args: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for index, arg in enumerate(args):
        if arg.startswith("--"):
            following = args[index + 1] if index + 1 < len(args) else None
            found[arg] = None if following is None or following.startswith("--") else following
    return found


def test_every_example_uses_real_flags(run_cli):
    code, help_text, _ = run_cli("probe", "--help")
    assert code == 0
    known = set(re.findall(r"--[a-z][a-z-]*", help_text))
    examples = _examples()
    assert len(examples) >= 4  # vLLM, Ollama, llama.cpp, a hosted API
    for args in examples:
        assert set(_flags(args)) <= known, args


@pytest.mark.parametrize("args", [a for a in _examples() if "--option" in a], ids=lambda a: a[2])
def test_every_example_names_ids_the_knowledge_base_has(args):
    from llmchoose.loading.knowledge import load_catalog
    from llmchoose.probe.overlay import resolve_target

    flags = _flags(args)
    target = resolve_target(
        load_catalog(),
        flags["--option"],
        hardware=flags.get("--hardware"),
        quantization=flags.get("--quantization"),
    )
    assert target.option == flags["--option"]


def test_json_example_has_the_keys_probe_prints(run_cli):
    from probe_server import serve

    example = json.loads(re.search(r"```json\n(.*?)```", DOC, flags=re.S).group(1))
    with serve() as (url, _app):
        code, out, err = run_cli(
            "probe", url, "--model", "tokens=4", "--requests", "1", "--warmup", "0", "-f", "json"
        )
    assert code == 0, err
    printed = json.loads(out)
    assert set(example) == set(printed)
    assert set(example["plan"]) == set(printed["plan"])
    assert set(example["levels"][0]) == set(printed["levels"][0])
    assert set(example["requests"][0]) == set(printed["requests"][0])


def test_cli_start_does_not_import_the_http_client():
    code = "import sys, llmchoose.cli; print(sorted(m for m in ('httpx', 'httpx_sse') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
