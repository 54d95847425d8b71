"""The wheel carries the data folders: an installed llmchoose works from any folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    if shutil.which("git") and (REPO / ".git").exists():
        # Build from a clean copy of the sources so stray local files cannot leak in.
        src = out / "src"
        shutil.copytree(
            REPO,
            src,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "*.egg-info", "__pycache__", "test-artifacts"
            ),
        )
    else:
        src = REPO
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    [built] = out.glob("llmchoose-*.whl")
    return built


def test_wheel_contains_data_folders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("criteria", "knowledge", "templates", "examples"):
        assert any(n.startswith(f"llmchoose/_data/{folder}/") for n in names), folder
    assert "llmchoose/_data/criteria/privacy.yaml" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("LLMCHOOSE_KNOWLEDGE_DIR", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "llmchoose", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import llmchoose; print(llmchoose.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip().startswith(str(target))
    validated = run("kb", "validate", "--format", "json")
    assert validated.returncode == 0, validated.stderr
    report = json.loads(validated.stdout)
    assert report["ok"] and report["counts"]["factors"] >= 9
    assert all(layer.startswith(str(target)) for layer in report["layers"])
    example = target / "llmchoose" / "_data" / "examples" / "startup-chatbot.yaml"
    ranked = run("recommend", str(example), "--format", "json", "--top", "3")
    assert ranked.returncode == 0, ranked.stderr
    assert json.loads(ranked.stdout)["workloads"][0]["ranked"]
