"""Where the built-in data lives, and where a project keeps its own layers.

In a wheel the data folders are copied to ``llmchoose/_data/``; in a source checkout
(editable install, tests) they sit at the top of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ENV_OVERRIDES",
    "PROJECT_DIR",
    "builtin_dir",
    "layer_folders",
    "project_layer",
]

# This module sits in llmchoose/loading/; the data lives beside the package root.
_PACKAGE = Path(__file__).resolve().parent.parent
# Folder names inside the wheel's _data/ differ from the repository's for templates.
_REPO_NAMES = {"templates": "reports/templates"}

PROJECT_DIR = ".llmchoose"


# Environment variables that replace a built-in folder (an organisation's curated
# knowledge base instead of the shipped one; tests that need a fixed one).
ENV_OVERRIDES = {"knowledge": "LLMCHOOSE_KNOWLEDGE_DIR", "criteria": "LLMCHOOSE_CRITERIA_DIR"}


def builtin_dir(name: str) -> Path:
    """The built-in ``criteria``, ``knowledge``, ``templates`` or ``examples`` folder."""
    override = os.environ.get(ENV_OVERRIDES.get(name, ""), "")
    if override:
        return Path(override)
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / _REPO_NAMES.get(name, name)


def project_layer(name: str, start: Path | None = None) -> Path | None:
    """``./.llmchoose/<name>`` when the current project has one."""
    candidate = (start or Path.cwd()) / PROJECT_DIR / name
    return candidate if candidate.is_dir() else None


def layer_folders(
    name: str, extra: list[Path] | tuple[Path, ...] = (), *, builtin: bool = True
) -> list[Path]:
    """The folders of a layered kind, in order: built-in ``name``, then
    ``./.llmchoose/<name>``, then each folder given on the command line."""
    layers = [builtin_dir(name)] if builtin else []
    project = project_layer(name)
    if project is not None:
        layers.append(project)
    return layers + [Path(p) for p in extra]
