"""The house rules, checked by tools rather than memory: the layer contract, the type
checker, and the size limits on functions and modules (docs/architecture.md)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "llmchoose"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' brings it)")
    return found


def test_layer_contracts_hold() -> None:
    done = subprocess.run(
        [_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout


def test_type_checker_is_clean() -> None:
    done = subprocess.run(
        [_tool("mypy"), "llmchoose"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_lint_and_complexity_are_clean() -> None:
    """ruff with the project's rules, including the complexity limit (C901)."""
    done = subprocess.run(
        [_tool("ruff"), "check", "llmchoose", "tests", "benchmarks", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _sizes() -> tuple[dict[str, int], dict[str, int]]:
    functions: dict[str, int] = {}
    modules: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        modules[name] = len(source.splitlines())
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions[f"{name}::{node.name}@{node.lineno}"] = length
    return functions, modules


def test_no_function_is_too_long() -> None:
    functions, _ = _sizes()
    over = {k.split("@")[0]: v for k, v in functions.items() if v > MAX_FUNCTION_LINES}
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines (split them): {over}"


def test_no_module_is_too_long() -> None:
    _, modules = _sizes()
    over = {k: v for k, v in modules.items() if v > MAX_MODULE_LINES}
    assert not over, f"modules over {MAX_MODULE_LINES} lines (split them): {over}"


def test_version_answers_without_the_terminal_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "llmchoose", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("llmchoose ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert not imported & {"typer", "rich", "click", "questionary"}
