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

# Functions still longer than the limit, with the length they may not grow past. Each
# entry is a debt to pay by splitting the function; the test fails when one grows, and
# when one is split (so the entry is removed and cannot come back).
LONG_FUNCTIONS: dict[str, int] = {
    "llmchoose/cli/init_prompts.py::ask": 82,
    "llmchoose/decision/check/run.py::_check_choice": 92,
    "llmchoose/loading/criteria.py::_cross_check": 85,
    "llmchoose/report/view.py::build_view": 83,
}
LONG_MODULES: dict[str, int] = {}


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


def _over(sizes: dict[str, int], limit: int) -> dict[str, int]:
    # Drop the line number: an entry should survive edits above the function.
    return {key.split("@")[0]: size for key, size in sizes.items() if size > limit}


def test_no_function_is_too_long() -> None:
    functions, _ = _sizes()
    over = _over(functions, MAX_FUNCTION_LINES)
    new = {k: v for k, v in over.items() if k not in LONG_FUNCTIONS}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines: {new}"
    grown = {k: v for k, v in over.items() if v > LONG_FUNCTIONS.get(k, v)}
    assert not grown, f"long functions that grew: {grown}"
    paid = sorted(set(LONG_FUNCTIONS) - set(over))
    assert not paid, f"now within the limit, remove from LONG_FUNCTIONS: {paid}"


def test_no_module_is_too_long() -> None:
    _, modules = _sizes()
    over = {k: v for k, v in modules.items() if v > MAX_MODULE_LINES}
    new = {k: v for k, v in over.items() if k not in LONG_MODULES}
    assert not new, f"modules over {MAX_MODULE_LINES} lines: {new}"
    grown = {k: v for k, v in over.items() if v > LONG_MODULES.get(k, v)}
    assert not grown, f"long modules that grew: {grown}"
    paid = sorted(set(LONG_MODULES) - set(over))
    assert not paid, f"now within the limit, remove from LONG_MODULES: {paid}"


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
